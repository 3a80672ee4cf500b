"""What the support-request form and the triage page read."""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Prefetch, QuerySet

from handbook.models import Team

from ..models import Board, Column, Label, Ticket


def support_team_choices() -> QuerySet[Team]:
    """The teams a support request may go to, each marked `has_board` (one query)."""
    return Team.objects.annotate(
        has_board=Exists(Board.objects.filter(team_id=OuterRef("pk")))
    ).order_by("name")


def sustaining_board(boards=None) -> Board | None:
    """The first board of the sustaining team (settings.TICKETS_SUSTAINING_TEAM), the one
    that takes bugs no team owns; picked from `boards` when given (no query)."""
    slug = settings.TICKETS_SUSTAINING_TEAM
    if boards is None:
        return Board.objects.filter(team__slug=slug).select_related("team").order_by("pk").first()
    return min((b for b in boards if b.team.slug == slug), key=lambda b: b.pk, default=None)


TRIAGE_LIMIT = 100  # tickets the triage page lists; the count says how many wait in all
READY_SHOWN = 3  # the top of the ready column the triage page shows


@dataclass
class TriageView:
    board: Board
    columns: list[Column]  # the board's triage-kind columns
    tickets: list[Ticket]  # what waits in them, top first, at most TRIAGE_LIMIT
    count: int  # all of them
    ready: Column | None  # the first ready column: where accepted tickets go
    ready_count: int
    ready_top: list[Ticket]
    other_boards: list[Board]  # where a ticket may be routed
    sustaining: Board | None  # the sustaining team's board, unless it is this one

    @property
    def ready_more(self) -> int:
        return self.ready_count - len(self.ready_top)


def triage_view(*, board: Board) -> TriageView:
    """The untriaged tickets of the board and what triage offers: six queries whatever their
    number (columns, counts, tickets, their labels, the top of the ready column, boards)."""
    columns = list(Column.objects.filter(board=board).order_by("position", "id"))
    triage = [column for column in columns if column.kind == Column.Kind.TRIAGE]
    ready = next((column for column in columns if column.kind == Column.Kind.READY), None)
    counts = dict(
        Ticket.objects.filter(board=board)
        .values("column_id")
        .annotate(count=Count("id"))
        .order_by()
        .values_list("column_id", "count")
    )
    tickets = []
    if triage:
        tickets = list(
            Ticket.objects.filter(column__in=triage)
            .select_related("column", "reporter", "assignee")
            .prefetch_related(Prefetch("labels", queryset=Label.objects.order_by("name")))
            .order_by("column__position", "column_id", "position", "id")[:TRIAGE_LIMIT]
        )
    ready_top = []
    if ready is not None:
        ready_top = list(
            Ticket.objects.filter(column=ready)
            .select_related("assignee")
            .order_by("position", "id")[:READY_SHOWN]
        )
    for ticket in [*tickets, *ready_top]:
        ticket.board = board  # the key needs the board's prefix
    others = list(Board.objects.exclude(pk=board.pk).select_related("team"))
    sustaining = None
    if board.team.slug != settings.TICKETS_SUSTAINING_TEAM:
        sustaining = sustaining_board(others)
    return TriageView(
        board=board,
        columns=triage,
        tickets=tickets,
        count=sum(counts.get(column.pk, 0) for column in triage),
        ready=ready,
        ready_count=counts.get(ready.pk, 0) if ready else 0,
        ready_top=ready_top,
        other_boards=others,
        sustaining=sustaining,
    )

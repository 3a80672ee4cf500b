"""The tickets' reads, with a fixed number of queries whatever the board's size."""

from collections import defaultdict
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Window
from django.db.models.functions import RowNumber

from accounts.models import User
from handbook.models import Team

from .models import Board, Column, Label, Ticket


def board_list() -> QuerySet[Board]:
    columns = Column.objects.order_by("position", "id")
    return Board.objects.select_related("team").prefetch_related(
        Prefetch("columns", queryset=columns)
    )


def board_ticket_ids(boards) -> dict[int, list[int]]:
    """Each column's ticket ids, top first, for these boards: one query."""
    order = defaultdict(list)
    rows = (
        Ticket.objects.filter(board__in=boards)
        .order_by("column_id", "position", "id")
        .values_list("column_id", "pk")
    )
    for column_id, pk in rows:
        order[column_id].append(pk)
    return order


def ticket_list() -> QuerySet[Ticket]:
    """Tickets with what their API answer shows, in board order (filters narrow it)."""
    return (
        Ticket.objects.select_related("board", "column", "reporter", "assignee")
        .prefetch_related("labels")
        .order_by("board_id", "column__position", "position", "id")
    )


# The board page.

CARDS_PER_PAGE = 50


def board_get(*, pk: int) -> Board:
    return Board.objects.select_related("team").get(pk=pk)


def board_version(*, pk: int) -> int | None:
    """The board's version alone (one query): what a viewer polls to learn of changes."""
    return Board.objects.filter(pk=pk).values_list("version", flat=True).first()


@dataclass(frozen=True)
class BoardFilters:
    """What the board page narrows its cards to (GET parameters kept in the URL)."""

    assignee: str = ""  # a username, or "none" for cards nobody has
    label: str = ""
    severity: str = ""
    text: str = ""

    @property
    def active(self) -> bool:
        return any((self.assignee, self.label, self.severity, self.text))

    def query(self) -> str:
        pairs = {
            "assignee": self.assignee,
            "label": self.label,
            "severity": self.severity,
            "q": self.text,
        }
        return urlencode({key: value for key, value in pairs.items() if value})

    def q(self, board: Board) -> Q:
        condition = Q()
        if self.assignee == "none":
            condition &= Q(assignee__isnull=True)
        elif self.assignee:
            condition &= Q(assignee__username=self.assignee)
        if self.label:
            condition &= Q(
                pk__in=Ticket.labels.through.objects.filter(label__name=self.label).values(
                    "ticket_id"
                )
            )
        if self.severity:
            condition &= Q(severity=self.severity)
        if self.text:
            text = Q(title__icontains=self.text)
            prefix, _, number = self.text.strip().upper().rpartition("-")
            if number.isdigit() and prefix in ("", board.key_prefix):
                text |= Q(number=int(number))
            condition &= text
        return condition


@dataclass
class Card:
    ticket: Ticket
    up_after: int | None  # the `after` that moves it one up ("" at the top: None)
    can_up: bool
    down_after: int | None
    can_down: bool


@dataclass
class ColumnView:
    column: Column
    cards: list[Card]
    count: int  # all its cards (what the WIP limit counts)
    shown_count: int  # its cards that pass the filters
    more_from: int | None  # the offset of the next page of cards, None: no more
    left: Column | None = None
    right: Column | None = None

    @property
    def over_soft_limit(self) -> bool:
        column = self.column
        return (
            column.wip_limit is not None
            and column.wip_mode == Column.WipMode.SOFT
            and self.count > column.wip_limit
        )

    @property
    def at_hard_limit(self) -> bool:
        column = self.column
        return (
            column.wip_limit is not None
            and column.wip_mode == Column.WipMode.HARD
            and self.count >= column.wip_limit
        )


def _cards(tickets: list[Ticket], *, start: int, offset: int) -> list[Card]:
    """Cards for tickets[start:] (the ones before are only neighbours), `offset` being the
    index of tickets[0] in the column as the viewer sees it."""
    cards = []
    for index in range(start, len(tickets)):
        above = offset + index
        cards.append(
            Card(
                ticket=tickets[index],
                up_after=tickets[index - 2].pk if index >= 2 else None,
                can_up=above > 0,
                down_after=tickets[index + 1].pk if index + 1 < len(tickets) else None,
                can_down=index + 1 < len(tickets),
            )
        )
    return cards


def _card_rows(queryset):
    return queryset.select_related("assignee").prefetch_related(
        Prefetch("labels", queryset=Label.objects.order_by("name"))
    )


def board_columns(
    *,
    board: Board,
    filters: BoardFilters = BoardFilters(),
    only: set[int] | None = None,
    limit: int = CARDS_PER_PAGE,
) -> list[ColumnView]:
    """The board's columns (or those in `only`), each with its first `limit` cards passing
    the filters: four queries whatever the board's size (columns, counts, cards, labels)."""
    columns = list(Column.objects.filter(board=board).order_by("position", "id"))
    matching = filters.q(board)
    counts = {
        row["column_id"]: row
        for row in Ticket.objects.filter(board=board)
        .values("column_id")
        .annotate(count=Count("id"), shown=Count("id", filter=matching))
        .order_by()
    }
    wanted = [column.pk for column in columns if only is None or column.pk in only]
    # One more than shown: it tells whether there is more, and where the last card goes down.
    rows = (
        _card_rows(Ticket.objects.filter(matching, board=board, column_id__in=wanted))
        .annotate(
            rank=Window(
                RowNumber(), partition_by=[F("column_id")], order_by=[F("position"), F("id")]
            )
        )
        .filter(rank__lte=limit + 1)
        .order_by("column_id", "position", "id")
    )
    by_column = defaultdict(list)
    for ticket in rows:
        ticket.board = board  # the key needs the board's prefix
        by_column[ticket.column_id].append(ticket)
    views = []
    for index, column in enumerate(columns):
        if column.pk not in wanted:
            continue
        tickets = by_column[column.pk]
        shown = tickets[:limit]
        cards = _cards(tickets, start=0, offset=0)[: len(shown)]
        numbers = counts.get(column.pk, {"count": 0, "shown": 0})
        views.append(
            ColumnView(
                column=column,
                cards=cards,
                count=numbers["count"],
                shown_count=numbers["shown"],
                more_from=limit if len(tickets) > limit else None,
                left=columns[index - 1] if index > 0 else None,
                right=columns[index + 1] if index + 1 < len(columns) else None,
            )
        )
    return views


def column_page(
    *,
    board: Board,
    column_pk: int,
    offset: int,
    filters: BoardFilters = BoardFilters(),
    limit: int = CARDS_PER_PAGE,
) -> ColumnView:
    """One column's next page of cards from `offset` ("Show more"), with its neighbours for
    the cards' left and right moves. Three queries (columns, cards, labels); raises
    Column.DoesNotExist for a column of another board."""
    columns = list(Column.objects.filter(board=board).order_by("position", "id"))
    index = next((n for n, column in enumerate(columns) if column.pk == column_pk), None)
    if index is None:
        raise Column.DoesNotExist(column_pk)
    column = columns[index]
    start = max(offset - 2, 0)  # the two above are the first card's neighbours
    tickets = list(
        _card_rows(Ticket.objects.filter(filters.q(board), column=column)).order_by(
            "position", "id"
        )[start : offset + limit + 1]
    )
    for ticket in tickets:
        ticket.board = board
    return ColumnView(
        column=column,
        cards=_cards(tickets, start=offset - start, offset=start)[:limit],
        count=0,
        shown_count=0,
        more_from=offset + limit if len(tickets) - (offset - start) > limit else None,
        left=columns[index - 1] if index > 0 else None,
        right=columns[index + 1] if index + 1 < len(columns) else None,
    )


def board_filter_choices(*, board: Board) -> dict:
    """Who and which labels the filters offer: the people and labels on the board's cards."""
    people = list(
        User.objects.filter(assigned_tickets__board=board)
        .distinct()
        .order_by("display_name", "username")
    )
    labels = list(Label.objects.filter(tickets__board=board).distinct().order_by("name"))
    return {"people": people, "labels": labels}


# Intake and triage.


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

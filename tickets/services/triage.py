"""Triage: routing a ticket to the team that owns it, and the default order of a column."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, F, Max, When
from django.utils import timezone

from tickets import permissions
from tickets.models import Activity, Board, Column, Ticket

from .ordering import GAP, Moved, board_touched, ticket_move

# The order work is taken in: priority class, then severity, then age (oldest first).
PRIORITY_RANK = {value: rank for rank, value in enumerate(Ticket.PriorityClass.values)}
SEVERITY_RANK = {value: rank for rank, value in enumerate(Ticket.Severity.values)}


def default_order_key(ticket: Ticket) -> tuple:
    return (
        PRIORITY_RANK[ticket.priority_class],
        SEVERITY_RANK[ticket.severity],
        ticket.created_at,
        ticket.pk,
    )


def default_slot(column: Column, ticket: Ticket) -> int | None:
    """Where `ticket` goes by the default order in `column`: the id of the card it follows
    (None: the top). Below every card from the top that comes before it, above the first that
    comes after it; cards moved by hand stay where they are."""
    key = default_order_key(ticket)
    after = None
    rows = (
        column.tickets.exclude(pk=ticket.pk)
        .only("pk", "priority_class", "severity", "created_at")
        .order_by("position", "id")
    )
    for other in rows:
        if default_order_key(other) > key:
            break
        after = other.pk
    return after


@transaction.atomic
def column_sort_by_priority(*, column: Column, user=None) -> list[int]:
    """Put the column back in the default order (manual moves had overridden it), in one
    UPDATE. Returns its ticket ids, top first."""
    column = Column.objects.select_for_update().select_related("board__team").get(pk=column.pk)
    if user is not None:
        permissions.ticket_work_check(user=user, board=column.board)
    tickets = sorted(column.tickets.all(), key=default_order_key)
    top = column.tickets.aggregate(top=Max("position"))["top"] or 0
    Ticket.objects.filter(column=column).update(
        position=Case(*(When(pk=t.pk, then=top + (n + 1) * GAP) for n, t in enumerate(tickets)))
    )
    board_touched(column.board_id)
    return [ticket.pk for ticket in tickets]


def _intake_column(board: Board) -> Column:
    column = (
        board.columns.filter(kind=Column.Kind.TRIAGE).order_by("position", "id").first()
        or board.columns.order_by("position", "id").first()
    )
    if column is None:
        raise ValidationError({"board": [f"{board.name} has no column to take the ticket."]})
    return column


@transaction.atomic
def ticket_route(*, ticket: Ticket, board: Board, user=None) -> Ticket:
    """Hand the ticket to another board (the owning team's, or the sustaining team's when no
    team owns it): it lands at the bottom of that board's triage column with a key of that
    board; its activity keeps the old key."""
    ticket = Ticket.objects.select_related("board__team", "column").get(pk=ticket.pk)
    if board.pk == ticket.board_id:
        raise ValidationError({"board": ["The ticket is on this board already."]})
    if user is not None:
        permissions.ticket_work_check(user=user, board=ticket.board)
    target = _intake_column(board)
    # Columns (in id order), then boards (in id order): the order moves and creation take.
    Column.objects.select_for_update().filter(pk__in=sorted({ticket.column_id, target.pk})).count()
    boards = {
        b.pk: b
        for b in Board.objects.select_for_update().filter(
            pk__in=sorted({ticket.board_id, board.pk})
        )
    }
    old_key, source_board_id = ticket.key, ticket.board_id
    last = target.tickets.aggregate(last=Max("position"))["last"] or 0
    number = boards[board.pk].next_number
    Board.objects.filter(pk=board.pk).update(next_number=F("next_number") + 1)
    Ticket.objects.filter(pk=ticket.pk).update(
        board=board, number=number, column=target, position=last + GAP, updated_at=timezone.now()
    )
    ticket = Ticket.objects.select_related("board", "column").get(pk=ticket.pk)
    Activity.objects.create(
        ticket=ticket,
        user=user,
        at=timezone.now(),
        action="routed",
        changes={"key": [old_key, ticket.key], "board": [source_board_id, board.pk]},
    )
    board_touched(source_board_id)
    board_touched(board.pk)
    return ticket


@transaction.atomic
def ticket_accept(*, ticket: Ticket, user=None) -> Moved:
    """Triage is done with the ticket: it goes into the board's first ready column at its
    place in the default order (services.default_slot)."""
    ticket = Ticket.objects.select_related("board__team", "column").get(pk=ticket.pk)
    if user is not None:
        permissions.ticket_work_check(user=user, board=ticket.board)
    if ticket.column.kind != Column.Kind.TRIAGE:
        raise ValidationError(
            {"ticket": [f"{ticket.key} is not in triage any more (it is in {ticket.column.name})."]}
        )
    ready = ticket.board.columns.filter(kind=Column.Kind.READY).order_by("position", "id").first()
    if ready is None:
        raise ValidationError({"column": [f"{ticket.board.name} has no ready column."]})
    return ticket_move(ticket=ticket, column=ready, after=default_slot(ready, ticket), user=user)

"""Creating and changing tickets."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from tickets import permissions
from tickets.models import Activity, Board, Column, Ticket

from .ordering import GAP, board_touched


@transaction.atomic
def ticket_create(
    *, board: Board, title: str, column: Column | None = None, user=None, labels=(), **fields
) -> Ticket:
    """A new ticket at the bottom of `column` (default: the board's first column). Its number
    is taken under a lock on the board row: keys have no gaps and no duplicates, however many
    people file tickets at once (a rolled-back creation gives its number back)."""
    column = column or board.columns.order_by("position", "id").first()
    if column is None or column.board_id != board.pk:
        raise ValidationError({"column": ["Name a column of this board."]})
    # Locks in the order moves take them (the column, then the board row): no deadlock.
    Column.objects.select_for_update().filter(pk=column.pk).get()
    board = Board.objects.select_for_update().select_related("team").get(pk=board.pk)
    if user is not None:
        permissions.ticket_work_check(user=user, board=board)
    last = column.tickets.order_by("-position").values_list("position", flat=True).first()
    ticket = Ticket(
        board=board,
        number=board.next_number,
        column=column,
        position=(last or 0) + GAP,
        title=title,
        reporter=fields.pop("reporter", user),
        **fields,
    )
    ticket.full_clean()
    ticket.save()
    if labels:
        ticket.labels.set(labels)
    Board.objects.filter(pk=board.pk).update(next_number=F("next_number") + 1)
    Activity.objects.create(ticket=ticket, user=user, at=timezone.now(), action="created")
    board_touched(board.pk)
    return ticket

"""Creating and changing tickets."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from core.exceptions import StaleWrite
from tickets import permissions
from tickets.models import Activity, Board, Column, Label, Ticket

from .ordering import GAP, board_touched, ticket_move
from .paging import incident_page


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
        ticket.labels.set(labels_named(labels))
    Board.objects.filter(pk=board.pk).update(next_number=F("next_number") + 1)
    Activity.objects.create(ticket=ticket, user=user, at=timezone.now(), action="created")
    board_touched(board.pk)
    incident_page(ticket=ticket)
    return ticket


EDITABLE_FIELDS = ("title", "description", "kind", "severity", "priority_class", "assignee")


def labels_named(names) -> list[Label]:
    """The labels of these names, made on first use (`team/delivery`)."""
    found = {label.name: label for label in Label.objects.filter(name__in=names)}
    for name in names:
        if name not in found:
            label = Label(name=name)
            label.full_clean()
            label.save()
            found[name] = label
    return [found[name] for name in names]


@transaction.atomic
def ticket_update(
    *, ticket: Ticket, user=None, version: int | None = None, labels=None, **fields
) -> Ticket:
    """Change the ticket's fields. With `version` (the one the change was made from), a
    ticket changed since raises StaleWrite with the ticket as it is now."""
    ticket = Ticket.objects.select_for_update().select_related("board__team").get(pk=ticket.pk)
    if user is not None:
        permissions.ticket_work_check(user=user, board=ticket.board)
    if labels is not None:
        labels = labels_named(labels)
    if version is not None and version != ticket.version:
        raise StaleWrite(
            f"The ticket has changed since version {version}; it is at version "
            f"{ticket.version} now.",
            current=ticket,
        )
    changes = {}
    for name in EDITABLE_FIELDS:
        if name in fields and getattr(ticket, name) != fields[name]:
            before = getattr(ticket, name)
            changes[name] = [_shown(before), _shown(fields[name])]
            setattr(ticket, name, fields[name])
    if labels is not None:
        before = sorted(ticket.labels.values_list("name", flat=True))
        after = sorted(label.name for label in labels)
        if before != after:
            changes["labels"] = [before, after]
    if not changes:
        return ticket
    ticket.version += 1
    ticket.full_clean()
    ticket.save()
    if labels is not None:
        ticket.labels.set(labels)
    Activity.objects.create(
        ticket=ticket, user=user, at=timezone.now(), action="changed", changes=changes
    )
    board_touched(ticket.board_id)
    incident_page(ticket=ticket)
    return ticket


def _shown(value):
    return getattr(value, "username", value)


class NothingToPull(Exception):
    """The board's ready column is empty."""


@transaction.atomic
def ticket_pull(*, board: Board, user) -> Ticket:
    """Take the top ticket of the board's first "ready" column: it is assigned to `user` and
    goes to the top of the first "in progress" column. Two people pulling at once get two
    different tickets (the ready column is locked by the move)."""
    permissions.ticket_work_check(user=user, board=board)
    ready = board.columns.filter(kind=Column.Kind.READY).order_by("position", "id").first()
    doing = board.columns.filter(kind=Column.Kind.IN_PROGRESS).order_by("position", "id").first()
    if ready is None or doing is None:
        raise NothingToPull("This board has no ready or no in-progress column.")
    Column.objects.select_for_update().filter(pk__in=sorted({ready.pk, doing.pk})).exists()
    top = ready.tickets.order_by("position", "id").first()
    if top is None:
        raise NothingToPull(f"Nothing is waiting in {ready.name}.")
    ticket_move(ticket=top, column=doing, after=None, user=user)
    return ticket_update(ticket=top, user=user, assignee=user)

"""Where a card goes: moves, with positions that leave gaps.

A move names the ticket, the target column and the ticket it now follows (None: the top).
The service locks the columns involved (source and target, in id order, then the board row,
the same order ticket creation takes: no two writers wait on each other in a cycle), checks
that the anchor is still in the target column, and places the card between the anchor and its
*current* next neighbour. One row is written, unless the gap there has run out: then the
target column alone is renumbered, in one UPDATE. The database refuses two cards on one
position (`ticket_one_per_slot`), so no interleaving of moves can make cards collide."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Case, Max, Q, When
from django.utils import timezone

from core.exceptions import StaleWrite
from tickets import permissions
from tickets.models import Activity, Board, Column, Ticket

# The room left between neighbours: 16 moves into one slot before that column is renumbered.
GAP = 1 << 16
ATTEMPTS = 3  # a ticket moved elsewhere while we waited for its column is looked up again


@dataclass
class Moved:
    ticket: Ticket
    columns: dict[int, list[int]]  # each column touched: its ticket ids, top first
    renumbered: bool
    version: int  # the board's version after the move


def column_order(column_id: int) -> list[int]:
    return columns_order([column_id])[column_id]


def columns_order(column_ids) -> dict[int, list[int]]:
    """Each column's ticket ids, top first: one query."""
    order = {pk: [] for pk in column_ids}
    rows = (
        Ticket.objects.filter(column_id__in=order)
        .order_by("column_id", "position", "id")
        .values_list("column_id", "pk")
    )
    for column_id, pk in rows:
        order[column_id].append(pk)
    return order


def board_touched(board_id: int) -> int | None:
    """Bump the board's version, so that viewers polling it see that something changed; the
    version it is at now (None: no such board)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {Board._meta.db_table} SET version = version + 1 WHERE id = %s "  # noqa: S608 - a model's table name
            "RETURNING version",
            [board_id],
        )
        row = cursor.fetchone()
    return row[0] if row else None


def _lock(ticket_id: int, column_id: int) -> tuple[Ticket, dict[int, Column]]:
    """Lock the target column and the ticket's own, in id order (one query), then read the
    ticket; again if it changed columns before the lock was had."""
    source = Ticket.objects.filter(pk=ticket_id).values("column_id")
    for _ in range(ATTEMPTS):
        locked = {
            c.pk: c
            for c in Column.objects.select_for_update()
            .filter(Q(pk=column_id) | Q(pk__in=source))
            .order_by("pk")
        }
        # With what an answer about the ticket shows (its people), so no caller reads it again.
        ticket = Ticket.objects.select_related("board", "column", "reporter", "assignee").get(
            pk=ticket_id
        )
        if ticket.column_id in locked:
            return ticket, locked
    raise StaleWrite("The ticket keeps moving; try again.", current=column_order(column_id))


def _renumber(column_id: int) -> None:
    """Spread the column's cards GAP apart, above every position it holds now, in one UPDATE:
    each new value is above all old ones and distinct, so no row collides midway."""
    rows = list(
        Ticket.objects.filter(column_id=column_id)
        .order_by("position", "id")
        .values_list("pk", flat=True)
    )
    top = Ticket.objects.filter(column_id=column_id).aggregate(top=Max("position"))["top"] or 0
    Ticket.objects.filter(pk__in=rows).update(
        position=Case(*(When(pk=pk, then=top + (n + 1) * GAP) for n, pk in enumerate(rows)))
    )


def _slot(column_id: int, moving_id: int, after: Ticket | None) -> int | None:
    """The position between `after` (None: the top) and its next neighbour, or None when
    there is no room left between them."""
    others = Ticket.objects.filter(column_id=column_id).exclude(pk=moving_id)
    if after is None:
        first = others.order_by("position").values_list("position", flat=True).first()
        return 0 if first is None else first - GAP
    following = (
        others.filter(position__gt=after.position)
        .order_by("position")
        .values_list("position", flat=True)
        .first()
    )
    if following is None:
        return after.position + GAP
    if following - after.position < 2:
        return None
    return (after.position + following) // 2


@transaction.atomic
def ticket_move(
    *, ticket: Ticket | int, column: Column | int, after: int | None, user=None
) -> Moved:
    """Move `ticket` (a ticket, or its id) into `column` (a column, or its id), just below the
    ticket `after` (an id; None: the top). A ticket that does not exist raises
    Ticket.DoesNotExist.

    A stale anchor (no longer in that column) raises StaleWrite with the column as it is now;
    a hard WIP limit, or a column that does not exist or is on another board, raises a
    ValidationError on `column`."""
    column_id = column if isinstance(column, int) else column.pk
    ticket_id = ticket if isinstance(ticket, int) else ticket.pk
    if after is not None and after == ticket_id:
        raise ValidationError({"after": ["A ticket cannot follow itself."]})
    ticket, locked = _lock(ticket_id, column_id)
    target = locked.get(column_id)
    if target is None:
        raise ValidationError({"column": ["No such column."]})
    if target.board_id != ticket.board_id:
        raise ValidationError({"column": ["This column is on another board."]})
    if user is not None:
        permissions.ticket_work_check(user=user, board=ticket.board)
    anchor = None
    if after is not None:
        anchor = Ticket.objects.filter(pk=after, column=target).first()
        if anchor is None:
            raise StaleWrite(
                "The card you dropped it after has moved; here is the column as it is now.",
                current=column_order(target.pk),
            )
    source_id = ticket.column_id
    hard_limit = target.wip_limit if target.wip_mode == Column.WipMode.HARD else None
    if (
        target.pk != source_id
        and hard_limit
        and Ticket.objects.filter(column=target).count() >= hard_limit
    ):
        raise ValidationError(
            {"column": [f"{target.name} is at its limit of {target.wip_limit} tickets."]}
        )
    position = _slot(target.pk, ticket.pk, anchor)
    renumbered = position is None
    if renumbered:
        _renumber(target.pk)
        if anchor is not None:
            anchor.refresh_from_db(fields=["position"])
        position = _slot(target.pk, ticket.pk, anchor)
    now = timezone.now()
    Ticket.objects.filter(pk=ticket.pk).update(column=target, position=position, updated_at=now)
    changes = {"position": [ticket.position, position]}
    if target.pk != source_id:
        changes["column"] = [ticket.column.name, target.name]
    Activity.objects.create(ticket=ticket, user=user, at=now, action="moved", changes=changes)
    version = board_touched(ticket.board_id)
    ticket.column, ticket.position, ticket.updated_at = target, position, now
    return Moved(ticket, columns_order(sorted({source_id, target.pk})), renumbered, version)

"""The tickets' reads, with a fixed number of queries whatever the board's size."""

from collections import defaultdict

from django.db.models import Prefetch, QuerySet

from .models import Board, Column, Ticket


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

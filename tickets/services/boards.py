"""Boards and their columns."""

from django.db import transaction

from handbook.models import Team
from tickets import permissions
from tickets.models import Board, Column

DEFAULT_COLUMNS = [
    ("Triage", Column.Kind.TRIAGE),
    ("To do", Column.Kind.READY),
    ("In progress", Column.Kind.IN_PROGRESS),
    ("Done", Column.Kind.DONE),
]


@transaction.atomic
def board_create(
    *, team: Team, name: str, key_prefix: str, columns: list[dict] | None = None, user=None
) -> Board:
    """A board with the given columns (name, kind, wip_limit, wip_mode), or the default four."""
    if user is not None:
        permissions.board_manage_check(user=user, team=team)
    board = Board(team=team, name=name, key_prefix=key_prefix)
    board.full_clean()
    board._history_user = user
    board.save()
    specs = columns or [{"name": name, "kind": kind} for name, kind in DEFAULT_COLUMNS]
    for position, spec in enumerate(specs):
        column = Column(board=board, position=position, **spec)
        column.full_clean()
        column._history_user = user
        column.save()
    return board

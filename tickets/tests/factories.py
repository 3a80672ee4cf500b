"""Boards and tickets for tests, made through the services as the app makes them."""

import itertools

from handbook.tests.factories import TeamFactory
from tickets import services

_prefixes = (f"T{n}" for n in itertools.count(1))


def make_board(*, team=None, name="Queue", key_prefix=None, columns=None):
    return services.board_create(
        team=team or TeamFactory(),
        name=name,
        key_prefix=key_prefix or next(_prefixes),
        columns=columns,
    )


def column(board, name):
    return board.columns.get(name=name)


def cards(board, column_name, count, *, prefix="card"):
    target = column(board, column_name)
    return [
        services.ticket_create(board=board, column=target, title=f"{prefix} {n}")
        for n in range(count)
    ]

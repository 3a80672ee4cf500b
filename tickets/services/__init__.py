"""The tickets' writes, by concern. A service given the person acting (`user=`) checks
tickets.permissions first; `user=None` is the system (imports, demo data)."""

from .boards import DEFAULT_COLUMNS, board_create
from .ordering import GAP, Moved, column_order, ticket_move
from .tickets import NothingToPull, labels_named, ticket_create, ticket_pull, ticket_update

__all__ = [
    "DEFAULT_COLUMNS",
    "GAP",
    "Moved",
    "NothingToPull",
    "board_create",
    "column_order",
    "labels_named",
    "ticket_create",
    "ticket_move",
    "ticket_pull",
    "ticket_update",
]

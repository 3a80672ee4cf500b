"""The tickets' writes, by concern. A service given the person acting (`user=`) checks
tickets.permissions first; `user=None` is the system (imports, demo data)."""

from .boards import DEFAULT_COLUMNS, board_create
from .ordering import GAP, column_order, ticket_move
from .tickets import ticket_create

__all__ = ["DEFAULT_COLUMNS", "GAP", "board_create", "column_order", "ticket_create", "ticket_move"]

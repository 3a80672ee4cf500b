"""The tickets' writes, by concern. A service given the person acting (`user=`) checks
tickets.permissions first; `user=None` is the system (imports, demo data)."""

from .boards import DEFAULT_COLUMNS, board_create
from .comments import COMMENT_MAX_LENGTH, comment_add
from .imports import ImportReport, tickets_import
from .intake import URGENCIES, support_request_create
from .ordering import GAP, Moved, column_order, ticket_move
from .paging import incident_page
from .tickets import (
    EDITABLE_FIELDS,
    NothingToPull,
    labels_named,
    ticket_create,
    ticket_pull,
    ticket_update,
)
from .triage import (
    column_sort_by_priority,
    default_order_key,
    default_slot,
    ticket_accept,
    ticket_route,
)

__all__ = [
    "COMMENT_MAX_LENGTH",
    "DEFAULT_COLUMNS",
    "EDITABLE_FIELDS",
    "GAP",
    "URGENCIES",
    "ImportReport",
    "Moved",
    "NothingToPull",
    "board_create",
    "column_order",
    "column_sort_by_priority",
    "comment_add",
    "default_order_key",
    "default_slot",
    "incident_page",
    "labels_named",
    "support_request_create",
    "ticket_accept",
    "ticket_create",
    "ticket_move",
    "ticket_pull",
    "ticket_route",
    "ticket_update",
    "tickets_import",
]

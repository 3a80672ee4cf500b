"""The handbook's writes, by concern. Import what you need from here (`services.page_save`).

A service that is given the person acting (`user=`) checks handbook.permissions first, so
every way in (page, HTMX partial, API, admin) obeys the same rules; `user=None` is the system
itself (imports, demo data, migrations) and is not checked.
"""

from .drafts import page_draft_discard, page_draft_save
from .images import page_image_delete, page_image_upload
from .meetings import MEETING_FIELDS, meeting_create, meeting_delete, meeting_update
from .pages import (
    page_delete,
    page_links_rewrite,
    page_mark_reviewed,
    page_move,
    page_restore,
    page_save,
)
from .search_words import (
    person_words_add,
    search_words_add,
    search_words_rebuild,
    team_words_add,
)
from .staleness import stale_digests_send
from .teams import (
    CHARTER_FIELDS,
    TEAM_FIELDS,
    membership_remove,
    membership_set,
    team_create,
    team_delete,
    team_update,
)

__all__ = [
    "CHARTER_FIELDS",
    "MEETING_FIELDS",
    "TEAM_FIELDS",
    "meeting_create",
    "meeting_delete",
    "meeting_update",
    "membership_remove",
    "membership_set",
    "page_delete",
    "page_draft_discard",
    "page_draft_save",
    "page_image_delete",
    "page_image_upload",
    "page_links_rewrite",
    "page_mark_reviewed",
    "page_move",
    "page_restore",
    "page_save",
    "person_words_add",
    "search_words_add",
    "search_words_rebuild",
    "stale_digests_send",
    "team_create",
    "team_delete",
    "team_update",
    "team_words_add",
]

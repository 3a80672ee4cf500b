"""The handbook's reads, by concern. Import what you need from here (`selectors.page_find`)."""

from .history import page_revision_get, page_revisions, text_diff
from .meetings import person_meeting_feeds, team_meetings_ical, team_meetings_upcoming
from .navigation import page_navigation
from .pages import (
    PAGE_VIEW_FIELDS,
    BrokenLink,
    broken_links,
    broken_links_described,
    page_find,
    page_find_for_view,
    page_links,
    page_list,
    page_merge_proposal,
    pages_at,
    pages_linking_to,
    pages_recently_updated,
    pages_stale,
)
from .search import page_search, page_search_corrected, page_search_snippets
from .spelling import SearchCorrection, search_correction, text_words
from .team_history import TeamChange, team_history
from .teams import (
    CharterMerge,
    people_to_pick,
    team_charter_merge,
    team_contact_rows,
    team_directory,
    team_get,
    team_list,
    team_matches,
    team_workstream_rows,
)

__all__ = [
    "PAGE_VIEW_FIELDS",
    "BrokenLink",
    "CharterMerge",
    "SearchCorrection",
    "TeamChange",
    "broken_links",
    "broken_links_described",
    "page_find",
    "page_find_for_view",
    "page_links",
    "page_list",
    "page_merge_proposal",
    "page_navigation",
    "page_revision_get",
    "page_revisions",
    "page_search",
    "page_search_corrected",
    "page_search_snippets",
    "pages_at",
    "pages_linking_to",
    "pages_recently_updated",
    "pages_stale",
    "people_to_pick",
    "person_meeting_feeds",
    "search_correction",
    "team_charter_merge",
    "team_contact_rows",
    "team_directory",
    "team_get",
    "team_history",
    "team_list",
    "team_matches",
    "team_meetings_ical",
    "team_meetings_upcoming",
    "team_workstream_rows",
    "text_diff",
    "text_words",
]

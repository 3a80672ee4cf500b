"""The handbook's reads, by concern. Import what you need from here (`selectors.page_find`)."""

from .editing import page_draft_get, page_image_get_for_user
from .history import page_revision_get, page_revisions, page_stewards, text_diff
from .links import (
    LinkSuggestion,
    LinkTarget,
    link_suggestions,
    link_targets,
    page_link_suggestions,
)
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
from .people import (
    PEOPLE_PER_PAGE,
    people_timezones,
    person_calendar_feeds,
    person_calendar_ical,
    person_directory,
    person_get,
    person_pages_due,
    person_team_pages,
)
from .search import page_search, page_search_corrected, page_search_snippets
from .spelling import SearchCorrection, search_correction, text_words
from .teams import team_directory, team_get, team_list, team_matches

__all__ = [
    "PAGE_VIEW_FIELDS",
    "PEOPLE_PER_PAGE",
    "BrokenLink",
    "LinkSuggestion",
    "LinkTarget",
    "SearchCorrection",
    "broken_links",
    "broken_links_described",
    "link_suggestions",
    "link_targets",
    "page_draft_get",
    "page_find",
    "page_find_for_view",
    "page_image_get_for_user",
    "page_link_suggestions",
    "page_links",
    "page_list",
    "page_merge_proposal",
    "page_navigation",
    "page_revision_get",
    "page_revisions",
    "page_search",
    "page_search_corrected",
    "page_search_snippets",
    "page_stewards",
    "pages_at",
    "pages_linking_to",
    "pages_recently_updated",
    "pages_stale",
    "people_timezones",
    "person_calendar_feeds",
    "person_calendar_ical",
    "person_directory",
    "person_get",
    "person_meeting_feeds",
    "person_pages_due",
    "person_team_pages",
    "search_correction",
    "team_directory",
    "team_get",
    "team_list",
    "team_matches",
    "team_meetings_ical",
    "team_meetings_upcoming",
    "text_diff",
    "text_words",
]

"""The releases' reads, by concern. Import what you need from here."""

from .calendar import manager_proposer, train_calendar, train_template
from .feeds import release_feeds, releases_ical
from .metrics import release_metrics
from .pages import (
    month_parse,
    month_view,
    release_item_get,
    release_milestone_get,
    release_page_get,
    upcoming_milestones,
)
from .releases import release_api_list, release_get, train_api_list, train_get

__all__ = [
    "manager_proposer",
    "month_parse",
    "month_view",
    "release_api_list",
    "release_feeds",
    "release_get",
    "release_item_get",
    "release_metrics",
    "release_milestone_get",
    "release_page_get",
    "releases_ical",
    "train_api_list",
    "train_calendar",
    "train_get",
    "train_template",
    "upcoming_milestones",
]

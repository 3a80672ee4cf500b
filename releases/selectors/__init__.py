"""The releases' reads, by concern. Import what you need from here."""

from .calendar import manager_proposer, train_calendar, train_template
from .feeds import release_feeds, releases_ical
from .metrics import release_metrics
from .releases import release_api_list, release_get, train_api_list, train_get

__all__ = [
    "manager_proposer",
    "release_api_list",
    "release_feeds",
    "release_get",
    "release_metrics",
    "releases_ical",
    "train_api_list",
    "train_calendar",
    "train_get",
    "train_template",
]

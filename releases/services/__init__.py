"""The releases' writes, by concern. Import what you need from here (`services.train_plan`).

A service given the person acting (`user=`) checks releases.permissions first, so the page,
the API, the admin and the commands obey one rule; `user=None` is the system itself."""

from .planning import releases_plan_all, train_plan
from .releases import (
    checklist_item_set_done,
    milestone_move,
    milestone_set_done,
    release_create,
    release_mark_released,
    release_reschedule,
    release_update,
)
from .reminders import reminder_text, reminders_dispatch
from .trains import MilestoneSpec, milestones_check, train_create, train_update

__all__ = [
    "MilestoneSpec",
    "checklist_item_set_done",
    "milestone_move",
    "milestone_set_done",
    "milestones_check",
    "release_create",
    "release_mark_released",
    "release_reschedule",
    "release_update",
    "releases_plan_all",
    "reminder_text",
    "reminders_dispatch",
    "train_create",
    "train_plan",
    "train_update",
]

"""Changing releases: adding one by hand, rescheduling (milestones follow the template, a slip
is recorded, reminders follow), moving one milestone alone, the manager and the status, and
ticking milestones and checklist items."""

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from releases import permissions, schedule
from releases.models import ChecklistItem, Milestone, Release, Slip, Train
from releases.selectors.calendar import train_calendar

from .planning import release_parts_for_new
from .reminders import reminders_replan

EARLIEST = date(2000, 1, 1)
LATEST = date(2199, 12, 31)


def _day_check(field: str, day: date) -> None:
    if not EARLIEST <= day <= LATEST:
        raise ValidationError({field: [f"Give a day from {EARLIEST} to {LATEST}."]})


def _calendar(release: Release, *days: date):
    low, high = min(days), max(days)
    return train_calendar(train=release.train, start=low, end=high)


def _locked(release: Release) -> Release:
    return (
        Release.objects.select_for_update(of=("self",))
        .select_related("train__team", "train__channel")
        .get(pk=release.pk)
    )


@transaction.atomic
def release_create(
    *, train: Train, version: str, release_date: date, manager=None, user=None, now=None
) -> Release:
    """A release added by hand (a security or patch release, say): milestones from the
    template, counted back from its day."""
    if user is not None:
        permissions.release_create_check(user=user, train=train)
    _day_check("release_date", release_date)
    if Release.objects.filter(version=version).exists():
        raise ValidationError({"version": ["A release with this version exists already."]})
    if Release.objects.filter(train=train, planned_date=release_date).exists():
        raise ValidationError({"release_date": ["The train has a release on this day already."]})
    release = Release(
        train=train,
        version=version,
        release_date=release_date,
        planned_date=release_date,
        manager=manager,
        edited=True,
    )
    release.full_clean()
    release._history_user = user
    release.save()
    release_parts_for_new(release=release, now=now)
    return release


@transaction.atomic
def release_reschedule(
    *,
    release: Release,
    release_date: date,
    reason: str = "",
    user=None,
    now: datetime | None = None,
) -> Release:
    """Move the release to `release_date`: every milestone is counted back from it again by its
    offset (a milestone moved alone before goes back onto the template), one slip is recorded,
    the pending reminders are superseded and planned for the new dates."""
    now = now or timezone.now()
    release = _locked(release)
    if user is not None:
        permissions.release_edit_check(user=user, release=release)
    if release.status != Release.Status.PLANNED:
        raise ValidationError({"release_date": [f"The release is {release.status} already."]})
    if release_date == release.release_date:
        return release
    _day_check("release_date", release_date)
    calendar = _calendar(release, release.release_date, release_date)
    if not calendar.is_business_day(release_date):
        raise ValidationError(
            {"release_date": [f"{release_date} is not a business day of this train."]}
        )
    Slip.objects.create(
        release=release,
        from_date=release.release_date,
        to_date=release_date,
        reason=reason,
        by=user,
        at=now,
    )
    release.release_date = release_date
    release.edited = True
    release._history_user = user
    release.save(update_fields=["release_date", "edited", "updated_at"])
    moved = []
    for milestone in release.milestones.all():
        due = calendar.shift(release_date, -milestone.offset_business_days)
        if due != milestone.due:
            milestone.due = due
            moved.append(milestone)
    Milestone.objects.bulk_update(moved, ["due"])
    reminders_replan(milestones=moved, train=release.train, calendar=calendar, now=now)
    return release


@transaction.atomic
def milestone_move(
    *, milestone: Milestone, due: date, reason: str = "", user=None, now: datetime | None = None
) -> Milestone:
    """Move one milestone alone (the release day stays): a slip of the milestone is recorded
    and its reminders follow."""
    now = now or timezone.now()
    release = _locked(milestone.release)
    milestone = Milestone.objects.select_for_update().get(pk=milestone.pk)
    if user is not None:
        permissions.release_edit_check(user=user, release=release)
    if release.status != Release.Status.PLANNED:
        raise ValidationError({"due": [f"The release is {release.status} already."]})
    if due > release.release_date:
        raise ValidationError(
            {"due": [f"A milestone cannot come after release day ({release.release_date})."]}
        )
    if due == milestone.due:
        return milestone
    _day_check("due", due)
    calendar = _calendar(release, milestone.due, due, release.release_date)
    if not calendar.is_business_day(due):
        raise ValidationError({"due": [f"{due} is not a business day of this train."]})
    Slip.objects.create(
        release=release,
        milestone=milestone,
        from_date=milestone.due,
        to_date=due,
        reason=reason,
        by=user,
        at=now,
    )
    milestone.due = due
    milestone.save(update_fields=["due"])
    release.edited = True
    release._history_user = user
    release.save(update_fields=["edited", "updated_at"])
    reminders_replan(milestones=[milestone], train=release.train, calendar=calendar, now=now)
    return milestone


@transaction.atomic
def release_update(
    *,
    release: Release,
    user=None,
    now: datetime | None = None,
    **changes,
) -> Release:
    """Change what the API's PATCH may: `release_date` (with `reason`: a reschedule),
    `manager` (a person or None) and `status`."""
    now = now or timezone.now()
    if "release_date" in changes:
        release = release_reschedule(
            release=release,
            release_date=changes["release_date"],
            reason=changes.get("reason", ""),
            user=user,
            now=now,
        )
    release = _locked(release)
    if user is not None:
        permissions.release_edit_check(user=user, release=release)
    fields = []
    if "manager" in changes and changes["manager"] != release.manager:
        release.manager = changes["manager"]
        release.edited = True
        fields += ["manager", "edited"]
    status = changes.get("status")
    if status is not None and status != release.status:
        release.status = status
        release.released_at = now if status == Release.Status.RELEASED else None
        fields += ["status", "released_at"]
        if status != Release.Status.PLANNED:
            from releases.models import Reminder

            Reminder.objects.filter(
                milestone__release=release, status=Reminder.Status.PENDING
            ).update(status=Reminder.Status.SUPERSEDED)
    if fields:
        release._history_user = user
        release.save(update_fields=[*fields, "updated_at"])
    return release


def release_mark_released(*, release: Release, user=None, now=None) -> Release:
    return release_update(release=release, status=Release.Status.RELEASED, user=user, now=now)


@transaction.atomic
def milestone_set_done(*, milestone: Milestone, done: bool, user=None, now=None) -> Milestone:
    """Tick (or untick) a milestone as reached; a ticked one gets no more reminders."""
    from releases.models import Reminder

    milestone = (
        Milestone.objects.select_for_update(of=("self",))
        .select_related("release__train")
        .get(pk=milestone.pk)
    )
    if user is not None:
        permissions.checklist_tick_check(user=user, release=milestone.release)
    milestone.done_at = (now or timezone.now()) if done else None
    milestone.done_by = user if done else None
    milestone.save(update_fields=["done_at", "done_by"])
    if done:
        milestone.reminders.filter(status=Reminder.Status.PENDING).update(
            status=Reminder.Status.SUPERSEDED
        )
    else:
        release = milestone.release
        calendar = _calendar(release, milestone.due, release.release_date)
        reminders_replan(milestones=[milestone], train=release.train, calendar=calendar, now=now)
    return milestone


@transaction.atomic
def checklist_item_set_done(
    *, item: ChecklistItem, done: bool, user=None, now=None
) -> ChecklistItem:
    item = (
        ChecklistItem.objects.select_for_update(of=("self",))
        .select_related("release__train")
        .get(pk=item.pk)
    )
    if user is not None:
        permissions.checklist_tick_check(user=user, release=item.release)
    item.done_at = (now or timezone.now()) if done else None
    item.done_by = user if done else None
    item.save(update_fields=["done_at", "done_by"])
    return item


def slip_business_days(*, release: Release) -> int:
    calendar = _calendar(release, release.planned_date, release.release_date)
    return schedule.slip_days(
        planned=release.planned_date, actual=release.release_date, calendar=calendar
    )

"""Reminders before milestones: planned as rows, sent exactly once.

A reminder is a row per (milestone, business days before, channel) that fires at 09:00 in the
train's zone. Moving a milestone supersedes its pending rows and plans new ones, so nothing
goes out for the old date. The beat task (`reminders_dispatch`) claims due pending rows with
`select_for_update(skip_locked=True)` in batches: a second dispatcher skips the rows the first
holds; inside the same transaction each claimed row becomes `sent` and its message a delivery
keyed by the row (notifications sends it after commit, once per key). A worker killed mid-run
rolls back both, and the next run takes the rows again: no message is lost or repeated.
"""

from collections.abc import Iterable
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from notifications.services import notify_many
from releases import schedule
from releases.models import Milestone, Reminder

BATCH = 500


def reminders_for(
    *,
    milestones: Iterable[Milestone],
    train,
    calendar: schedule.BusinessCalendar,
    now: datetime,
) -> list[Reminder]:
    """Unsaved reminder rows for the milestones (not yet done), one per reminder day, for the
    train's channel; those whose time has passed already are left out (not sent late)."""
    if train.channel_id is None or not train.reminder_days:
        return []
    zone = train.zone_info
    rows = []
    for milestone in milestones:
        if milestone.done_at is not None:
            continue
        for days in train.reminder_days:
            due_at = schedule.reminder_at(
                due=milestone.due, days_before=days, zone=zone, calendar=calendar
            )
            if due_at <= now:
                continue
            rows.append(
                Reminder(
                    milestone=milestone,
                    days_before=days,
                    channel_id=train.channel_id,
                    for_date=milestone.due,
                    due_at=due_at,
                )
            )
    return rows


def reminders_replan(
    *, milestones: list[Milestone], train, calendar, now: datetime | None = None
) -> int:
    """Supersede the milestones' pending reminders and plan them again for their dates now.
    Returns how many were planned."""
    now = now or timezone.now()
    Reminder.objects.filter(
        milestone__in=[m.pk for m in milestones], status=Reminder.Status.PENDING
    ).update(status=Reminder.Status.SUPERSEDED)
    rows = reminders_for(milestones=milestones, train=train, calendar=calendar, now=now)
    Reminder.objects.bulk_create(rows)
    return len(rows)


def reminder_text(reminder: Reminder) -> str:
    milestone = reminder.milestone
    release = milestone.release
    manager = release.manager
    who = f"{manager.name} (@{manager.username})" if manager else None
    when = "today" if reminder.days_before == 0 else f"in {reminder.days_before} business day"
    if reminder.days_before > 1:
        when += "s"
    due = milestone.due
    text = (
        f"Release {release.version} ({release.train.name}): {milestone.name} is due "
        f"{due:%a} {due.isoformat()} ({when}). Release day: {release.release_date.isoformat()}."
    )
    text += f" Release manager: {who}." if who else " No release manager yet."
    return text


def reminders_dispatch(*, now: datetime | None = None, batch: int = BATCH) -> int:
    """Send every pending reminder due by `now`. Returns how many this run sent."""
    now = now or timezone.now()
    sent = 0
    while True:
        count = _dispatch_batch(now=now, batch=batch)
        sent += count
        if count < batch:
            return sent


@transaction.atomic
def _dispatch_batch(*, now: datetime, batch: int) -> int:
    claimed = list(
        Reminder.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(status=Reminder.Status.PENDING, due_at__lte=now)
        .select_related("channel", "milestone__release__train", "milestone__release__manager")
        .order_by("due_at", "id")[:batch]
    )
    if not claimed:
        return 0
    notify_many(
        messages=[
            (reminder.channel, f"release-reminder:{reminder.pk}", reminder_text(reminder))
            for reminder in claimed
            if reminder.channel.is_active
        ]
    )
    Reminder.objects.filter(pk__in=[r.pk for r in claimed]).update(
        status=Reminder.Status.SENT, sent_at=timezone.now()
    )
    return len(claimed)

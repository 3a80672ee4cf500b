"""Planning: the releases of a train up to a date, with milestones, checklist, versions, the
proposed release manager and reminders.

Idempotent: a release remembers the day the rule gave it (`planned_date`, unique per train), so
a second run finds every day planned and creates nothing; a release edited by hand (moved,
re-managed) is never touched, since planning only ever adds what is missing. The train row is
locked while planning, so two runs at once (beat and a person) do not race.
"""

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from releases import permissions, schedule
from releases.models import ChecklistItem, Milestone, Release, Reminder, Train
from releases.selectors.calendar import manager_proposer, train_calendar, train_template

from .reminders import reminders_for

LONGEST_PLAN_DAYS = 366 * 10 + 3


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


@transaction.atomic
def train_plan(
    *,
    train: Train,
    until: date,
    since: date | None = None,
    user=None,
    now=None,
) -> list[Release]:
    """Create the train's missing releases with release days from `since` (default today in
    the train's zone) to `until`. Returns the releases created, in date order."""
    now = now or timezone.now()
    train = Train.objects.select_for_update(of=("self",)).select_related("team").get(pk=train.pk)
    if user is not None:
        permissions.train_manage_check(user=user, team=train.team)
    today = now.astimezone(train.zone_info).date()
    since = since or today
    if until < since:
        raise ValidationError({"until": ["Give a date on or after today."]})
    if (until - since).days > LONGEST_PLAN_DAYS:
        raise ValidationError({"until": ["Plan at most ten years at a time."]})
    calendar = train_calendar(train=train, start=since, end=until)
    try:
        days = schedule.release_days(
            rule=train.rule,
            start=train.start,
            until=until,
            since=since,
            adjustment=train.adjustment,
            calendar=calendar,
        )
    except schedule.RuleError as exc:
        raise ValidationError({"rule": [str(exc)]}) from None
    known = set(train.releases.values_list("planned_date", flat=True))
    days = [day for day in days if day not in known]
    if not days:
        return []

    versions = list(train.releases.values_list("version", flat=True))
    previous = max(versions, key=_version_key) if versions else None
    new_versions = []
    for _ in days:
        previous = (
            schedule.next_version(previous, train.version_pattern)
            if previous
            else train.first_version
        )
        new_versions.append(previous)
    taken = list(Release.objects.filter(version__in=new_versions).values_list("version", flat=True))
    if taken:
        raise ValidationError(
            {"first_version": [f"Version {taken[0]} belongs to another release already."]}
        )

    propose = manager_proposer(train=train)
    releases = [
        Release(
            train=train,
            version=version,
            release_date=day,
            planned_date=day,
            manager_id=propose(day),
        )
        for day, version in zip(days, new_versions, strict=True)
    ]
    for release in releases:
        release._history_user = user
    releases = bulk_create_with_history(
        releases, Release, batch_size=500, default_user=user, default_date=now
    )
    # bulk_create_with_history returns the objects with their ids on PostgreSQL.
    _release_parts_create(releases=releases, train=train, calendar=calendar, now=now)
    return releases


def _release_parts_create(*, releases, train: Train, calendar, now) -> None:
    template = train_template(train=train)
    checklist = list(train.checklist_templates.values_list("title", "milestone_name"))
    milestones = [
        Milestone(
            release=release,
            name=dated.name,
            offset_business_days=dated.offset,
            due=dated.due,
            position=index,
        )
        for release in releases
        for index, dated in enumerate(
            schedule.milestone_dates(
                release_day=release.release_date, template=template, calendar=calendar
            )
        )
    ]
    milestones = Milestone.objects.bulk_create(milestones, batch_size=1000)
    if checklist:
        by_release_name = {(m.release_id, m.name): m for m in milestones}
        ChecklistItem.objects.bulk_create(
            [
                ChecklistItem(
                    release=release,
                    milestone=by_release_name.get((release.pk, milestone_name)),
                    title=title,
                    position=index,
                )
                for release in releases
                for index, (title, milestone_name) in enumerate(checklist)
            ],
            batch_size=1000,
        )
    Reminder.objects.bulk_create(
        reminders_for(milestones=milestones, train=train, calendar=calendar, now=now),
        batch_size=1000,
    )


def releases_plan_all(*, months: int = 6, now=None) -> dict[str, int]:
    """Plan every train `months` ahead (beat, monthly; `manage.py plan_releases`): how many
    releases each train got."""
    now = now or timezone.now()
    planned = {}
    for train in Train.objects.order_by("pk"):
        today = now.astimezone(train.zone_info).date()
        until = today + timedelta(days=round(months * 30.44))
        planned[train.slug] = len(train_plan(train=train, until=until, now=now))
    return planned


def release_parts_for_new(*, release: Release, now=None) -> None:
    """Milestones, checklist and reminders of a release added by hand."""
    now = now or timezone.now()
    train = release.train
    calendar = train_calendar(train=train, start=release.release_date, end=release.release_date)
    _release_parts_create(releases=[release], train=train, calendar=calendar, now=now)

"""What the releases' pages show: the month calendar, the coming deadlines and one release's
page, each in a fixed number of queries whatever the content."""

import calendar as stdlib_calendar
import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.db.models import Prefetch
from django.http import Http404
from django.utils import timezone

from releases.models import ChecklistItem, Milestone, Release, Slip, Train

# The months the calendar can show (the services' bounds for release days).
FIRST_MONTH = date(2000, 1, 1)
LAST_MONTH = date(2199, 12, 1)
MONTH = re.compile(r"([0-9]{4})-([0-9]{2})")
UPCOMING_LIMIT = 10
WEEKDAYS = [(name, name[:3]) for name in stdlib_calendar.day_name]  # Monday first


def month_parse(value: str | None, *, today: date) -> tuple[date, bool]:
    """The first day of the month `YYYY-MM` (today's month when empty), and whether `value`
    was good: a bad or out-of-range one gives today's month and False."""
    if not value:
        return today.replace(day=1), True
    found = MONTH.fullmatch(value.strip())
    if found:
        year, month = int(found[1]), int(found[2])
        if 1 <= month <= 12 and FIRST_MONTH.year <= year <= LAST_MONTH.year:
            return date(year, month, 1), True
    return today.replace(day=1), False


def _month_add(first: date, months: int) -> date:
    index = first.year * 12 + first.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


@dataclass
class Day:
    date: date
    in_month: bool
    is_today: bool
    releases: list = field(default_factory=list)
    milestones: list = field(default_factory=list)


@dataclass
class MonthView:
    month: date
    weeks: list[list[Day]]
    previous: date | None
    next: date | None
    has_trains: bool
    kinds: list[tuple[str, str]]

    @property
    def weekdays(self) -> list[tuple[str, str]]:
        return WEEKDAYS

    @property
    def is_empty(self) -> bool:
        return not any(day.releases or day.milestones for week in self.weeks for day in week)


def month_view(*, month: date, today: date) -> MonthView:
    """The weeks (Monday first) covering `month`, each day with its releases and milestones
    (with their release and train). Three queries, whatever the month holds."""
    first = month.replace(day=1)
    last = first.replace(day=stdlib_calendar.monthrange(first.year, first.month)[1])
    start = first - timedelta(days=first.weekday())
    end = last + timedelta(days=6 - last.weekday())
    days: dict[date, Day] = {}
    weeks: list[list[Day]] = []
    day = start
    while day <= end:
        week = []
        for _ in range(7):
            days[day] = Day(date=day, in_month=day.month == first.month, is_today=day == today)
            week.append(days[day])
            day += timedelta(days=1)
        weeks.append(week)
    has_trains = Train.objects.exists()
    releases = (
        Release.objects.filter(release_date__range=(start, end))
        .exclude(status=Release.Status.CANCELLED)
        .select_related("train")
        .order_by("release_date", "train__name", "id")
    )
    for release in releases:
        days[release.release_date].releases.append(release)
    milestones = (
        Milestone.objects.filter(due__range=(start, end))
        .exclude(release__status=Release.Status.CANCELLED)
        .select_related("release__train")
        .order_by("due", "release__train__name", "position", "id")
    )
    for milestone in milestones:
        days[milestone.due].milestones.append(milestone)
    previous, following = _month_add(first, -1), _month_add(first, 1)
    return MonthView(
        month=first,
        weeks=weeks,
        previous=previous if previous >= FIRST_MONTH else None,
        next=following if following <= LAST_MONTH else None,
        has_trains=has_trains,
        kinds=list(Train.Kind.choices),
    )


def upcoming_milestones(*, today: date, limit: int = UPCOMING_LIMIT) -> list[Milestone]:
    """The next `limit` milestones not done, due from today on, of planned releases of every
    train (one query)."""
    return list(
        Milestone.objects.filter(
            due__gte=today, done_at__isnull=True, release__status=Release.Status.PLANNED
        )
        .select_related("release__train")
        .order_by("due", "release__train__name", "position", "id")[:limit]
    )


@dataclass(frozen=True)
class MilestoneRow:
    milestone: Milestone
    overdue: bool


@dataclass
class ReleasePage:
    release: Release
    today: date  # in the train's zone
    milestones: list[MilestoneRow]
    checklist: list[ChecklistItem]
    slips: list[Slip]
    proposed_manager: object | None  # a user, when no manager is set and the rota names one


def release_page_get(*, version: str, now=None) -> ReleasePage:
    """A release with its milestones (overdue: due before today in the train's zone and not
    done), checklist (who ticked), slips and, with no manager set, the one the rota proposes."""
    release = (
        Release.objects.select_related("train__team", "manager")
        .prefetch_related(
            Prefetch(
                "milestones",
                queryset=Milestone.objects.select_related("done_by").order_by("position", "id"),
            ),
            Prefetch(
                "checklist",
                queryset=ChecklistItem.objects.select_related("done_by", "milestone").order_by(
                    "position", "id"
                ),
            ),
            Prefetch(
                "slips",
                queryset=Slip.objects.select_related("by", "milestone").order_by("at", "id"),
            ),
        )
        .filter(version=version)
        .first()
    )
    if release is None:
        raise Http404("No such release.")
    today = (now or timezone.now()).astimezone(release.train.zone_info).date()
    proposed = None
    if release.manager_id is None:
        from .calendar import manager_proposer

        person_id = manager_proposer(train=release.train)(release.release_date)
        if person_id is not None:
            proposed = get_user_model().objects.filter(pk=person_id).first()
    return ReleasePage(
        release=release,
        today=today,
        milestones=[
            MilestoneRow(m, overdue=m.done_at is None and m.due < today)
            for m in release.milestones.all()
        ],
        checklist=list(release.checklist.all()),
        slips=list(release.slips.all()),
        proposed_manager=proposed,
    )


def release_item_get(*, release: Release, pk: int) -> ChecklistItem:
    item = ChecklistItem.objects.filter(release=release, pk=pk).first()
    if item is None:
        raise Http404("No such checklist item.")
    return item


def release_milestone_get(*, release: Release, pk: int) -> Milestone:
    milestone = Milestone.objects.filter(release=release, pk=pk).first()
    if milestone is None:
        raise Http404("No such milestone.")
    return milestone

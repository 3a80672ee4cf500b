"""The release metrics the team reviews: per period (and kind, or train) how many releases
shipped, how many on the day the rule first gave them, and how far the others slipped, in
business days of their train."""

from dataclasses import dataclass, field
from datetime import date

from releases import schedule
from releases.models import Release, TrainHoliday


@dataclass(frozen=True)
class TrainCount:
    train: str
    name: str
    released: int


@dataclass(frozen=True)
class MonthCount:
    month: date  # its first day
    released: int
    on_time: int

    @property
    def late(self) -> int:
        return self.released - self.on_time


@dataclass(frozen=True)
class Metrics:
    start: date | None
    end: date | None
    kind: str | None
    released: int
    on_time: int
    on_time_rate: float | None
    mean_slip_days: float | None
    max_slip_days: int | None
    per_train: list[TrainCount] = field(default_factory=list)
    per_month: list[MonthCount] = field(default_factory=list)  # months with a release, in order


def release_metrics(
    *,
    start: date | None = None,
    end: date | None = None,
    kind: str | None = None,
    train: str | None = None,
) -> Metrics:
    """Releases released with a release day in [start, end]. Rates are None with none."""
    rows = Release.objects.filter(status=Release.Status.RELEASED).select_related("train")
    if start is not None:
        rows = rows.filter(release_date__gte=start)
    if end is not None:
        rows = rows.filter(release_date__lte=end)
    if kind is not None:
        rows = rows.filter(train__kind=kind)
    if train is not None:
        rows = rows.filter(train__slug=train)
    releases = list(rows.order_by("train__slug", "release_date"))
    trains = {release.train_id: release.train for release in releases}
    own: dict[int, set[date]] = {}
    for train_id, day in TrainHoliday.objects.filter(train_id__in=trains).values_list(
        "train_id", "date"
    ):
        own.setdefault(train_id, set()).add(day)
    years = {d.year for r in releases for d in (r.planned_date, r.release_date)}
    calendars = {
        train_id: schedule.calendar_for(
            country=t.holiday_country, own_dates=own.get(train_id, ()), years=years
        )
        for train_id, t in trains.items()
    }
    slips = [
        schedule.slip_days(
            planned=r.planned_date, actual=r.release_date, calendar=calendars[r.train_id]
        )
        for r in releases
    ]
    counts: dict[int, int] = {}
    for release in releases:
        counts[release.train_id] = counts.get(release.train_id, 0) + 1
    count = len(releases)
    on_time = sum(1 for days in slips if days == 0)
    months: dict[date, list[int]] = {}
    for release, days in zip(releases, slips, strict=True):
        tally = months.setdefault(release.release_date.replace(day=1), [0, 0])
        tally[0] += 1
        tally[1] += days == 0
    return Metrics(
        start=start,
        end=end,
        kind=kind,
        released=count,
        on_time=on_time,
        on_time_rate=on_time / count if count else None,
        mean_slip_days=sum(slips) / count if count else None,
        max_slip_days=max(slips) if count else None,
        per_train=[
            TrainCount(trains[train_id].slug, trains[train_id].name, n)
            for train_id, n in counts.items()
        ],
        per_month=[MonthCount(month, *months[month]) for month in sorted(months)],
    )

"""The release date engine: release days from a train's rule, business-day arithmetic over a
holiday calendar, milestone dates, reminder instants and slips in business days. Plain Python,
no ORM: the services and selectors load a train and pass its values in.

- A *business day* is a weekday (Monday to Friday) that is not one of the calendar's holidays
  (a country's public holidays from the `holidays` package, plus the team's own dates).
- A *release day* is an occurrence of the train's RRULE (counted from its start date) moved by
  the train's adjustment: `previous` (the default) moves a day that is not a business day to
  the business day before it, so `FREQ=MONTHLY;BYMONTHDAY=16` reads "the first business day on
  or before the 16th"; `next` moves it to the business day after; `none` keeps it. The
  BYSETPOS form of the same rule gives the same days.
- A milestone at offset N is N business days before release day (T-0 is release day).
- A reminder `d` days before a milestone fires `d` business days before its due date, at a
  wall-clock time (09:00) in the train's zone.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from dateutil.rrule import DAILY, HOURLY, MINUTELY, SECONDLY, rrulestr

ADJUSTMENTS = ("previous", "next", "none")
# Rules finer than a week are no release trains, and an impossible one of them would take
# seconds to prove it never fires (dateutil searches up to the year 9999).
REFUSED_FREQUENCIES = {SECONDLY: "SECONDLY", MINUTELY: "MINUTELY", HOURLY: "HOURLY", DAILY: "DAILY"}
REMINDER_TIME = time(9, 0)
ONE_DAY = timedelta(days=1)


class RuleError(ValueError):
    """A rule that cannot be used, with the reason in words."""


@dataclass(frozen=True)
class BusinessCalendar:
    holidays: frozenset[date] = frozenset()

    def is_business_day(self, day: date) -> bool:
        return day.weekday() < 5 and day not in self.holidays

    def on_or_before(self, day: date) -> date:
        while not self.is_business_day(day):
            day -= ONE_DAY
        return day

    def on_or_after(self, day: date) -> date:
        while not self.is_business_day(day):
            day += ONE_DAY
        return day

    def shift(self, day: date, business_days: int) -> date:
        """The day `business_days` business days after `day` (before it when negative).
        Counting starts from `day` itself, which need not be a business day."""
        step = ONE_DAY if business_days >= 0 else -ONE_DAY
        left = abs(business_days)
        while left:
            day += step
            if self.is_business_day(day):
                left -= 1
        return day

    def between(self, start: date, end: date) -> int:
        """Business days from `start` to `end`: how many `shift` needs (negative when `end`
        comes first). Both ends are expected to be business days; others count as the
        business day they lie after."""
        if end == start:
            return 0
        sign, low, high = (1, start, end) if end > start else (-1, end, start)
        count = 0
        day = low
        while day < high:
            day += ONE_DAY
            if self.is_business_day(day):
                count += 1
        return sign * count


def calendar_for(
    *, country: str = "", own_dates: Iterable[date] = (), years: Iterable[int] = ()
) -> BusinessCalendar:
    """The calendar of a train: its country's public holidays in `years`, plus its own dates."""
    days = set(own_dates)
    if country and years:
        import holidays

        days |= set(holidays.country_holidays(country.upper(), years=sorted(set(years))).keys())
    return BusinessCalendar(frozenset(days))


def _rule(rule: str, start: date):
    if not isinstance(rule, str) or not rule.strip():
        raise RuleError("Give an RRULE, e.g. FREQ=MONTHLY;BYDAY=+3TH.")
    text = rule.strip()
    if text.upper().startswith("RRULE:"):
        text = text[6:]
    if "\n" in text or "DTSTART" in text.upper():
        raise RuleError("Give one RRULE line without DTSTART: the train's start is its start.")
    try:
        parsed = rrulestr(text, dtstart=datetime.combine(start, time()))
    except Exception as exc:  # noqa: BLE001 - dateutil raises several kinds for bad rules
        raise RuleError(f"Not a valid RRULE: {exc}") from None
    if not hasattr(parsed, "_freq"):
        raise RuleError("Give a single RRULE.")
    if parsed._freq in REFUSED_FREQUENCIES:
        raise RuleError(
            f"FREQ={REFUSED_FREQUENCIES[parsed._freq]} is too fine for release days: "
            f"use WEEKLY, MONTHLY or YEARLY."
        )
    return parsed


def rule_check(rule: str, start: date) -> None:
    """Raise RuleError unless the rule is usable and fires on or after `start`."""
    parsed = _rule(rule, start)
    try:
        first = parsed.after(datetime.combine(start, time()), inc=True)
    except Exception as exc:  # noqa: BLE001
        raise RuleError(f"Not a valid RRULE: {exc}") from None
    if first is None:
        raise RuleError("This rule never fires: it gives no release day.")


def adjust(day: date, adjustment: str, calendar: BusinessCalendar) -> date:
    if adjustment == "previous":
        return calendar.on_or_before(day)
    if adjustment == "next":
        return calendar.on_or_after(day)
    return day


def release_days(
    *,
    rule: str,
    start: date,
    until: date,
    adjustment: str = "previous",
    calendar: BusinessCalendar = BusinessCalendar(),
    since: date | None = None,
) -> list[date]:
    """The release days of the rule from `since` (default `start`) to `until`, both included,
    adjusted, in order and without repeats (two occurrences adjusted onto one day are one)."""
    parsed = _rule(rule, start)
    since = since or start
    # A day moved back by the adjustment may come from an occurrence a little after `until`.
    window_end = until + timedelta(days=14) if adjustment == "previous" else until
    window_start = since - timedelta(days=14) if adjustment == "next" else since
    found: list[date] = []
    for moment in parsed.between(
        datetime.combine(max(window_start, start), time()),
        datetime.combine(window_end, time()),
        inc=True,
    ):
        day = adjust(moment.date(), adjustment, calendar)
        if since <= day <= until and (not found or found[-1] != day):
            found.append(day)
    return found


@dataclass(frozen=True)
class MilestoneDate:
    name: str
    offset: int
    due: date


def milestone_dates(
    *, release_day: date, template: Sequence[tuple[str, int]], calendar: BusinessCalendar
) -> list[MilestoneDate]:
    """Each (name, offset) of the template as the date `offset` business days before release
    day, in template order."""
    return [
        MilestoneDate(name, offset, calendar.shift(release_day, -offset))
        for name, offset in template
    ]


def reminder_at(
    *, due: date, days_before: int, zone: ZoneInfo, calendar: BusinessCalendar
) -> datetime:
    """When a reminder `days_before` business days before `due` fires: 09:00 in `zone`."""
    day = calendar.shift(due, -days_before)
    return datetime.combine(day, REMINDER_TIME, tzinfo=zone)


def slip_days(*, planned: date, actual: date, calendar: BusinessCalendar) -> int:
    """How late a release went out, in business days (0 when on time or early)."""
    return max(0, calendar.between(planned, actual))


def next_version(previous: str, pattern: str) -> str:
    """The version after `previous` ("MAJOR.MINOR.PATCH"): the next minor (patch reset to 0)
    or the next patch."""
    major, minor, patch = (int(part) for part in previous.split("."))
    if pattern == "next-patch":
        return f"{major}.{minor}.{patch + 1}"
    return f"{major}.{minor + 1}.0"

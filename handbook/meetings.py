"""Meeting recurrence: RFC 5545 rules evaluated in the meeting's own time zone.

The rule runs on local wall-clock times, so a weekly 10:00 meeting in Europe/Berlin stays
at 10:00 across daylight-saving changes; each occurrence is then given its UTC instant.
"""

from datetime import datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from dateutil.rrule import rrule, rrulestr

if TYPE_CHECKING:
    from .models import Meeting


UNREADABLE = "Schedule unreadable"


def recurrence_parse(rule: str, *, start: datetime) -> rrule:
    """The rule as dateutil's rrule from `start` (naive, local); ValueError when it is not
    a single RRULE that dateutil understands."""
    text = rule.removeprefix("RRULE:")
    if "\n" in text or "DTSTART" in text.upper():
        raise ValueError("give only the RRULE part, e.g. FREQ=WEEKLY;BYDAY=TU")
    try:
        parsed = rrulestr(text, dtstart=start)
    except (ValueError, TypeError, OverflowError, KeyError, IndexError) as exc:
        raise ValueError(str(exc) or type(exc).__name__) from exc
    if not isinstance(parsed, rrule):
        raise ValueError("give one rule, not a set")
    return parsed


# Rules expand in the meeting's local wall-clock time (naive datetimes, placed in its zone
# afterwards), so a rule is checked against a naive start too.
_PROBE_START = datetime(2026, 1, 1)  # noqa: DTZ001 - local wall-clock time, on purpose


def recurrence_problem(rule: str) -> str | None:
    """Why a rule cannot be read, or None when it can (or is empty)."""
    if not rule:
        return None
    try:
        recurrence_parse(rule, start=_PROBE_START)
    except ValueError as exc:
        return str(exc)
    return None


def recurrence_readable(rule: str) -> bool:
    return recurrence_problem(rule) is None


def meeting_occurrences(*, meeting: "Meeting", after: datetime, count: int = 3) -> list[datetime]:
    """The next `count` starts strictly after `after`, as aware datetimes in the meeting's zone."""
    zone = ZoneInfo(meeting.timezone)
    local_start = meeting.start.astimezone(zone).replace(tzinfo=None)
    local_after = after.astimezone(zone).replace(tzinfo=None)
    if not meeting.recurrence:
        start = meeting.start.astimezone(zone)
        return [start] if start > after else []
    try:
        rule = recurrence_parse(meeting.recurrence, start=local_start)
    except ValueError:
        return []  # stored before rules were checked: shown as "schedule unreadable"
    found = []
    # Step from one second before `after` in local time; wall-clock ambiguity at a DST change
    # is resolved by fold=0 (the first of two equal local times).
    moment = local_after
    while len(found) < count:
        moment = rule.after(moment)
        if moment is None:
            break
        aware = moment.replace(tzinfo=zone)
        if aware > after:
            found.append(aware)
    return found


def meeting_next(*, meeting: "Meeting", now: datetime) -> datetime | None:
    upcoming = meeting_occurrences(meeting=meeting, after=now, count=1)
    return upcoming[0] if upcoming else None


def meeting_end(start: datetime, meeting: "Meeting") -> datetime:
    return start + timedelta(minutes=meeting.duration_minutes)


_DAYS = {
    "MO": "Monday",
    "TU": "Tuesday",
    "WE": "Wednesday",
    "TH": "Thursday",
    "FR": "Friday",
    "SA": "Saturday",
    "SU": "Sunday",
}
_UNITS = {"DAILY": "day", "WEEKLY": "week", "MONTHLY": "month", "YEARLY": "year"}


def describe_recurrence(rule: str) -> str:
    """Words for the common rules ("Every 2 weeks on Tuesday"); the rule itself otherwise."""
    if not rule:
        return "Once"
    if not recurrence_readable(rule):
        return UNREADABLE
    parts = dict(
        part.split("=", 1) for part in rule.removeprefix("RRULE:").split(";") if "=" in part
    )
    unit = _UNITS.get(parts.pop("FREQ", ""))
    interval = parts.pop("INTERVAL", "1")
    days = parts.pop("BYDAY", "")
    if unit is None or parts or not interval.isdigit():
        return rule
    text = f"Every {unit}" if interval == "1" else f"Every {interval} {unit}s"
    if days:
        names = [_DAYS.get(day) for day in days.split(",")]
        if None in names:
            return rule
        text += " on " + ", ".join(names)
    return text

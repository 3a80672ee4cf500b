"""iCalendar feeds of shifts: per rotation and per person.

Each stretch of the final timeline is one event. Its UID names the role and the instant it
starts, so it stays the same across edits that do not move its start; its SEQUENCE is the
time of the latest change behind it (the plan it comes from, the overrides over it), so it
grows whenever the event changes and never otherwise, and its DTSTAMP is that same time (in a
published calendar, RFC 5545 makes DTSTAMP the time the information last changed). Past events
stay as they were.

Nothing in a feed depends on the time it is read at, but for the window it covers, which runs
from midnight to midnight (FEED_PAST before today, FEED_FUTURE after): a calendar app polling
the same day gets the same body, so its ETag matches and the answer is a 304."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event

from accounts.feeds import Feed

from .pages import person_rotation_ids_query, person_shifts
from .rota import SEQUENCE_EPOCH, RotationSnapshot, Shift, shifts_between

FEED_PAST = timedelta(days=90)
FEED_FUTURE = timedelta(days=365)


def _window(now: datetime, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """Midnight (in `zone`) FEED_PAST before `now`'s day, and midnight FEED_FUTURE after it."""
    today = now.astimezone(zone).date()
    return (
        datetime.combine(today - FEED_PAST, time(0), tzinfo=zone),
        datetime.combine(today + FEED_FUTURE, time(0), tzinfo=zone),
    )


def _host() -> str:
    return settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0] or "bosun"


def _calendar(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", "-//Bosun//Rotas//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    return calendar


def _event(snapshot: RotationSnapshot, shift: Shift, *, for_person: bool) -> Event:
    event = Event()
    event.add("uid", f"shift-{shift.role.id}-{shift.start:%Y%m%dT%H%M%SZ}@{_host()}")
    who = shift.person.name
    if for_person:
        summary = f"On call: {snapshot.name} · {shift.role.name}"
    else:
        summary = f"{shift.role.name}: {who}"
    if shift.source == "override":
        summary += " (covering)"
    event.add("summary", summary)
    event.add(
        "description",
        f"{snapshot.team_name} · {snapshot.name} · {shift.role.name}: {who}.",
    )
    event.add("dtstart", shift.start.astimezone(snapshot.zone))
    event.add("dtend", shift.end.astimezone(snapshot.zone))
    event.add("dtstamp", shift.changed_at or SEQUENCE_EPOCH)
    event.add("sequence", shift.sequence)
    event.add("transp", "TRANSPARENT")
    return event


def rotation_shifts_ical(*, snapshot: RotationSnapshot, now: datetime | None = None) -> bytes:
    start, end = _window(now or timezone.now(), snapshot.zone)
    calendar = _calendar(f"{snapshot.team_name}: {snapshot.name}")
    for shift in shifts_between(snapshot=snapshot, start=start, end=end):
        if shift.person is not None:  # gaps are on the rota page, not in calendars
            calendar.add_component(_event(snapshot, shift, for_person=False))
    return calendar.to_ical()


def person_shift_events(*, person, now: datetime) -> list[Event]:
    """The person's shifts over the feed's window, one event each: their shifts feed, and
    their part of the person calendar (handbook.people)."""
    start, end = _window(now, ZoneInfo(person.timezone or "UTC"))
    return [
        _event(item.rotation, item.shift, for_person=True)
        for item in person_shifts(user=person, start=start, end=end)
    ]


def person_shifts_ical(*, user, now: datetime | None = None) -> bytes:
    calendar = _calendar(f"Shifts of {user.name}")
    for event in person_shift_events(person=user, now=now or timezone.now()):
        calendar.add_component(event)
    return calendar.to_ical()


def person_shift_feeds(*, user) -> list[Feed]:
    """For "My account": the person's own shifts, and each rotation they take part in."""
    from rotations.models import Rotation

    rotations = list(
        Rotation.objects.filter(pk__in=person_rotation_ids_query(user=user))
        .select_related("team")
        .order_by("team__name", "name")
    )
    if not rotations:
        return []
    path = reverse("rotations:person_shifts_ics", kwargs={"username": user.username})
    return [Feed(title="My shifts", path=path)] + [
        Feed(
            title=f"{rotation.team.name}: {rotation.name}",
            path=reverse("rotations:rotation_shifts_ics", kwargs={"pk": rotation.pk}),
        )
        for rotation in rotations
    ]

"""Reads about meetings: upcoming occurrences, the iCalendar feed and who may subscribe."""

from django.urls import reverse

from accounts.feeds import Feed
from handbook.models import Team


def team_meetings_upcoming(*, team: Team, now, count: int = 3) -> list[dict]:
    from handbook.meetings import describe_recurrence, meeting_occurrences

    return [
        {
            "meeting": meeting,
            "cadence": describe_recurrence(meeting.recurrence),
            "next": meeting_occurrences(meeting=meeting, after=now, count=count),
        }
        for meeting in team.meetings.all()
    ]


def _ical_rule(recurrence: str):
    """The stored rule as an iCalendar RRULE value; None when it cannot be read (rules stored
    before they were checked), so that one bad meeting does not break the whole feed."""
    from icalendar import vRecur

    from handbook.meetings import recurrence_readable

    if not recurrence_readable(recurrence):
        return None
    try:
        return vRecur.from_ical(recurrence.removeprefix("RRULE:"))
    except ValueError:
        return None


def team_meetings_ical(*, team: Team) -> bytes:
    """An iCalendar feed of the team's meetings; UIDs are stable across requests. Meetings
    whose rule cannot be read are left out (the team page shows them as unreadable)."""
    from datetime import timedelta
    from zoneinfo import ZoneInfo

    from django.conf import settings
    from icalendar import Calendar, Event

    calendar = Calendar()
    calendar.add("prodid", "-//Bosun//Team meetings//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"{team.name} meetings")
    host = settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0] or "bosun"
    for meeting in team.meetings.all():
        rule = _ical_rule(meeting.recurrence) if meeting.recurrence else None
        if meeting.recurrence and rule is None:
            continue
        event = Event()
        event.add("uid", f"meeting-{meeting.pk}@{host}")
        event.add("summary", meeting.name)
        if meeting.topic or meeting.participants:
            event.add("description", "\n".join(filter(None, [meeting.topic, meeting.participants])))
        start = meeting.start.astimezone(ZoneInfo(meeting.timezone))
        event.add("dtstart", start)
        event.add("dtend", start + timedelta(minutes=meeting.duration_minutes))
        event.add("dtstamp", meeting.start)
        if rule is not None:
            event.add("rrule", rule)
        calendar.add_component(event)
    return calendar.to_ical()


def person_meeting_feeds(*, user) -> list[Feed]:
    """The meetings feeds of the person's teams (for their "My account" page)."""
    teams = Team.objects.filter(memberships__user=user).order_by("name").only("name", "slug")
    return [
        Feed(
            title=f"{team.name} meetings",
            path=reverse("handbook:team_meetings_ics", kwargs={"slug": team.slug}),
        )
        for team in teams
    ]

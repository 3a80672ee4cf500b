"""Reads about meetings: upcoming occurrences and the iCalendar feed."""

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


def team_meetings_ical(*, team: Team) -> bytes:
    """An iCalendar feed of the team's meetings; UIDs are stable across requests."""
    from datetime import timedelta
    from zoneinfo import ZoneInfo

    from django.conf import settings
    from icalendar import Calendar, Event, vRecur

    calendar = Calendar()
    calendar.add("prodid", "-//Bosun//Team meetings//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"{team.name} meetings")
    host = settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0] or "bosun"
    for meeting in team.meetings.all():
        event = Event()
        event.add("uid", f"meeting-{meeting.pk}@{host}")
        event.add("summary", meeting.name)
        if meeting.topic or meeting.participants:
            event.add("description", "\n".join(filter(None, [meeting.topic, meeting.participants])))
        start = meeting.start.astimezone(ZoneInfo(meeting.timezone))
        event.add("dtstart", start)
        event.add("dtend", start + timedelta(minutes=meeting.duration_minutes))
        event.add("dtstamp", meeting.start)
        if meeting.recurrence:
            event.add("rrule", vRecur.from_ical(meeting.recurrence.removeprefix("RRULE:")))
        calendar.add_component(event)
    return calendar.to_ical()

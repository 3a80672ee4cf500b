from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from handbook.meetings import describe_recurrence, meeting_occurrences
from handbook.models import Meeting, validate_recurrence
from handbook.tests.factories import TeamFactory

pytestmark = pytest.mark.django_db

BERLIN = ZoneInfo("Europe/Berlin")


def _meeting(**kwargs):
    defaults = {
        "team": TeamFactory(),
        "name": "Planning",
        "recurrence": "FREQ=WEEKLY;BYDAY=TU",
        "start": datetime(2026, 3, 3, 10, 0, tzinfo=BERLIN),
        "timezone": "Europe/Berlin",
    }
    return Meeting.objects.create(**{**defaults, **kwargs})


def test_weekly_meeting_keeps_local_time_across_dst():
    meeting = _meeting()
    # Berlin moves to summer time on 29 March 2026.
    starts = meeting_occurrences(meeting=meeting, after=datetime(2026, 3, 20, tzinfo=UTC), count=3)
    assert [s.date().isoformat() for s in starts] == ["2026-03-24", "2026-03-31", "2026-04-07"]
    assert all(s.hour == 10 and s.minute == 0 for s in starts)
    assert [s.astimezone(UTC).hour for s in starts] == [9, 8, 8]


def test_every_two_weeks_counts_from_the_first_occurrence():
    meeting = _meeting(
        recurrence="FREQ=WEEKLY;INTERVAL=2;BYDAY=TH", start=datetime(2026, 1, 8, 15, tzinfo=BERLIN)
    )
    starts = meeting_occurrences(meeting=meeting, after=datetime(2026, 1, 9, tzinfo=UTC), count=2)
    assert [s.date().isoformat() for s in starts] == ["2026-01-22", "2026-02-05"]


def test_a_one_off_meeting_in_the_past_has_no_next_occurrence():
    meeting = _meeting(recurrence="", start=datetime(2026, 1, 1, 9, tzinfo=BERLIN))
    assert meeting_occurrences(meeting=meeting, after=datetime(2026, 2, 1, tzinfo=UTC)) == []


@pytest.mark.parametrize(
    "rule", ["FREQ=SOMETIMES", "DTSTART:20260101\nFREQ=DAILY", "BYDAY=XX", "banana", "FREQ="]
)
def test_invalid_rules_are_rejected(rule):
    with pytest.raises(ValidationError, match="Not a valid RRULE"):
        validate_recurrence(rule)


def test_team_meetings_ical_feed_has_stable_uids_and_rules(client, user):
    meeting = _meeting(recurrence="FREQ=WEEKLY;INTERVAL=2;BYDAY=TU")
    client.force_login(user)
    url = f"/teams/{meeting.team.slug}/meetings.ics"
    first = client.get(url)
    second = client.get(url)
    assert first["Content-Type"].startswith("text/calendar")
    body = first.content.decode()
    assert f"UID:meeting-{meeting.pk}@" in body
    assert "RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=TU" in body
    assert "DTSTART;TZID=Europe/Berlin:20260303T100000" in body
    assert first.content == second.content


def test_meetings_api_lists_next_occurrence_and_validates_rules(api, admin_api):
    meeting = _meeting()
    listed = api.get(f"/api/v1/meetings/?team={meeting.team.slug}").json()["results"]
    assert listed[0]["recurrence"] == "FREQ=WEEKLY;BYDAY=TU"
    assert listed[0]["next_occurrence"] is not None
    bad = admin_api.post(
        "/api/v1/meetings/",
        {
            "team": meeting.team.slug,
            "name": "Retro",
            "recurrence": "FREQ=NEVER",
            "start": "2026-01-01T10:00:00+01:00",
        },
        format="json",
    )
    assert bad.status_code == 400
    assert "recurrence" in bad.json()
    created = admin_api.post(
        "/api/v1/meetings/",
        {
            "team": meeting.team.slug,
            "name": "Retro",
            "recurrence": "FREQ=WEEKLY;INTERVAL=2;BYDAY=TH",
            "start": "2026-01-08T15:00:00+01:00",
            "timezone": "Europe/Berlin",
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    assert created.json()["next_occurrence"].endswith(("+01:00", "+02:00", "Z"))


def test_only_team_leads_and_admins_add_meetings(api):
    team = TeamFactory()
    response = api.post(
        "/api/v1/meetings/",
        {"team": team.slug, "name": "x", "start": "2026-01-01T10:00:00Z"},
        format="json",
    )
    assert response.status_code == 403


@pytest.mark.parametrize(
    ("rule", "words"),
    [
        ("FREQ=WEEKLY;BYDAY=TU", "Every week on Tuesday"),
        ("FREQ=WEEKLY;INTERVAL=2;BYDAY=TH", "Every 2 weeks on Thursday"),
        ("FREQ=MONTHLY;BYDAY=+3TH", "FREQ=MONTHLY;BYDAY=+3TH"),
        ("", "Once"),
    ],
)
def test_cadence_is_described_in_words_when_simple(rule, words):
    assert describe_recurrence(rule) == words


@pytest.mark.parametrize(
    "start", ["2026-01-06T09:00:00", "2026-01-06", "2026-01-06T09:00Z", 1767690000]
)
def test_a_start_without_an_offset_or_seconds_is_a_400(admin_api, start):
    team = TeamFactory()
    response = admin_api.post(
        "/api/v1/meetings/", {"team": team.slug, "name": "Sync", "start": start}, format="json"
    )
    assert response.status_code == 400
    assert list(response.json()) == ["start"]


def test_a_start_in_rfc3339_lowercase_is_read(admin_api):
    team = TeamFactory()
    response = admin_api.post(
        "/api/v1/meetings/",
        {
            "team": team.slug,
            "name": "Sync",
            "start": "2026-01-06t09:00:00z",
            "duration_minutes": 45,
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["start"] == "2026-01-06T09:00:00Z"

"""The shift calendars as a calendar app reads them: by `?token=` alone, polled with
If-None-Match, parsed with icalendar."""

from datetime import UTC, datetime, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from icalendar import Calendar

from accounts.services import (
    calendar_token_create_or_rotate,
    calendar_token_revoke,
    person_deactivate,
)
from accounts.tests.factories import AdminFactory
from rotations import services

from .factories import make_rotation, role

pytestmark = pytest.mark.django_db

BERLIN = ZoneInfo("Europe/Berlin")
CALENDAR = "text/calendar; charset=utf-8"


def utc(*args):
    return datetime(*args, tzinfo=UTC)


# Wednesday of the rota's second week (B's); the rota began on Monday 24 March 2025.
NOW = utc(2025, 4, 2, 10)


@pytest.fixture
def rotation(people):
    a, b = people[:2]
    with time_machine.travel(utc(2025, 3, 20), tick=False):
        return make_rotation(roles=[role("Support", [a, b])])


@pytest.fixture
def token(people):
    return calendar_token_create_or_rotate(user=people[0]).token


def _get(path, token, at=NOW, **headers):
    with time_machine.travel(at, tick=False):
        return Client().get(path, {"token": token}, **headers)


def _events(response) -> dict[str, dict]:
    calendar = Calendar.from_ical(response.content)
    return {
        str(event["uid"]): {
            "start": event.decoded("dtstart"),
            "end": event.decoded("dtend"),
            "summary": str(event["summary"]),
            "description": str(event["description"]),
            "sequence": int(event["sequence"]),
        }
        for event in calendar.walk("VEVENT")
    }


def _rotation_feed(rotation):
    return f"/rotations/{rotation.pk}/shifts.ics"


def test_a_token_alone_reads_the_feed_and_an_unchanged_feed_is_a_304(rotation, token):
    first = _get(_rotation_feed(rotation), token)
    assert first.status_code == 200
    assert first["Content-Type"] == CALENDAR
    assert first["ETag"]
    assert "private" in first["Cache-Control"]
    assert _events(first)

    # The calendar app polls again a few minutes later: nothing changed, so nothing to send.
    later = NOW + timedelta(minutes=7)
    again = _get(_rotation_feed(rotation), token, at=later, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again.content == b""
    # Without the header it gets the same body, under the same ETag.
    full = _get(_rotation_feed(rotation), token, at=later)
    assert full["ETag"] == first["ETag"]
    assert full.content == first.content
    # A stale ETag gets the body.
    assert _get(_rotation_feed(rotation), token, HTTP_IF_NONE_MATCH='"stale"').status_code == 200


def test_a_bad_replaced_or_revoked_token_is_a_404(rotation, people):
    a = people[0]
    paths = [_rotation_feed(rotation), f"/people/{a.username}/shifts.ics"]
    old = calendar_token_create_or_rotate(user=a).token
    current = calendar_token_create_or_rotate(user=a).token
    for path in paths:
        assert _get(path, current).status_code == 200
        assert _get(path, "not-a-token").status_code == 404
        assert _get(path, "").status_code == 404
        assert _get(path, old).status_code == 404  # replaced
    calendar_token_revoke(user=a)
    for path in paths:
        assert _get(path, current).status_code == 404
    # A deactivated person's token stops working too (and a new one cannot be had).
    b_token = calendar_token_create_or_rotate(user=people[1]).token
    assert _get(paths[0], b_token).status_code == 200
    person_deactivate(person=people[1], by=AdminFactory())
    assert _get(paths[0], b_token).status_code == 404


def test_uids_stay_and_only_the_changed_event_gets_a_higher_sequence(rotation, token, people):
    c = people[2]
    before = _events(_get(_rotation_feed(rotation), token))
    # Fetched again later, unchanged: the same events, the same UIDs and SEQUENCE numbers.
    assert _events(_get(_rotation_feed(rotation), token, at=NOW + timedelta(hours=3))) == before

    # C takes the whole of A's week from 7 April (a future shift).
    week_start, week_end = utc(2025, 4, 7, 7), utc(2025, 4, 14, 7)
    [changed_uid] = [uid for uid, event in before.items() if event["start"] == week_start]
    assert before[changed_uid]["summary"] == "Support: A"
    with time_machine.travel(NOW + timedelta(hours=1), tick=False):
        services.override_create(
            role=rotation.roles.get(), person=c, start=week_start, end=week_end
        )
    after = _events(_get(_rotation_feed(rotation), token, at=NOW + timedelta(hours=2)))

    assert after.keys() == before.keys()
    assert after[changed_uid]["summary"] == "Support: C (covering)"
    assert after[changed_uid]["end"] == week_end
    assert after[changed_uid]["sequence"] > before[changed_uid]["sequence"]
    unchanged = {uid: event for uid, event in before.items() if uid != changed_uid}
    assert {uid: after[uid] for uid in unchanged} == unchanged


def test_names_with_commas_semicolons_and_newlines_round_trip(people):
    a = people[0]
    name = "Support, nights; EU\nweekends"
    with time_machine.travel(utc(2025, 3, 20), tick=False):
        make_rotation(name=name, roles=[role("Primary", [a])])
    token = calendar_token_create_or_rotate(user=a).token
    response = _get(f"/people/{a.username}/shifts.ics", token)
    assert response.status_code == 200
    assert b"Support\\, nights\\; EU\\nweekends" in response.content  # RFC 5545 TEXT escapes
    events = list(_events(response).values())
    assert events
    assert {event["summary"] for event in events} == {f"On call: {name} · Primary"}
    assert all(name in event["description"] for event in events)
    # Folded lines are at most 75 octets.
    assert max(len(line) for line in response.content.split(b"\r\n")) <= 75


def test_the_person_feed_lists_only_that_persons_shifts(people):
    a, b, c, d = people
    with time_machine.travel(utc(2025, 3, 20), tick=False):
        support = make_rotation(name="Support", roles=[role("Support", [a, b])])
        make_rotation(name="Nights", team=support.team, roles=[role("Nights", [b, c], weekday=2)])
        make_rotation(name="Others", roles=[role("Primary", [c, d])])
    token = calendar_token_create_or_rotate(user=d).token  # anyone may read a's feed

    events = list(_events(_get(f"/people/{a.username}/shifts.ics", token)).values())
    assert events
    assert {event["summary"] for event in events} == {"On call: Support · Support"}
    assert all(event["description"].endswith(": A.") for event in events)
    # A's weeks only: every other week from 24 March.
    starts = sorted(event["start"] for event in events)
    assert starts[0].astimezone(UTC) <= utc(2025, 3, 24, 8)
    # Every other Monday 09:00 Berlin (the first may be cut at the start of the window).
    assert all((s.weekday(), s.hour, s.minute) == (0, 9, 0) for s in starts[1:])
    assert all(later - earlier == timedelta(weeks=2) for earlier, later in pairwise(starts[1:]))

    b_events = _events(_get(f"/people/{b.username}/shifts.ics", token))
    assert {event["summary"] for event in b_events.values()} == {
        "On call: Support · Support",
        "On call: Nights · Nights",
    }
    assert all(event["description"].endswith(": B.") for event in b_events.values())


def test_deactivating_the_person_on_call_ends_their_event_with_a_higher_sequence(rotation, people):
    """B is on call this week; deactivated on Wednesday, the event of B's week ends then (the
    rest is a gap, not in calendars), and calendar apps are told it changed."""
    a, b = people[:2]
    token = calendar_token_create_or_rotate(user=a).token
    before = _events(_get(_rotation_feed(rotation), token))
    [uid] = [uid for uid, event in before.items() if event["start"] == utc(2025, 3, 31, 7)]
    assert before[uid]["summary"] == "Support: B"
    deactivated = NOW
    with time_machine.travel(deactivated, tick=False):
        person_deactivate(person=b, by=AdminFactory())
    after = _events(_get(_rotation_feed(rotation), token, at=NOW + timedelta(hours=1)))
    assert after[uid]["end"] == deactivated
    assert after[uid]["sequence"] > before[uid]["sequence"]
    assert not [e for e in after.values() if e["start"] >= deactivated and "B" in e["summary"]]
    # The past of B is as it was.
    assert {k: v for k, v in after.items() if v["end"] <= utc(2025, 3, 31, 7)} == {
        k: v for k, v in before.items() if v["end"] <= utc(2025, 3, 31, 7)
    }

"""The release calendar as a calendar app reads it (by `?token=`), and the handbook's live
block of a train's next release."""

from datetime import UTC, date, datetime

import pytest
import time_machine
from django.test import Client
from icalendar import Calendar

from accounts.services import calendar_token_create_or_rotate
from accounts.tests.factories import UserFactory
from handbook.generators import expand
from handbook.tests.factories import MembershipFactory
from releases import services
from releases.models import Release

from .factories import THIRD_THURSDAY, make_train

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 12, 1, 12, tzinfo=UTC)


@pytest.fixture
def train():
    train = make_train(rule=THIRD_THURSDAY, name="Self-managed; monthly, EU")
    services.train_plan(train=train, since=date(2027, 1, 1), until=date(2027, 12, 31), now=NOW)
    return train


@pytest.fixture
def token():
    return calendar_token_create_or_rotate(user=UserFactory(username="cal")).token


def _events(path, token):
    with time_machine.travel(NOW, tick=False):
        response = Client().get(path, {"token": token})
    assert response.status_code == 200, response.content[:200]
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    return response, {str(e["uid"]).split("@")[0]: e for e in calendar.walk("VEVENT")}


def test_every_release_and_milestone_is_an_event_and_keeps_its_uid_when_it_slips(train, token):
    july = Release.objects.get(train=train, release_date=date(2027, 7, 15))
    freeze = july.milestones.get(name="Code freeze")
    body, events = _events("/releases/calendar.ics", token)
    # 12 releases, each with four milestones before release day (T-0 is the release's event).
    assert len(events) == 12 * 5
    release = events[f"release-{july.pk}"]
    assert release.decoded("dtstart") == date(2027, 7, 15)
    assert int(release["sequence"]) == 0
    assert events[f"milestone-{freeze.pk}"].decoded("dtstart") == date(2027, 7, 1)
    # Text is escaped as RFC 5545 wants (the train's name has a comma and a semicolon).
    assert b"Self-managed\\; monthly\\, EU" in body.content
    services.release_reschedule(release=july, release_date=date(2027, 7, 19), reason="CVE", now=NOW)
    _, moved = _events("/releases/calendar.ics", token)
    assert moved.keys() == events.keys()  # the same UIDs
    assert moved[f"release-{july.pk}"].decoded("dtstart") == date(2027, 7, 19)
    assert int(moved[f"release-{july.pk}"]["sequence"]) == 1
    assert moved[f"milestone-{freeze.pk}"].decoded("dtstart") == date(2027, 7, 5)
    assert int(moved[f"milestone-{freeze.pk}"]["sequence"]) == 1
    august = Release.objects.get(train=train, release_date=date(2027, 8, 19))
    assert int(moved[f"release-{august.pk}"]["sequence"]) == 0


def test_a_trains_own_calendar_and_the_refusals(train, token):
    other = make_train(rule="FREQ=MONTHLY;BYMONTHDAY=16")
    services.train_plan(train=other, since=date(2027, 1, 1), until=date(2027, 3, 31), now=NOW)
    _, events = _events(f"/releases/trains/{other.slug}/calendar.ics", token)
    assert len(events) == 3 * 5
    _, everything = _events("/releases/calendar.ics", token)
    assert len(everything) == 12 * 5 + 3 * 5
    client = Client()
    assert client.get("/releases/trains/nope/calendar.ics", {"token": token}).status_code == 404
    assert client.get("/releases/calendar.ics", {"token": "not-a-token"}).status_code == 404
    assert client.get("/releases/calendar.ics")["Location"].startswith("/login/")


def test_the_account_page_offers_the_calendars_of_the_persons_trains(client, train):
    person = UserFactory()
    MembershipFactory(team=train.team, user=person)
    client.force_login(person)
    html = client.get("/account/").content.decode()
    assert "/releases/calendar.ics" in html
    assert f"/releases/trains/{train.slug}/calendar.ics" in html


def test_the_live_block_shows_the_next_planned_release_and_its_milestones(train):
    first = Release.objects.filter(train=train).order_by("release_date").first()
    markdown, used = expand(f"{{{{generator:releases.next.{train.slug}}}}}")
    assert used == {"releases"}
    assert f"{first.version}**: release day Thu 21 Jan 2027" in markdown
    assert "| Code freeze | Thu 7 Jan 2027 | — |" in markdown
    services.release_mark_released(release=first, now=NOW)
    markdown, _ = expand(f"{{{{generator:releases.next.{train.slug}}}}}")
    assert "Thu 18 Feb 2027" in markdown
    warning, _ = expand("{{generator:releases.next.nope}}")
    assert "there is no train" in warning
    assert "name a train" in expand("{{generator:releases}}")[0]

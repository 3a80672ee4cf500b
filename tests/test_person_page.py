"""A person's page and calendar show what the other apps know about them: their shifts
(rotations), the tickets assigned to them (tickets) and the releases they manage (releases),
through the sections those apps register with handbook.people."""

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from icalendar import Calendar

from accounts.models import User
from accounts.services import calendar_token_create_or_rotate
from accounts.tests.factories import UserFactory
from handbook.tests.factories import MembershipFactory, TeamFactory
from releases import services as release_services
from releases.models import Release
from tests.support import person_with_duties
from tickets import services as ticket_services
from tickets.tests.factories import column

pytestmark = pytest.mark.django_db

# A Monday morning: the weekly rota hands off at 09:00 Berlin (08:00 UTC).
NOW = datetime(2027, 1, 4, 10, 0, tzinfo=UTC)


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def world(frozen):
    """Inês on the delivery rota (every other week, from this one), with a ticket in progress,
    one to do, one done, and the release manager of the train's February release."""
    made = person_with_duties(now=NOW, username="ines")
    assert made["release"].release_date == date(2027, 2, 18)
    return {
        **made,
        "ines": made["person"],
        "february": made["release"],
        "viewer": UserFactory(username="viewer", timezone="America/New_York"),
    }


def _client(person):
    client = Client()
    client.force_login(person)
    return client


def test_person_page_and_calendar_show_shifts_assigned_tickets_and_release_duties(world):
    doing, waiting, done = world["tickets"]
    february = world["february"]
    html = _client(world["viewer"]).get("/people/ines/").content.decode()

    shifts = html[html.index('id="section-shifts"') : html.index('id="section-tickets"')]
    assert "Delivery support" in shifts and "Primary" in shifts
    # This week's shift (running now), then the one two weeks on; times in the viewer's zone
    # (New York: 09:00 Berlin is 03:00).
    assert "<strong>now</strong>" in shifts
    assert "Mon 18 Jan, 03:00" in shifts

    tickets = html[html.index('id="section-tickets"') : html.index('id="section-releases"')]
    assert doing.key in tickets and "Flaky nightly build" in tickets
    assert waiting.key in tickets
    assert done.key not in tickets  # done work is not on anyone's plate

    releases = html[html.index('id="section-releases"') :]
    assert f"Release {february.version}" in releases
    assert "Monthly self-managed" in releases
    assert "Thu 18 Feb 2027" in releases
    assert "Next deadline: Feature complete" in releases

    token = calendar_token_create_or_rotate(user=world["viewer"]).token
    response = Client().get("/people/ines/calendar.ics", {"token": token})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    events = {str(event["summary"]): event for event in calendar.walk("VEVENT")}
    todos = {str(todo["summary"]): todo for todo in calendar.walk("VTODO")}

    shifts = sorted(
        (event.decoded("dtstart"), event.decoded("dtend"))
        for event in calendar.walk("VEVENT")
        if str(event["summary"]) == "On call: Delivery support · Primary"
    )
    assert shifts[0] == (datetime(2027, 1, 4, 8, tzinfo=UTC), datetime(2027, 1, 11, 8, tzinfo=UTC))
    assert shifts[1][0] == datetime(2027, 1, 18, 8, tzinfo=UTC)  # every other week
    assert set(todos) == {f"{doing.key} Flaky nightly build", f"{waiting.key} Slow admin console"}
    assert str(todos[f"{doing.key} Flaky nightly build"]["status"]) == "IN-PROCESS"
    assert int(todos[f"{waiting.key} Slow admin console"]["priority"]) == 3  # S2
    release = events[f"Release {february.version} (Monthly self-managed)"]
    assert release.decoded("dtstart") == date(2027, 2, 18)
    assert f"Feature complete: {february.version} (Monthly self-managed)" in events
    # Only what Inês manages: the train's other releases are not in her calendar.
    release_uids = [
        str(event["uid"])
        for event in calendar.walk("VEVENT")
        if event["uid"].startswith("release-")
    ]
    assert release_uids == [str(release["uid"])]


def test_the_calendar_keeps_its_body_and_uids_through_the_day(world):
    client = _client(world["viewer"])
    first = client.get("/people/ines/calendar.ics")
    with time_machine.travel(NOW + timedelta(hours=6), tick=False):
        later = client.get("/people/ines/calendar.ics", headers={"If-None-Match": first["ETag"]})
    assert later.status_code == 304


def test_the_calendar_is_the_shifts_feeds_events_plus_tickets_and_releases(world):
    """The shifts in the person calendar are the rota feed's own events (same UIDs), and the
    rotas' /people/<username>/shifts.ics still answers as before."""
    client = _client(world["viewer"])
    shifts = Calendar.from_ical(client.get("/people/ines/shifts.ics").content)
    everything = Calendar.from_ical(client.get("/people/ines/calendar.ics").content)
    shift_uids = {str(event["uid"]) for event in shifts.walk("VEVENT")}
    assert shift_uids
    assert shift_uids <= {str(event["uid"]) for event in everything.walk("VEVENT")}


def test_anyone_logged_in_may_read_a_persons_page_and_calendar_but_not_anonymously(world):
    anonymous = Client()
    for url in ("/people/", "/people/ines/", "/people/ines/calendar.ics"):
        response = anonymous.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/login/")
    assert anonymous.get("/people/ines/calendar.ics", {"token": "wrong"}).status_code == 404
    viewer = _client(world["viewer"])
    assert viewer.get("/people/ines/").status_code == 200
    assert viewer.get("/people/ines/calendar.ics").status_code == 200
    assert viewer.get("/people/nobody/").status_code == 404
    assert viewer.get("/people/nobody/calendar.ics").status_code == 404
    assert viewer.post("/people/ines/calendar.ics").status_code == 405


def test_person_page_shows_teams_roles_contacts_and_local_time(world):
    html = _client(world["viewer"]).get("/people/ines/").content.decode()
    assert '<a href="/teams/delivery/">Delivery</a> · Lead' in html
    assert 'href="mailto:ines@x.test"' in html
    assert "https://chat.test/delivery" in html
    # 10:00 UTC is 10:00 in Lisbon in January, and 05:00 for the New York viewer.
    local = '<time id="person-local-time" datetime="2027-01-04T10:00:00+00:00">Mon 10:00</time>'
    assert local in html
    assert "(05:00 your time)" in html


def test_a_deactivated_person_keeps_a_page_saying_so(world):
    ines = world["ines"]
    ines.is_active = False
    ines.save()
    html = _client(world["viewer"]).get("/people/ines/").content.decode()
    assert "is no longer active" in html


@pytest.mark.parametrize("extra", [0, 8])
def test_person_page_reads_a_fixed_number_of_queries(world, extra):
    """However many tickets, releases, teams and shifts: the same queries."""
    ines, board = world["ines"], world["tickets"][0].board
    for n in range(extra):
        ticket = ticket_services.ticket_create(
            board=board, column=column(board, "To do"), title=f"More work {n}"
        )
        ticket_services.ticket_update(ticket=ticket, assignee=ines)
        MembershipFactory(team=TeamFactory(), user=ines)
    for release in Release.objects.filter(manager__isnull=True)[:extra]:
        release_services.release_update(release=release, manager=ines)
    client = _client(world["viewer"])
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/people/ines/").status_code == 200
    # the session's user; the person with memberships and teams (2); their teams' pages;
    # their rotations, and the rota's snapshot (plans, overrides, people: read here as the
    # test's transaction is not committed, from the cache on a server); their open tickets;
    # their releases with their open milestones (2)
    assert len(queries) == 11, "\n".join(q["sql"][:150] for q in queries.captured_queries)


def test_my_account_offers_my_calendar_to_subscribe_to(world):
    client = _client(world["ines"])
    html = client.get("/account/").content.decode()
    assert "My calendar: shifts, open tickets and release duties" in html
    assert "/people/ines/calendar.ics" in html


def test_a_deadline_past_its_day_and_not_done_is_shown_overdue(world):
    with time_machine.travel(datetime(2027, 1, 18, 10, tzinfo=UTC), tick=False):
        html = _client(world["viewer"]).get("/people/ines/").content.decode()
    duties = html[html.index('id="section-releases"') :]
    assert "1 overdue: Feature complete" in duties
    assert "Next deadline: RC1" in duties


def test_the_demo_gives_ines_something_in_every_section():
    from io import StringIO

    from django.core.management import call_command

    call_command("load_demo", "--tickets", "5", stdout=StringIO())
    client = Client()
    client.force_login(User.objects.get(username="ines.duarte"))
    html = client.get("/people/ines.duarte/").content.decode()
    for section in ("shifts", "tickets", "releases"):
        block = html[html.index(f'id="section-{section}"') :].split("</section>")[0]
        assert 'class="empty"' not in block, section
    home = client.get("/").content.decode()
    assert "Pages due for review" in home and "review was due" in home


def test_the_team_pages_on_call_block_links_the_holder_to_their_page(world):
    html = _client(world["viewer"]).get("/teams/delivery/").content.decode()
    on_call = html[html.index('id="oncall"') :].split("</section>")[0]
    assert 'href="/people/ines/"' in on_call and "Inês Duarte</a> (@ines)" in on_call

"""The home page: the viewer's next shifts, open tickets and release deadlines (the sections
of handbook.people), their teams' pages and those due for review, and the latest changes."""

from datetime import UTC, date, datetime, time

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.tests.factories import UserFactory
from handbook.models import Page
from handbook.tests.factories import MembershipFactory, TeamFactory, make_page
from releases import services as release_services
from releases.models import Release
from releases.tests.factories import make_train
from rotations.tests.factories import make_rotation, role
from tickets import services as ticket_services
from tickets.tests.factories import column, make_board

pytestmark = pytest.mark.django_db

NOW = datetime(2027, 1, 4, 10, 0, tzinfo=UTC)


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def me(frozen):
    me = UserFactory(username="me", display_name="Ana Example", timezone="UTC")
    other = UserFactory(username="other")
    team = TeamFactory(slug="delivery", name="Delivery")
    MembershipFactory(team=team, user=me)
    make_page("delivery/processes", "# P\n", title="Our processes", team=team)
    make_page("delivery/old", "# O\n", title="Old runbook", team=team)
    Page.objects.filter(path="delivery/old").update(review_by=date(2026, 12, 1))
    make_page("platform/guide", "# G\n", title="Platform guide", team=TeamFactory())
    Page.objects.filter(path="platform/guide").update(review_by=date(2026, 12, 1))
    make_rotation(
        team=team,
        name="Delivery support",
        roles=[role("Primary", [other, me], start=date(2027, 1, 4), at=time(9))],
    )
    board = make_board(team=team, key_prefix="DEL")
    ticket = ticket_services.ticket_create(
        board=board, column=column(board, "To do"), title="Fix the nightly build"
    )
    ticket_services.ticket_update(ticket=ticket, assignee=me)
    train = make_train(team=team, name="Monthly", start=date(2027, 1, 1))
    release_services.train_plan(train=train, since=date(2027, 1, 1), until=date(2027, 3, 31))
    release = Release.objects.get(train=train, release_date=date(2027, 1, 21))
    release_services.release_update(release=release, manager=me)
    return me


def _section(html, start, end=None):
    html = html[html.index(f'id="{start}"') :]
    return html[: html.index(f'id="{end}"')] if end else html


def test_home_shows_my_next_shifts_tickets_and_release_deadlines(client, me):
    client.force_login(me)
    html = client.get("/").content.decode()
    shifts = _section(html, "section-shifts", "section-tickets")
    assert "My next shifts" in shifts
    assert "Delivery support" in shifts and "Mon 11 Jan, 08:00" in shifts  # the other's week first
    tickets = _section(html, "section-tickets", "section-releases")
    assert "My open tickets" in tickets and "DEL-1" in tickets
    releases = _section(html, "section-releases", "pages-due")
    assert "My next release deadlines" in releases and "Thu 21 Jan 2027" in releases
    # The sections do not take the place of the main menu's.
    assert '<a href="/teams/">Teams</a>' in html and '<a href="/people/">People</a>' in html


def test_home_shows_my_teams_pages_those_due_for_review_and_the_latest(client, me):
    client.force_login(me)
    html = client.get("/").content.decode()
    due = _section(html, "pages-due", "my-pages")
    assert "Old runbook" in due and "1 Dec 2026" in due
    assert "Platform guide" not in due  # another team's page
    mine = _section(html, "my-pages", "recent-pages")
    assert "Our processes" in mine and "Platform guide" not in mine
    recent = _section(html, "recent-pages")
    assert "Platform guide" in recent and "Our processes" in recent


def test_home_of_someone_new_says_what_is_empty(client, frozen):
    client.force_login(UserFactory(username="new"))
    html = client.get("/").content.decode()
    assert "No shifts in the next 12 weeks." in html
    assert "No open tickets assigned." in html
    assert "Release manager of no planned release." in html
    assert "You are in no team yet" in html
    assert "The handbook has no pages yet." in html


@pytest.mark.parametrize("extra", [0, 6])
def test_home_reads_a_fixed_number_of_queries(client, me, extra):
    board = me.assigned_tickets.first().board
    for n in range(extra):
        ticket = ticket_services.ticket_create(board=board, title=f"More {n}")
        ticket_services.ticket_update(ticket=ticket, assignee=me)
        make_page(f"delivery/more-{n}", "# M\n", team=board.team)
    client.force_login(me)
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/").status_code == 200
    # the session's user; recent pages, my pages, pages due, whether I am in a team (4); my
    # rotations and the rota's snapshot (plans, overrides, people: uncached in a test's
    # transaction); my tickets; my releases with their open milestones (2)
    assert len(queries) == 12, "\n".join(q["sql"][:150] for q in queries.captured_queries)

import pytest
from django.urls import reverse

from handbook.demo import load_demo
from handbook.models import Membership, Team
from handbook.tests.factories import MembershipFactory, TeamFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def logged_in(client, user):
    client.force_login(user)
    return client


def test_every_page_needs_a_login(client):
    team = TeamFactory()
    for url in ("/", "/teams/", "/people/", f"/teams/{team.slug}/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/login/?next=")


def test_team_directory_lists_teams_and_navigation(logged_in, monkeypatch):
    from config import context_processors

    # A section whose app has not landed (no such URL name) is not in the menu at all.
    monkeypatch.setattr(
        context_processors,
        "SECTIONS",
        (*context_processors.SECTIONS, ("Not landed", "nowhere:home", ())),
    )
    TeamFactory(name="Delivery", mission="Ship releases on time")
    response = logged_in.get("/teams/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Delivery" in html
    assert "Ship releases on time" in html
    for label in ("Teams", "People", "Handbook", "Rotas", "Releases", "Board", "API docs"):
        assert f">{label}</a>" in html
    assert "Not landed" not in html


def test_team_directory_filter_returns_only_the_list_for_htmx(logged_in):
    TeamFactory(name="Delivery")
    TeamFactory(name="Platform")
    response = logged_in.get("/teams/?q=deliv", headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "Delivery" in html
    assert "Platform" not in html
    assert "<html" not in html
    assert response["Vary"].count("HX-Request") == 1


def test_team_directory_says_when_nothing_matches(logged_in):
    TeamFactory(name="Delivery")
    html = logged_in.get("/teams/?q=zzz").content.decode()
    assert "No team matches" in html


def test_team_page_shows_members_and_contacts(logged_in):
    team = TeamFactory(name="Sustained Engineering", slug="set")
    MembershipFactory(team=team, user__display_name="Rosa Lind", role=Membership.Role.LEAD)
    MembershipFactory(team=team, user__display_name="Tariq Aziz")
    team.contacts.create(reason="Incident", contacts=["@set-primary", "@set-backup"], via="Chat")
    html = logged_in.get(reverse("handbook:team", args=["set"])).content.decode()
    assert "Rosa Lind" in html
    assert "Lead" in html
    assert "Tariq Aziz" in html
    assert "@set-backup" in html


def test_team_page_of_an_unknown_team_is_404(logged_in):
    assert logged_in.get("/teams/nope/").status_code == 404


@pytest.mark.parametrize("n_teams", [2, 20])
def test_team_directory_query_count_is_fixed(logged_in, django_assert_num_queries, n_teams):
    for _ in range(n_teams):
        MembershipFactory(team=TeamFactory(parent=TeamFactory()))
    # user + teams (the session comes from the cache)
    with django_assert_num_queries(2):
        logged_in.get("/teams/")


@pytest.mark.parametrize("n_members", [2, 25])
def test_team_page_query_count_is_fixed(logged_in, django_assert_num_queries, n_members):
    team = TeamFactory()
    for _ in range(n_members):
        MembershipFactory(team=team)
    # user + team + memberships + contacts + sub-teams, the edit check (the
    # person's own and group permissions, then their role in the team), and the charter's
    # meetings, workstreams, pages, stale pages and broken-link count; the on-call block
    # (the team's rotas: none here, and so the team's name for saying so)
    with django_assert_num_queries(15):
        logged_in.get(f"/teams/{team.slug}/")


def test_load_demo_is_idempotent():
    load_demo()
    counts = (Team.objects.count(), Membership.objects.count())
    load_demo()
    assert (Team.objects.count(), Membership.objects.count()) == counts
    assert Team.objects.filter(slug="delivery").exists()
    assert Team.objects.filter(slug="sustained-engineering").exists()


def test_a_page_says_who_updated_it_and_who_last_reviewed_it_and_when(member_client, team_member):
    from datetime import UTC, date, datetime

    import time_machine

    from accounts.tests.factories import UserFactory
    from handbook import services
    from handbook.tests.factories import MembershipFactory, make_page

    user, team = team_member
    writer = UserFactory(username="writer", display_name="Wren Writer")
    MembershipFactory(team=team, user=writer)
    with time_machine.travel(datetime(2026, 3, 2, 9, tzinfo=UTC), tick=False):
        page = make_page("delivery/guide", "# Guide\n", team=team, user=user)
    page_text = member_client.get("/handbook/delivery/guide").content.decode()
    assert (
        f'Updated <time datetime="2026-03-02T09:00:00+00:00">2 Mar 2026</time> by {user.name}'
        in page_text
    )
    assert "Reviewed" not in page_text

    with time_machine.travel(datetime(2026, 5, 4, 9, tzinfo=UTC), tick=False):
        services.page_save(
            path=page.path, title="Guide", markdown="# Guide\n\nMore.\n", team=team, user=None
        )
    with time_machine.travel(datetime(2026, 6, 1, 9, tzinfo=UTC), tick=False):
        page.refresh_from_db()
        services.page_mark_reviewed(page=page, user=writer, review_by=date(2026, 12, 1))
    page_text = member_client.get("/handbook/delivery/guide").content.decode()
    # A review is not an update of the words: the last update stays the system's import.
    assert '2026-05-04T09:00:00+00:00">4 May 2026</time> by the system' in page_text
    assert (
        'Reviewed <time datetime="2026-06-01T09:00:00+00:00">1 Jun 2026</time> by Wren Writer'
        in page_text
    )

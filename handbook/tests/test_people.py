"""The people directory (filters, pages, empty states) and names linking to person pages."""

import pytest
from django.urls import reverse

from accounts.tests.factories import UserFactory
from handbook.models import Membership
from handbook.tests.factories import MembershipFactory, TeamFactory, make_page

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    delivery = TeamFactory(slug="delivery", name="Delivery")
    platform = TeamFactory(slug="platform", name="Platform")
    rosa = UserFactory(username="rosa", display_name="Rosa Lind", timezone="Europe/Lisbon")
    tariq = UserFactory(username="tariq", display_name="Tariq Aziz", timezone="Asia/Kolkata")
    mei = UserFactory(username="mei", display_name="Mei Chen", timezone="Europe/Lisbon")
    UserFactory(username="gone", display_name="Gone Person", is_active=False)
    MembershipFactory(team=delivery, user=rosa, role=Membership.Role.LEAD)
    MembershipFactory(team=platform, user=rosa, role=Membership.Role.ENGINEER)
    MembershipFactory(team=delivery, user=tariq, role=Membership.Role.ENGINEER)
    MembershipFactory(team=platform, user=mei, role=Membership.Role.LEAD)
    return {"rosa": rosa, "tariq": tariq, "mei": mei}


@pytest.fixture
def viewer(client, people):
    client.force_login(people["mei"])
    return client


def _names(client, **query):
    html = client.get("/people/", query).content.decode()
    rows = html[html.index('id="people-rows"') :]
    return [name for name in ("Rosa Lind", "Tariq Aziz", "Mei Chen", "Gone Person") if name in rows]


def test_directory_lists_active_people_with_teams_roles_and_links(viewer):
    html = viewer.get("/people/").content.decode()
    assert _names(viewer) == ["Rosa Lind", "Tariq Aziz", "Mei Chen"]
    assert '<a href="/people/rosa/" class="person-link">Rosa Lind</a>' in html
    assert '<a href="/teams/delivery/">Delivery</a> <small>Lead</small>' in html
    assert "Asia/Kolkata" in html
    assert '<a href="/people/" aria-current="page">People</a>' in html


@pytest.mark.parametrize(
    "query, expected",
    [
        ({"team": "delivery"}, ["Rosa Lind", "Tariq Aziz"]),
        ({"role": "lead"}, ["Rosa Lind", "Mei Chen"]),
        # The role in that team: Rosa leads Delivery, but is an engineer in Platform.
        ({"team": "platform", "role": "lead"}, ["Mei Chen"]),
        ({"timezone": "Europe/Lisbon"}, ["Rosa Lind", "Mei Chen"]),
        ({"q": "aziz"}, ["Tariq Aziz"]),
        ({"q": "ros lin"}, ["Rosa Lind"]),
        ({"q": "gone"}, []),  # no longer active
    ],
)
def test_directory_filters(viewer, query, expected):
    assert _names(viewer, **query) == expected


def test_directory_says_when_nobody_matches(viewer):
    html = viewer.get("/people/", {"q": "nobody-like-this"}).content.decode()
    assert "Nobody matches these filters." in html


@pytest.mark.parametrize(
    "query, field, message",
    [
        ({"team": "no-such-team"}, "team", "No team has this slug."),
        ({"role": "captain"}, "role", "Not a role"),
        ({"timezone": "Mars/Olympus"}, "timezone", "is not an IANA time zone"),
        ({"q": "x" * 101}, "q", "at most 100 characters"),
    ],
)
def test_a_bad_filter_is_a_form_error_and_the_others_still_apply(viewer, query, field, message):
    response = viewer.get("/people/", {**query, "team": query.get("team", "delivery")})
    html = response.content.decode()
    assert response.status_code == 200
    assert f'id="id_{field}-error">' in html and message in html
    if field != "team":
        assert _names(viewer, **query, team="delivery") == ["Rosa Lind", "Tariq Aziz"]


def test_the_filters_swap_only_the_list_for_htmx(viewer):
    response = viewer.get("/people/", {"team": "platform"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "<html" not in html and 'id="people-rows"' in html
    assert "Mei Chen" in html and "Tariq Aziz" not in html
    assert "HX-Request" in response["Vary"]


def test_the_directory_is_paginated_and_pages_keep_the_filters(viewer):
    team = TeamFactory(slug="big", name="Big team")
    for n in range(30):
        MembershipFactory(
            team=team, user=UserFactory(username=f"p{n:02}", display_name=f"P {n:02}")
        )
    first = viewer.get("/people/", {"team": "big"}).content.decode()
    assert "30 people" in first and "Page 1 of 2" in first
    assert 'href="?team=big&amp;page=2" rel="next"' in first
    second = viewer.get("/people/", {"team": "big", "page": "2"}).content.decode()
    assert second.count('class="person-link"') == 5
    # A page number out of range or not a number shows a page, not an error.
    assert viewer.get("/people/", {"page": "999"}).status_code == 200
    assert viewer.get("/people/", {"page": "x"}).status_code == 200


@pytest.mark.parametrize("extra", [0, 20])
def test_directory_query_count_is_fixed(viewer, django_assert_num_queries, extra):
    for _ in range(extra):
        MembershipFactory(team=TeamFactory())
    # the session's user, the time zones, the count, the page of people, their memberships
    # with teams, and the teams of the filter
    with django_assert_num_queries(6):
        viewer.get("/people/")


def test_team_page_names_link_to_person_pages(viewer, people):
    team = people["rosa"].memberships.get(team__slug="delivery").team
    team.workstreams.create(name="Release automation", lead=people["tariq"])
    html = viewer.get(reverse("handbook:team", args=["delivery"])).content.decode()
    assert '<td><a href="/people/rosa/" class="person-link">Rosa Lind</a></td>' in html
    assert '<a href="/people/tariq/" class="person-link">Tariq Aziz</a></td><td>' in html


def test_person_page_lists_the_pages_of_their_teams(viewer, people):
    make_page(
        "delivery/processes",
        "# Processes\n",
        title="Delivery processes",
        team=people["rosa"].memberships.get(team__slug="delivery").team,
    )
    make_page("other/elsewhere", "# Elsewhere\n", title="Somebody else's page")
    html = viewer.get("/people/tariq/").content.decode()
    assert "Delivery processes" in html
    assert "Somebody else&#x27;s page" not in html
    assert "No pages" in viewer.get("/people/mei/").content.decode()


def test_a_person_in_no_team_has_a_page_that_says_so(viewer):
    UserFactory(username="solo", display_name="Solo Person", email="")
    html = viewer.get("/people/solo/").content.decode()
    assert "Not in any team." in html
    assert "No contact details." in html

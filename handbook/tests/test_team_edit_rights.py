"""A member of another team (even its lead) is refused on every route of a team's edit page,
reading the page and every post alike, and nothing changes; so is an engineer of the team."""

import pytest
from django.urls import reverse

from handbook.models import ContactRoute, Meeting, Membership, Team, Workstream
from handbook.tests.factories import ContactRouteFactory, MembershipFactory, TeamFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def team():
    team = TeamFactory(slug="delivery", name="Delivery", principles=["One", "Two"])
    MembershipFactory(team=team, user__username="engineer")
    ContactRouteFactory(team=team)
    Meeting.objects.create(team=team, name="Sync", start="2026-01-06T09:00:00Z")
    return team


def _snapshot(team):
    team = Team.objects.get(pk=team.pk)
    return (
        team.version,
        team.principles,
        list(team.memberships.values_list("user__username", "role")),
        list(ContactRoute.objects.filter(team=team).values_list("reason", "contacts")),
        list(Workstream.objects.filter(team=team).values_list("name")),
        list(Meeting.objects.filter(team=team).values_list("name", "topic")),
    )


def _routes(team):
    meeting = team.meetings.get()
    slug = team.slug
    meeting_fields = {
        f"meeting-{meeting.pk}-name": "Renamed",
        f"meeting-{meeting.pk}-start": "2026-01-06T09:00",
        f"meeting-{meeting.pk}-duration_minutes": "30",
        f"meeting-{meeting.pk}-timezone": "UTC",
    }
    return [
        ("get", reverse("handbook:team_edit", args=[slug]), {}),
        (
            "post",
            reverse("handbook:team_charter", args=[slug]),
            {"name": "Taken", "principles": ["Two", "One"], "base_version": "1"},
        ),
        (
            "post",
            reverse("handbook:team_charter", args=[slug]),
            {"name": "Taken", "principles": ["One", "Two"], "op": "principles:up:1"},
        ),
        (
            "post",
            reverse("handbook:team_contacts", args=[slug]),
            {"base_version": "1", "reason": "Mine", "contacts": "@me"},
        ),
        (
            "post",
            reverse("handbook:team_workstreams", args=[slug]),
            {"base_version": "1", "name": "Mine"},
        ),
        (
            "post",
            reverse("handbook:team_member_add", args=[slug]),
            {"person": "outsider", "role": "lead"},
        ),
        ("post", reverse("handbook:team_member", args=[slug, "engineer"]), {"role": "lead"}),
        ("post", reverse("handbook:team_member", args=[slug, "engineer"]), {"remove": "1"}),
        (
            "post",
            reverse("handbook:team_meeting_add", args=[slug]),
            {"new-meeting-name": "Mine", "new-meeting-start": "2026-01-06T09:00"},
        ),
        ("post", reverse("handbook:team_meeting", args=[slug, meeting.pk]), meeting_fields),
        ("post", reverse("handbook:team_meeting", args=[slug, meeting.pk]), {"remove": "1"}),
    ]


ROUTE_COUNT = 11


@pytest.mark.parametrize("index", range(ROUTE_COUNT))
@pytest.mark.parametrize("who", ["lead of another team", "engineer of the team"])
def test_someone_who_may_not_edit_the_team_gets_403_and_changes_nothing(client, team, index, who):
    if who == "lead of another team":
        person = MembershipFactory(
            team=TeamFactory(slug="other"), role=Membership.Role.LEAD, user__username="outsider"
        ).user
    else:
        person = team.memberships.get(user__username="engineer").user
    client.force_login(person)
    method, url, data = _routes(team)[index]
    before = _snapshot(team)
    response = getattr(client, method)(url, data)
    assert response.status_code == 403
    assert "leads and managers, and admins" in response.content.decode()
    assert _snapshot(team) == before


def test_every_route_of_the_edit_page_is_tried(team):
    """A route added to the edit page without a case above fails here."""
    from django.urls import resolve

    from handbook.urls import urlpatterns

    edit_routes = {
        entry.name
        for entry in urlpatterns
        if str(entry.pattern).startswith("teams/<slug:slug>/edit/")
    }
    tried = {resolve(url).url_name for _, url, _ in _routes(team)}
    assert len(_routes(team)) == ROUTE_COUNT
    assert len(edit_routes) == 8
    assert edit_routes == tried

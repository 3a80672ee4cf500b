"""A team's history page: every change to its charter, members, contacts, workstreams and
meetings, with who made it and what changed, read in a fixed number of queries."""

import pytest
from django.urls import reverse

from accounts.tests.factories import UserFactory
from handbook import selectors, services
from handbook.models import Membership
from handbook.tests.factories import MembershipFactory, TeamFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def team():
    return TeamFactory(slug="delivery", name="Delivery", principles=["Ship small", "Write it down"])


@pytest.fixture
def lead(team):
    return MembershipFactory(
        team=team, role=Membership.Role.LEAD, user__display_name="Lena Lead"
    ).user


def _changes(client, team):
    html = client.get(reverse("handbook:team_history", args=[team.slug])).content.decode()
    return html[html.index('id="team-changes"') :]


def test_each_change_is_told_with_who_made_it(client, team, lead):
    services.team_update(
        team=team, by=lead, principles=["Write it down", "Ship small"], mission="Releases"
    )
    newcomer = UserFactory(display_name="Nia New")
    services.membership_set(team=team, user=newcomer, role="qa", by=lead)
    services.team_update(
        team=team,
        by=lead,
        contacts=[{"reason": "Release blocked", "contacts": ["@rota"], "via": "Chat"}],
    )
    meeting = services.meeting_create(
        team=team, by=lead, name="Retro", start="2026-01-06T09:00:00Z"
    )
    services.meeting_update(meeting=meeting, by=lead, duration_minutes=45)
    services.meeting_delete(meeting=meeting, by=lead)

    client.force_login(UserFactory())  # any reader may see the history
    table = _changes(client, team)
    assert "Lena Lead" in table
    assert "Principles: new order: “Write it down”, “Ship small”" in table
    assert "Mission changed" in table
    assert "Nia New (Quality engineer)</strong> added" in table
    assert "Release blocked</strong> added" in table
    assert "Minutes: 30 → 45" in table
    assert "Retro</strong> removed" in table
    # Newest first: the meeting's removal before the charter change.
    assert table.index("Retro</strong> removed") < table.index("Principles:")


def test_a_save_that_changes_nothing_adds_no_history(team, lead):
    services.team_update(team=team, by=lead, principles=list(team.principles))
    team.refresh_from_db()
    assert team.version == 1
    assert [change.action for change in selectors.team_history(team=team)] == ["added", "added"]


def test_list_changes_say_what_was_added_and_removed(team, lead):
    services.team_update(team=team, by=lead, principles=["Ship small", "Automate"])
    latest = selectors.team_history(team=team)[0]
    assert latest.details == ["Principles: added “Automate”; removed “Write it down”"]
    assert latest.who == "Lena Lead"


QUERIES = 12


@pytest.mark.parametrize("changes", [1, 8])
def test_the_history_page_reads_a_fixed_number_of_queries(
    client, team, lead, changes, django_assert_num_queries
):
    for number in range(changes):
        services.team_update(team=team, by=lead, mission=f"Mission {number}")
        services.membership_set(team=team, user=UserFactory(), role="engineer", by=lead)
        services.team_update(
            team=team, by=lead, workstreams=[{"name": f"Stream {number}", "lead": lead}]
        )
    client.force_login(lead)
    url = reverse("handbook:team_history", args=[team.slug])
    client.get(url)
    with django_assert_num_queries(QUERIES):
        response = client.get(url)
    told = selectors.team_history(team=team)
    assert len(told) == 2 + changes * 4 - 1  # created, lead joined; the first stream is added
    assert response.content.decode().count("<tr>") == 1 + len(told)

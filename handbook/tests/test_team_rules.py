"""Rules about team structure: who may place a team under another, membership changes that
keep history, and meeting schedules that every way in must be able to read."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.tests.factories import AdminFactory, UserFactory
from handbook.models import Meeting, Membership, Team
from handbook.tests.factories import MembershipFactory, TeamFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def a_and_b():
    return TeamFactory(slug="team-a", name="Team A"), TeamFactory(slug="team-b", name="Team B")


def test_a_lead_of_b_cannot_place_b_under_a(a_and_b, token_client):
    _a, b = a_and_b
    lead_of_b = MembershipFactory(team=b, role=Membership.Role.LEAD).user
    response = token_client(lead_of_b).patch(
        "/api/v1/teams/team-b/", {"parent": "team-a"}, format="json"
    )
    assert response.status_code == 403
    assert "Team A" in response.json()["detail"]
    b.refresh_from_db()
    assert b.parent is None
    assert (
        "Teams within" not in token_client(lead_of_b).get("/api/v1/teams/team-a/").content.decode()
    )


def test_a_lead_of_a_and_an_admin_may_place_a_team_under_a(a_and_b, token_client):
    a, b = a_and_b
    lead_of_both = MembershipFactory(team=a, role=Membership.Role.LEAD).user
    MembershipFactory(team=b, user=lead_of_both, role=Membership.Role.LEAD)
    response = token_client(lead_of_both).patch(
        "/api/v1/teams/team-b/", {"parent": "team-a"}, format="json"
    )
    assert response.status_code == 200
    b.refresh_from_db()
    assert b.parent == a

    c = TeamFactory(slug="team-c")
    admin = token_client(AdminFactory())
    assert (
        admin.patch("/api/v1/teams/team-c/", {"parent": "team-a"}, format="json").status_code == 200
    )
    c.refresh_from_db()
    assert c.parent == a


def test_leaving_a_parent_is_the_teams_own_call(a_and_b, token_client):
    a, b = a_and_b
    b.parent = a
    b.save()
    lead_of_b = MembershipFactory(team=b, role=Membership.Role.LEAD).user
    response = token_client(lead_of_b).patch(
        "/api/v1/teams/team-b/", {"parent": None}, format="json"
    )
    assert response.status_code == 200
    b.refresh_from_db()
    assert b.parent is None


def test_patching_members_keeps_the_memberships_that_stay(a_and_b, token_client):
    a, _b = a_and_b
    lead = MembershipFactory(team=a, role=Membership.Role.LEAD).user
    engineer = MembershipFactory(team=a, role=Membership.Role.ENGINEER).user
    long_ago = timezone.now() - timedelta(days=400)
    Membership.objects.filter(team=a).update(joined_at=long_ago)
    before = {m.user.username: (m.pk, m.joined_at) for m in Membership.objects.filter(team=a)}
    newcomer = UserFactory(username="newcomer")

    members = [
        {"username": lead.username, "role": "lead"},
        {"username": engineer.username, "role": "engineer"},
        {"username": "newcomer", "role": "engineer"},
    ]
    response = token_client(lead).patch(
        "/api/v1/teams/team-a/", {"members": members}, format="json"
    )

    assert response.status_code == 200, response.json()
    after = {m.user.username: (m.pk, m.joined_at) for m in Membership.objects.filter(team=a)}
    assert {name: after[name] for name in before} == before
    assert after["newcomer"][1] > long_ago
    added = Membership.history.get(user=newcomer, history_type="+")
    assert added.history_user == lead


def test_patching_members_changes_roles_and_removes_with_history(a_and_b, token_client):
    a, _b = a_and_b
    lead = MembershipFactory(team=a, role=Membership.Role.LEAD).user
    engineer = MembershipFactory(team=a, role=Membership.Role.ENGINEER).user
    leaving = MembershipFactory(team=a, role=Membership.Role.ENGINEER).user
    kept_id = Membership.objects.get(user=engineer).pk
    members = [
        {"username": lead.username, "role": "lead"},
        {"username": engineer.username, "role": "em"},
    ]
    response = token_client(lead).patch(
        "/api/v1/teams/team-a/", {"members": members}, format="json"
    )
    assert response.status_code == 200, response.json()
    promoted = Membership.objects.get(user=engineer)
    assert (promoted.pk, promoted.role) == (kept_id, "em")
    assert not Membership.objects.filter(user=leaving).exists()
    changes = {(h.user_id, h.history_type, h.history_user_id) for h in Membership.history.all()}
    assert (engineer.pk, "~", lead.pk) in changes
    assert (leaving.pk, "-", lead.pk) in changes


# Meeting schedules


def _inline_post(admin_client, team: Team, meeting: dict):
    """The team's admin change form as the browser would post it, with one meeting added."""
    url = f"/admin/handbook/team/{team.pk}/change/"
    page = admin_client.get(url)
    data = {
        key: value
        for key, value in page.context["adminform"].form.initial.items()
        if value is not None and not isinstance(value, list)
    }
    for formset in page.context["inline_admin_formsets"]:
        prefix = formset.formset.prefix
        total = 1 if prefix == "meetings" else 0
        data |= {
            f"{prefix}-TOTAL_FORMS": str(total),
            f"{prefix}-INITIAL_FORMS": "0",
            f"{prefix}-MIN_NUM_FORMS": "0",
            f"{prefix}-MAX_NUM_FORMS": "1000",
        }
    data |= {f"meetings-0-{field}": value for field, value in meeting.items()}
    return admin_client.post(url, data)


@pytest.mark.parametrize(
    ("rule", "saved"),
    [("FREQ=WEEKLY;BYDAY=XX", False), ("every tuesday", False), ("FREQ=WEEKLY;BYDAY=TU", True)],
)
def test_the_admin_inline_refuses_a_rule_the_team_page_cannot_read(admin_client, rule, saved):
    team = TeamFactory(slug="sched", name="Sched")
    meeting = {
        "name": "Sync",
        "recurrence": rule,
        "start_0": "2026-01-06",
        "start_1": "09:00:00",
        "duration_minutes": "30",
        "timezone": "Europe/Berlin",
    }
    response = _inline_post(admin_client, team, meeting)
    assert Meeting.objects.filter(team=team).exists() is saved
    if not saved:
        assert response.status_code == 200
        assert "Not a valid RRULE" in response.content.decode()


def test_a_bad_rule_already_stored_leaves_the_team_page_readable(client, user):
    team = TeamFactory(slug="sched", name="Sched")
    Meeting.objects.create(team=team, name="Broken", start="2026-01-06T09:00:00Z")
    Meeting.objects.create(team=team, name="Fine", start="2026-01-06T09:00:00Z")
    # Stored before the rule was validated (or written straight to the database).
    Meeting.objects.filter(name="Broken").update(recurrence="FREQ=SOMETIMES")
    Meeting.objects.filter(name="Fine").update(recurrence="FREQ=WEEKLY;BYDAY=TU")
    client.force_login(user)
    response = client.get("/teams/sched/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Schedule unreadable" in body and "Fine" in body

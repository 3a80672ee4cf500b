"""Editing a team in the portal, the sections besides the charter: contact rows, workstreams,
members, meetings; empty states, the edit link, and the page's queries."""

import pytest
from django.urls import reverse

from accounts.tests.factories import AdminFactory, UserFactory
from handbook.models import Meeting, Membership, Team
from handbook.tests.factories import MembershipFactory, TeamFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def team():
    return TeamFactory(
        slug="delivery",
        name="Delivery",
        principles=["Automate the toil", "Ship small", "Write it down"],
        ownership=["Release tooling", "Deploy pipeline"],
    )


@pytest.fixture
def lead(team):
    return MembershipFactory(team=team, role=Membership.Role.LEAD, user__username="lead").user


def _client(client, person):
    client.force_login(person)
    return client


def test_contact_rows_are_saved_in_order_and_changed_in_place(client, team, lead):
    client = _client(client, lead)
    url = reverse("handbook:team_contacts", args=[team.slug])
    data = {
        "base_version": "1",
        "id": ["", ""],
        "reason": ["Release blocked", "Question"],
        "contacts": ["@release-manager, @delivery-rota", "@delivery"],
        "via": ["Chat", ""],
    }
    assert client.post(url, data).status_code == 302
    routes = list(team.contacts.all())
    assert [route.reason for route in routes] == ["Release blocked", "Question"]
    assert routes[0].contacts == ["@release-manager", "@delivery-rota"]

    swapped = {
        "base_version": "2",
        "id": [str(routes[1].pk), str(routes[0].pk)],
        "reason": ["Question", "Release blocked"],
        "contacts": ["@delivery", "@release-manager"],
        "via": ["", "Chat"],
    }
    assert client.post(url, swapped).status_code == 302
    after = list(team.contacts.all())
    assert [route.pk for route in after] == [routes[1].pk, routes[0].pk]
    assert after[1].contacts == ["@release-manager"]
    assert routes[0].history.first().history_user == lead


def test_a_contact_row_without_contacts_is_an_error_on_its_row(client, team, lead):
    client = _client(client, lead)
    data = {"base_version": "1", "id": [""], "reason": ["Release blocked"], "contacts": [" , "]}
    response = client.post(reverse("handbook:team_contacts", args=[team.slug]), data)
    assert response.status_code == 400
    assert "Name at least one contact." in response.content.decode()
    assert not team.contacts.exists()


def test_a_stale_contacts_save_is_refused(client, team, lead):
    client = _client(client, lead)
    team.version = 5
    team.save()
    data = {"base_version": "4", "id": [""], "reason": ["Late"], "contacts": ["@x"], "via": [""]}
    response = client.post(reverse("handbook:team_contacts", args=[team.slug]), data)
    assert response.status_code == 409
    assert "Someone changed this team while you were editing" in response.content.decode()
    assert not team.contacts.exists()


def test_workstreams_with_an_unknown_lead_are_refused_in_place(client, team, lead):
    client = _client(client, lead)
    url = reverse("handbook:team_workstreams", args=[team.slug])
    data = {"base_version": "1", "id": [""], "name": ["Automation"], "lead": ["nobody"]}
    response = client.post(url, data)
    assert response.status_code == 400
    assert "No active person has the username “nobody”." in response.content.decode()
    data["lead"] = ["lead"]
    data["description"] = ["Fewer manual steps"]
    assert client.post(url, data).status_code == 302
    stream = team.workstreams.get()
    assert (stream.name, stream.lead, stream.position) == ("Automation", lead, 0)


def test_members_are_added_re_roled_and_removed(client, team, lead):
    client = _client(client, lead)
    newcomer = UserFactory(username="newcomer", display_name="New Comer")
    add = reverse("handbook:team_member_add", args=[team.slug])
    unknown = client.post(add, {"person": "ghost", "role": "engineer"})
    assert unknown.status_code == 400
    assert "No active person has the username “ghost”." in unknown.content.decode()

    assert client.post(add, {"person": "newcomer", "role": "qa"}).status_code == 302
    assert team.memberships.get(user=newcomer).role == "qa"
    role = reverse("handbook:team_member", args=[team.slug, "newcomer"])
    assert client.post(role, {"role": "designer"}).status_code == 302
    assert team.memberships.get(user=newcomer).role == "designer"
    assert client.post(role, {"remove": "1"}).status_code == 302
    assert not team.memberships.filter(user=newcomer).exists()
    missing = client.post(role, {"remove": "1"})
    assert missing.status_code == 404


def test_meetings_are_added_changed_in_their_zone_and_removed(client, team, lead):
    client = _client(client, lead)
    add = reverse("handbook:team_meeting_add", args=[team.slug])
    fields = {
        "new-meeting-name": "Planning",
        "new-meeting-recurrence": "FREQ=WEEKLY;BYDAY=XX",
        "new-meeting-start": "2026-01-06T10:00",
        "new-meeting-duration_minutes": "30",
        "new-meeting-timezone": "Europe/Berlin",
    }
    bad = client.post(add, fields)
    assert bad.status_code == 400
    assert "Not a valid RRULE" in bad.content.decode()
    fields["new-meeting-recurrence"] = "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU"
    assert client.post(add, fields).status_code == 302
    meeting = Meeting.objects.get(team=team, name="Planning")
    assert meeting.start.isoformat() == "2026-01-06T09:00:00+00:00"  # 10:00 in Berlin

    edit_page = client.get(reverse("handbook:team_edit", args=[team.slug])).content.decode()
    assert 'value="2026-01-06T10:00"' in edit_page  # shown in the meeting's zone

    change = reverse("handbook:team_meeting", args=[team.slug, meeting.pk])
    prefix = f"meeting-{meeting.pk}"
    changed = {key.replace("new-meeting", prefix): value for key, value in fields.items()}
    changed[f"{prefix}-name"] = "Planning and sync"
    assert client.post(change, changed).status_code == 302
    meeting.refresh_from_db()
    assert meeting.name == "Planning and sync"
    assert meeting.history.first().history_user == lead

    assert client.post(change, {"remove": "1"}).status_code == 302
    assert not Meeting.objects.filter(pk=meeting.pk).exists()


def test_a_meeting_of_another_team_is_not_found_through_this_one(client, team, lead):
    other = Meeting.objects.create(team=TeamFactory(), name="Theirs", start="2026-01-06T09:00:00Z")
    client = _client(client, lead)
    url = reverse("handbook:team_meeting", args=[team.slug, other.pk])
    assert client.post(url, {"remove": "1"}).status_code == 404
    assert Meeting.objects.filter(pk=other.pk).exists()


def test_the_team_page_offers_editing_to_those_who_may(client, team, lead):
    engineer = MembershipFactory(team=team).user
    page = reverse("handbook:team", args=[team.slug])
    edit = reverse("handbook:team_edit", args=[team.slug])
    assert edit in _client(client, lead).get(page).content.decode()
    assert edit in _client(client, AdminFactory()).get(page).content.decode()
    assert edit not in _client(client, engineer).get(page).content.decode()
    assert _client(client, engineer).get(edit).status_code == 403


def test_the_edit_page_has_empty_states(client, lead):
    bare = TeamFactory(slug="bare")
    MembershipFactory(team=bare, user=lead, role=Membership.Role.LEAD)
    html = _client(client, lead).get(reverse("handbook:team_edit", args=["bare"])).content
    text = html.decode()
    assert "No contacts listed." in text
    assert "No workstreams listed." in text
    assert "No meetings listed." in text
    assert Team.objects.get(slug="bare").version == 1


@pytest.mark.parametrize("size", [1, 6])
def test_the_edit_page_reads_a_fixed_number_of_queries(
    client, team, lead, size, django_assert_num_queries
):
    from handbook.tests.factories import ContactRouteFactory

    for number in range(size):
        MembershipFactory(team=team)
        ContactRouteFactory(team=team, position=number)
        team.workstreams.create(name=f"Stream {number}", lead=lead, position=number)
        Meeting.objects.create(team=team, name=f"Meeting {number}", start="2026-01-06T09:00Z")
    client = _client(client, lead)
    url = reverse("handbook:team_edit", args=[team.slug])
    client.get(url)
    with django_assert_num_queries(EDIT_PAGE_QUERIES):
        response = client.get(url)
    # Each contact and workstream row, each line, and the new-item template of each list.
    assert response.content.decode().count('data-op="up"') == 2 * size + 3 + 2 + 4


EDIT_PAGE_QUERIES = 10


def test_a_contact_row_moved_without_javascript_keeps_its_values(client, team, lead):
    client = _client(client, lead)
    data = {
        "base_version": "1",
        "id": ["", ""],
        "reason": ["First", "Second"],
        "contacts": ["@one", "@two"],
        "via": ["", "Chat"],
        "op": "contacts:up:1",
    }
    response = client.post(reverse("handbook:team_contacts", args=[team.slug]), data)
    assert response.status_code == 200
    html = response.content.decode()
    rows = html[html.index('id="list-contacts"') :]
    assert rows.index('value="Second"') < rows.index('value="First"')
    assert not team.contacts.exists()

"""The rotas in the admin: the same rules and checks as the portal and the API, and a change
takes effect at the next handoff."""

from datetime import UTC, date, datetime

import pytest
import time_machine
from django.urls import reverse

from accounts.tests.factories import AdminFactory, UserFactory
from handbook.models import Membership
from handbook.tests.factories import MembershipFactory
from rotations import selectors
from rotations.models import Override, Rotation
from tests.support import resubmit_form

from .factories import make_rotation, role

pytestmark = pytest.mark.django_db


def utc(*args):
    return datetime(*args, tzinfo=UTC)


def holder(rotation, at):
    snapshot = selectors.rotation_snapshot(rotation_id=rotation.pk, since=at)
    person = selectors.oncall_at(snapshot=snapshot, at=at)[0].person
    return person.username if person else None


def _member_rows(fields: dict) -> list[str]:
    total = int(fields["members-TOTAL_FORMS"])
    return [f"members-{n}" for n in range(total)]


@pytest.fixture
def rota(people):
    a, b, c, _ = people
    with time_machine.travel(utc(2025, 3, 20), tick=False):
        return make_rotation(roles=[role("Support", [a, b, c])])


@time_machine.travel(utc(2025, 4, 2, 10), tick=False)
def test_reordering_members_in_the_admin_changes_the_rota_from_the_next_handoff(
    client, rota, people
):
    client.force_login(AdminFactory())
    assert holder(rota, utc(2025, 4, 2, 10)) == "b"
    assert holder(rota, utc(2025, 4, 7, 7)) == "c"
    role_ = rota.roles.get()

    def swap_b_and_c(fields):
        # The sortable list submits positions; C before B, as dragging (or typing) would.
        by_user = {
            fields[f"{row}-user"]: row for row in _member_rows(fields) if fields[f"{row}-id"]
        }
        b, c = people[1], people[2]
        fields[f"{by_user[str(b.pk)]}-position"] = "3"
        fields[f"{by_user[str(c.pk)]}-position"] = "2"

    url = reverse("admin:rotations_role_change", args=[role_.pk])
    response = resubmit_form(client, url, swap_b_and_c)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert holder(rota, utc(2025, 4, 2, 10)) == "b"  # B finishes the week
    # C was next and stays next; from there the new order A, C, B goes on: B, then A.
    assert holder(rota, utc(2025, 4, 7, 7)) == "c"
    assert holder(rota, utc(2025, 4, 14, 7)) == "b"
    assert holder(rota, utc(2025, 4, 21, 7)) == "a"


@time_machine.travel(utc(2025, 4, 2, 10), tick=False)
def test_the_admin_refuses_a_member_from_outside_the_team_and_a_start_moved_after_it_began(
    client, rota
):
    client.force_login(AdminFactory())
    outsider = UserFactory(username="outsider")
    role_ = rota.roles.get()
    url = reverse("admin:rotations_role_change", args=[role_.pk])

    def add_outsider(fields):
        row = _member_rows(fields)[-1]
        fields[f"{row}-user"] = str(outsider.pk)
        fields[f"{row}-position"] = "9"

    response = resubmit_form(client, url, add_outsider)
    assert response.status_code == 200
    assert "outsider: not a member of the" in response.content.decode()
    assert not role_.members.filter(user=outsider).exists()

    def move_start(fields):
        fields["start"] = "2025-05-05"

    response = resubmit_form(client, url, move_start)
    assert response.status_code == 200
    assert "The rota has begun" in response.content.decode()
    role_.refresh_from_db()
    assert role_.start == date(2025, 3, 24)


def test_a_staff_member_of_another_team_cannot_open_or_change_the_rota(client, rota):
    stranger = UserFactory(is_staff=True)
    client.force_login(stranger)
    url = reverse("admin:rotations_rotation_change", args=[rota.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"name": "Taken"}).status_code == 403
    assert Rotation.objects.get(pk=rota.pk).name == "Support"
    role_url = reverse("admin:rotations_role_change", args=[rota.roles.get().pk])
    assert client.get(role_url).status_code == 403
    assert client.post(role_url, {"name": "Taken"}).status_code == 403
    assert rota.roles.get().name == "Support"


def test_a_staff_lead_of_the_team_edits_its_rota_in_the_admin(client, rota):
    lead = UserFactory(is_staff=True)
    MembershipFactory(team=rota.team, user=lead, role=Membership.Role.LEAD)
    client.force_login(lead)
    url = reverse("admin:rotations_rotation_change", args=[rota.pk])

    def rename(fields):
        fields["name"] = "Weekday support"

    response = resubmit_form(client, url, rename)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Rotation.objects.get(pk=rota.pk).name == "Weekday support"


@time_machine.travel(utc(2025, 4, 2, 10), tick=False)
def test_an_override_added_in_the_admin_is_checked_and_covers_the_role(client, rota, people):
    client.force_login(AdminFactory())
    role_ = rota.roles.get()
    url = reverse("admin:rotations_override_add")
    past = {
        "role": role_.pk,
        "user": people[3].pk,
        "start_0": "2025-03-01",
        "start_1": "09:00",
        "end_0": "2025-03-02",
        "end_1": "09:00",
        "reason": "too late",
    }
    response = client.post(url, past)
    assert response.status_code == 200
    assert "the past is not rewritten" in response.content.decode()
    assert not Override.objects.exists()

    future = {**past, "start_0": "2025-04-03", "end_0": "2025-04-04", "reason": "day off"}
    response = client.post(url, future)
    assert response.status_code == 302, response.content.decode()[:3000]
    override = Override.objects.get()
    assert override.reason == "day off"
    assert override.created_by is not None
    assert holder(rota, utc(2025, 4, 3, 12)) == "d"

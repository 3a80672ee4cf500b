"""The rotas' REST API as a tool uses it (../docs/api.md, "Rotations")."""

import itertools
from datetime import UTC, date, datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.tests.factories import AdminFactory, UserFactory
from handbook.models import Membership
from handbook.tests.factories import MembershipFactory, TeamFactory
from notifications.models import Delivery
from notifications.tests.factories import ChannelFactory
from rotations.models import Override, Rotation

from .factories import make_rotation, role

pytestmark = pytest.mark.django_db


def utc(*args):
    return datetime(*args, tzinfo=UTC)


@pytest.fixture
def team_lead(people):
    team = TeamFactory(slug="sre", name="SRE")
    lead = UserFactory(username="lead")
    MembershipFactory(team=team, user=lead, role=Membership.Role.LEAD)
    for person in people:
        MembershipFactory(team=team, user=person)
    return team, lead


def _rotation_body(**changes):
    body = {
        "team": "sre",
        "name": "Support",
        "timezone": "Europe/Berlin",
        "roles": [
            {
                "name": "Primary",
                "handoff_weekday": 0,
                "handoff_time": "09:00",
                "cycle_weeks": 1,
                "start": "2025-03-24",
                "members": ["a", "b"],
            }
        ],
    }
    body.update(changes)
    return body


def _role(**changes):
    return _rotation_body(roles=[{**_rotation_body()["roles"][0], **changes}])


@time_machine.travel(utc(2025, 3, 20), tick=False)
def test_a_lead_adds_a_rotation_and_asks_who_is_on_call(team_lead, token_client):
    client = token_client(team_lead[1])
    made = client.post("/api/v1/rotations/", _rotation_body(), format="json")
    assert made.status_code == 201, made.json()
    body = made.json()
    assert body["roles"][0]["handoff_time"] == "09:00"
    assert body["roles"][0]["members"] == ["a", "b"]
    assert body["team"] == "sre"

    def oncall(at):
        answer = client.get(f"/api/v1/rotations/{body['id']}/oncall/", {"at": at})
        assert answer.status_code == 200, answer.json()
        return answer.json()["roles"][0]

    assert oncall("2025-03-31T06:59:00Z")["username"] == "a"
    after = oncall("2025-03-31T07:00:00Z")
    assert after["username"] == "b"
    assert after["source"] == "rotation"
    assert after["start"] == "2025-03-31T07:00:00Z"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (_rotation_body(timezone="Europe/Atlantis"), "timezone"),
        (_role(handoff_weekday=7), "handoff_weekday"),
        (_role(handoff_time="24:00"), "handoff_time"),
        (_role(cycle_weeks=0), "cycle_weeks"),
        (_role(members=["a", "nobody"]), "members"),
        (_role(members=["outsider"]), "members"),
    ],
    ids=["unknown zone", "weekday 7", "24:00", "cycle 0", "unknown person", "not in the team"],
)
def test_bad_rotations_are_a_400_naming_the_field(team_lead, token_client, body, field):
    UserFactory(username="outsider")
    answer = token_client(team_lead[1]).post("/api/v1/rotations/", body, format="json")
    assert answer.status_code == 400
    errors = answer.json()
    found = errors["roles"]["0"] if "roles" in errors else errors
    assert field in found, errors
    assert not Rotation.objects.exists()


@time_machine.travel(utc(2026, 1, 5, 12), tick=False)
def test_an_override_through_the_api_shows_in_oncall_and_shifts_and_can_be_cancelled(
    people, team_lead, token_client
):
    a, b, _c = people[:3]
    rotation = make_rotation(
        team=team_lead[0], roles=[role("Primary", [a, b], start=date(2026, 1, 5))]
    )
    client = token_client(a)
    bad = client.post(
        f"/api/v1/rotations/{rotation.pk}/overrides/",
        {
            "role": "Primary",
            "username": "c",
            "start": "2026-01-06T12:00:00+01:00",
            "end": "2026-01-06T09:00:00+01:00",
        },
        format="json",
    )
    assert bad.status_code == 400
    assert "end" in bad.json()
    made = client.post(
        f"/api/v1/rotations/{rotation.pk}/overrides/",
        {
            "role": "Primary",
            "username": "c",
            "start": "2026-01-06T08:00:00+01:00",
            "end": "2026-01-07T08:00:00+01:00",
            "reason": "swap",
        },
        format="json",
    )
    assert made.status_code == 201, made.json()
    override = made.json()
    assert override["username"] == "c"
    assert override["created_by"] == "a"

    holder = client.get(
        f"/api/v1/rotations/{rotation.pk}/oncall/", {"at": "2026-01-06T12:00:00+01:00"}
    ).json()["roles"][0]
    assert (holder["username"], holder["source"]) == ("c", "override")

    shifts = client.get(
        f"/api/v1/rotations/{rotation.pk}/shifts/",
        {"start": "2026-01-05T08:00:00Z", "end": "2026-01-19T08:00:00Z"},
    ).json()
    assert [s["username"] for s in shifts] == ["a", "c", "a", "b"]
    assert all(x["end"] == y["start"] for x, y in itertools.pairwise(shifts))

    assert client.delete(f"/api/v1/overrides/{override['id']}/").status_code == 204
    cancelled = client.get(f"/api/v1/overrides/{override['id']}/").json()
    assert cancelled["cancelled_at"] is not None
    assert Override.objects.get().cancelled_at is not None


def test_a_shifts_window_must_be_in_order_and_bounded(people, team_lead, token_client):
    rotation = make_rotation(team=team_lead[0], roles=[role("Primary", people[:2])])
    client = token_client(people[0])
    url = f"/api/v1/rotations/{rotation.pk}/shifts/"
    backwards = client.get(url, {"start": "2026-02-01T00:00:00Z", "end": "2026-01-01T00:00:00Z"})
    assert backwards.status_code == 400
    assert "end" in backwards.json()
    too_long = client.get(url, {"start": "2026-01-01T00:00:00Z", "end": "2028-01-01T00:00:00Z"})
    assert too_long.status_code == 400
    no_offset = client.get(url, {"start": "2026-01-01T00:00:00"})
    assert no_offset.status_code == 400
    assert "start" in no_offset.json()


def test_a_teams_oncall_lists_each_rotation_with_every_role(people, team_lead, token_client):
    team = team_lead[0]
    make_rotation(team=team, name="Support", roles=[role("Primary", people[:2])])
    make_rotation(
        team=team, name="Sustained", roles=[role("Primary", people[2:]), role("Lead", people[:1])]
    )
    make_rotation(name="Elsewhere", roles=[role("Primary", [UserFactory()])])
    client = token_client(people[0])
    rows = client.get("/api/v1/oncall/", {"team": "sre"}).json()
    assert [(row["name"], [r["role"] for r in row["roles"]]) for row in rows] == [
        ("Support", ["Primary"]),
        ("Sustained", ["Primary", "Lead"]),
    ]
    assert len(client.get("/api/v1/oncall/").json()) == 3
    unknown = client.get("/api/v1/oncall/", {"team": "nope"})
    assert unknown.status_code == 400
    assert "team" in unknown.json()


def test_an_alert_pages_the_first_role_and_an_ack_stops_it(people, team_lead, token_client):
    channel = ChannelFactory()
    rotation = make_rotation(
        team=team_lead[0],
        roles=[role("Primary", people[:1], timeout=5), role("Backup", people[1:2])],
        channel=channel,
    )
    client = token_client(UserFactory())  # anyone logged in may raise one
    raised = client.post(
        "/api/v1/alerts/", {"rotation": rotation.pk, "summary": "Checkout is down"}, format="json"
    )
    assert raised.status_code == 201, raised.json()
    alert = raised.json()
    assert alert["status"] == "open"
    assert [(s["role"], s["username"]) for s in alert["steps"]] == [("Primary", "a")]
    stranger = client.post(f"/api/v1/alerts/{alert['id']}/ack/")
    assert stranger.status_code == 403
    taken = token_client(people[0]).post(f"/api/v1/alerts/{alert['id']}/ack/")
    assert taken.status_code == 200
    assert taken.json()["status"] == "acknowledged"
    assert taken.json()["acknowledged_by"] == "a"
    assert Delivery.objects.filter(key__startswith=f"alert:{alert['id']}:ack").count() == 1
    missing = client.post("/api/v1/alerts/", {"rotation": 999999, "summary": "x"}, format="json")
    assert missing.status_code == 400
    assert "rotation" in missing.json()


def test_patch_changes_members_from_the_next_handoff_and_only_managers_may(
    people, team_lead, token_client
):
    with time_machine.travel(utc(2026, 1, 1), tick=False):
        rotation = make_rotation(
            team=team_lead[0], roles=[role("Primary", people[:2], start=date(2026, 1, 5))]
        )
    with time_machine.travel(utc(2026, 1, 7), tick=False):
        engineer = token_client(people[0])
        refused = engineer.patch(
            f"/api/v1/rotations/{rotation.pk}/", {"name": "Mine"}, format="json"
        )
        assert refused.status_code == 403
        lead = token_client(team_lead[1])
        body = _role(members=["c", "d"], start="2026-01-05")
        changed = lead.patch(
            f"/api/v1/rotations/{rotation.pk}/", {"roles": body["roles"]}, format="json"
        )
        assert changed.status_code == 200, changed.json()
        assert changed.json()["roles"][0]["members"] == ["c", "d"]
        shifts = lead.get(
            f"/api/v1/rotations/{rotation.pk}/shifts/",
            {"start": "2026-01-05T12:00:00Z", "end": "2026-01-26T12:00:00Z"},
        ).json()
        # a's week stays a's; from the next handoff the new list holds.
        assert [s["username"] for s in shifts] == ["a", "c", "d", "c"]


def _oncall_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.django_db(transaction=True)  # so that the snapshot is cached as on a server
def test_the_oncall_lookup_takes_at_most_three_queries_now_and_ten_years_ahead(
    people, team_lead, token_client
):
    rotation = make_rotation(
        team=team_lead[0],
        roles=[role("Primary", people[:2]), role("Backup", people[2:]), role("Lead", people[:1])],
    )
    client = token_client(people[0])
    url = f"/api/v1/rotations/{rotation.pk}/oncall/"
    client.get(url)  # the snapshot is cached from here on, as on a running server
    assert _oncall_queries(client, url) <= 3
    assert _oncall_queries(client, url + "?at=2036-12-01T09:00:00Z") <= 3


def test_listing_rotations_takes_the_same_queries_for_two_or_twenty(people, token_client):
    admin = AdminFactory()
    client = token_client(admin)

    def make(count):
        for _n in range(count):
            make_rotation(name=f"R{Rotation.objects.count()}", roles=[role("P", people[:2])])
        return _oncall_queries(client, "/api/v1/rotations/")

    assert make(2) == make(18)


@pytest.mark.django_db(transaction=True)  # so that the snapshot is cached as on a server
@time_machine.travel(datetime(2025, 3, 31, 6, tzinfo=UTC), tick=False)
def test_who_is_on_call_is_given_again_from_memory_only_until_someone_hands_off(
    people, token_client
):
    from rotations import services

    a, b, c = people[:3]
    rotation = make_rotation(roles=[role("Primary", [a, b, c])])
    client = token_client(a)
    url = f"/api/v1/rotations/{rotation.pk}/oncall/?at="

    def holder(at):
        [primary] = client.get(url + at).json()["roles"]
        return primary["username"], primary["end"]

    # A hands over to B on Monday 31 March at 09:00 in Berlin (07:00Z).
    assert holder("2025-03-31T06:59:59Z") == ("a", "2025-03-31T07:00:00Z")
    assert holder("2025-03-31T06:30:00Z") == ("a", "2025-03-31T07:00:00Z")  # kept
    assert holder("2025-03-31T07:00:00Z") == ("b", "2025-04-07T07:00:00Z")
    assert holder("2025-03-31T06:59:59Z")[0] == "a"
    # An override is a new snapshot: what was kept for the old one is not given.
    services.override_create(
        role=rotation.roles.get(),
        person=c,
        start=datetime(2025, 3, 31, 6, 10, tzinfo=UTC),
        end=datetime(2025, 3, 31, 6, 50, tzinfo=UTC),
    )
    assert holder("2025-03-31T06:30:00Z") == ("c", "2025-03-31T06:50:00Z")
    assert holder("2025-03-31T06:55:00Z") == ("a", "2025-03-31T07:00:00Z")

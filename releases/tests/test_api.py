"""The releases' REST API as a tool uses it (../docs/api.md, "Releases")."""

from datetime import UTC, date, datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from accounts.tests.factories import UserFactory
from handbook.models import Membership
from handbook.tests.factories import MembershipFactory, TeamFactory
from releases import services
from releases.models import Release, Slip, Train

from .factories import make_train

pytestmark = pytest.mark.django_db


@pytest.fixture
def lead_client():
    team = TeamFactory(slug="delivery", name="Delivery")
    lead = UserFactory(username="lead")
    MembershipFactory(team=team, user=lead, role=Membership.Role.LEAD)
    client = APIClient()
    client.force_authenticate(lead)
    return client


def _train_body(**changes):
    body = {
        "team": "delivery",
        "slug": "self-managed",
        "name": "Self-managed",
        "kind": "self-managed",
        "rule": "FREQ=MONTHLY;BYMONTHDAY=12,13,14,15,16;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1",
        "start": "2027-01-01",
        "timezone": "Europe/Berlin",
        "holidays": ["2027-07-05"],
        "milestones": [
            {"name": "Feature complete", "offset_business_days": 24},
            {"name": "Code freeze", "offset_business_days": 10},
            {"name": "Release", "offset_business_days": 0},
        ],
        "reminder_days": [3, 1, 0],
        "first_version": "10.0.0",
    }
    body.update(changes)
    return body


def test_a_lead_adds_a_train_and_plans_it(lead_client):
    answer = lead_client.post("/api/v1/trains/", _train_body(), format="json")
    assert answer.status_code == 201, answer.json()
    assert answer.json()["holidays"] == ["2027-07-05"]
    assert answer.json()["milestones"][1] == {"name": "Code freeze", "offset_business_days": 10}
    with time_machine.travel(datetime(2027, 1, 1, 8, tzinfo=UTC), tick=False):
        planned = lead_client.post(
            "/api/v1/trains/self-managed/plan/", {"until": "2027-07-31"}, format="json"
        )
        again = lead_client.post(
            "/api/v1/trains/self-managed/plan/", {"until": "2027-07-31"}, format="json"
        )
    assert planned.status_code == 200, planned.json()
    assert planned.json()["created"] == 7
    assert again.json() == {"created": 0, "releases": []}
    july = lead_client.get("/api/v1/releases/10.6.0/").json()
    assert july["release_date"] == "2027-07-16"
    freeze = next(m for m in july["milestones"] if m["name"] == "Code freeze")
    assert freeze["due"] == "2027-07-01"  # T-10, skipping the team's day off on 07-05


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"rule": "FREQ=MONTHLY;BYMONTH=2;BYMONTHDAY=31"}, "rule"),
        ({"rule": "FREQ=HOURLY"}, "rule"),
        ({"milestones": [{"name": "Retro", "offset_business_days": -3}]}, "milestones"),
        ({"milestones": []}, "milestones"),
        ({"first_version": "ten"}, "first_version"),
    ],
)
def test_a_bad_train_is_a_400_naming_the_field(lead_client, changes, field):
    answer = lead_client.post("/api/v1/trains/", _train_body(**changes), format="json")
    assert answer.status_code == 400
    assert field in answer.json()
    assert not Train.objects.exists()


def test_an_engineer_may_not_add_a_train(lead_client):
    engineer = UserFactory()
    MembershipFactory(team=TeamFactory(slug="other"), user=engineer)
    client = APIClient()
    client.force_authenticate(engineer)
    assert client.post("/api/v1/trains/", _train_body(), format="json").status_code == 403


def test_patching_the_release_date_reschedules_it_with_a_slip(lead_client):
    lead_client.post("/api/v1/trains/", _train_body(), format="json")
    train = Train.objects.get()
    services.train_plan(train=train, since=date(2027, 7, 1), until=date(2027, 7, 31))
    answer = lead_client.patch(
        "/api/v1/releases/10.0.0/",
        {"release_date": "2027-07-20", "reason": "Blocker"},
        format="json",
    )
    assert answer.status_code == 200, answer.json()
    body = answer.json()
    assert body["release_date"] == "2027-07-20"
    assert body["planned_date"] == "2027-07-16"
    assert body["slips"][0]["from"] == "2027-07-16"
    assert body["slips"][0]["to"] == "2027-07-20"
    assert body["slips"][0]["reason"] == "Blocker"
    assert body["slips"][0]["by"] == "lead"
    weekend = lead_client.patch(
        "/api/v1/releases/10.0.0/", {"release_date": "2027-07-24"}, format="json"
    )
    assert weekend.status_code == 400
    assert "release_date" in weekend.json()
    assert Slip.objects.count() == 1


def test_moving_a_milestone_after_release_day_is_a_400(lead_client):
    lead_client.post("/api/v1/trains/", _train_body(), format="json")
    services.train_plan(train=Train.objects.get(), since=date(2027, 7, 1), until=date(2027, 7, 31))
    freeze = Release.objects.get().milestones.get(name="Code freeze")
    answer = lead_client.patch(
        f"/api/v1/milestones/{freeze.pk}/", {"due": "2027-07-19"}, format="json"
    )
    assert answer.status_code == 400
    assert "due" in answer.json()
    moved = lead_client.patch(
        f"/api/v1/milestones/{freeze.pk}/", {"due": "2027-07-09", "reason": "RC"}, format="json"
    )
    assert moved.json()["due"] == "2027-07-09"


def test_the_list_filters_by_period_and_kind_in_a_fixed_number_of_queries(lead_client):
    small = make_train(kind="cloud", rule="FREQ=WEEKLY;INTERVAL=2;BYDAY=TH")
    services.train_plan(train=small, since=date(2027, 1, 1), until=date(2027, 2, 28))
    counts = []
    for until in (date(2027, 3, 31), date(2027, 12, 31)):
        services.train_plan(train=small, since=date(2027, 1, 1), until=until)
        with CaptureQueriesContext(connection) as queries:
            answer = lead_client.get("/api/v1/releases/?from=2027-01-01&to=2027-12-31&kind=cloud")
        assert answer.status_code == 200
        counts.append(len(queries))
    assert answer.json()["count"] == 26
    assert counts[0] == counts[1]
    other = lead_client.get("/api/v1/releases/?kind=security").json()
    assert other["count"] == 0


def test_the_metrics_endpoint(lead_client):
    train = make_train(rule="FREQ=MONTHLY;BYDAY=+3TH")
    services.train_plan(train=train, since=date(2027, 1, 1), until=date(2027, 12, 31))
    july = Release.objects.get(train=train, release_date=date(2027, 7, 15))
    services.release_reschedule(release=july, release_date=date(2027, 7, 19))
    for release in Release.objects.all():
        services.release_mark_released(release=release)
    answer = lead_client.get("/api/v1/releases/metrics/?from=2027-01-01&to=2027-12-31")
    assert answer.status_code == 200
    body = answer.json()
    assert body["released"] == 12
    assert body["max_slip_days"] == 2
    assert body["on_time_rate"] == pytest.approx(11 / 12)
    assert body["per_train"] == [{"train": train.slug, "name": train.name, "released": 12}]
    assert len(body["per_month"]) == 12
    assert body["per_month"][6] == {"month": "2027-07-01", "released": 1, "on_time": 0}
    assert body["per_month"][7] == {"month": "2027-08-01", "released": 1, "on_time": 1}
    empty = lead_client.get("/api/v1/releases/metrics/?kind=patch").json()
    assert empty["released"] == 0
    assert empty["on_time_rate"] is None


def test_the_release_manager_may_reschedule_their_release_but_not_another(lead_client):
    lead_client.post("/api/v1/trains/", _train_body(), format="json")
    train = Train.objects.get()
    services.train_plan(train=train, since=date(2027, 7, 1), until=date(2027, 8, 31))
    manager = UserFactory(username="rm")
    july, august = Release.objects.order_by("release_date")
    services.release_update(release=july, manager=manager)
    client = APIClient()
    client.force_authenticate(manager)
    mine = client.patch(
        f"/api/v1/releases/{july.version}/", {"release_date": "2027-07-19"}, format="json"
    )
    theirs = client.patch(
        f"/api/v1/releases/{august.version}/", {"release_date": "2027-08-17"}, format="json"
    )
    assert mine.status_code == 200
    assert theirs.status_code == 403
    assert (
        client.post(
            "/api/v1/trains/self-managed/plan/", {"until": "2027-12-31"}, format="json"
        ).status_code
        == 403
    )


def test_the_train_list_reads_a_fixed_number_of_queries(lead_client):
    counts = []
    for total in (1, 6):
        while Train.objects.count() < total:
            make_train()
        with CaptureQueriesContext(connection) as queries:
            answer = lead_client.get("/api/v1/trains/")
        assert answer.status_code == 200
        assert answer.json()["count"] == total
        counts.append(len(queries))
    assert counts[0] == counts[1]

"""Releases in the admin: the same services as the API (a moved release day is a reschedule
with its slip), bad rules refused on the field, and the plan action."""

from datetime import date

import pytest
from django.urls import reverse

from accounts.tests.factories import AdminFactory
from releases import services
from releases.models import Release, Slip, Train
from tests.support import resubmit_form

from .factories import make_train

pytestmark = pytest.mark.django_db


@pytest.fixture
def july(client):
    client.force_login(AdminFactory())
    train = make_train(rule="FREQ=MONTHLY;BYMONTHDAY=16")
    services.train_plan(train=train, since=date(2027, 7, 1), until=date(2027, 7, 31))
    return Release.objects.get(train=train)


def test_changing_the_release_day_in_the_admin_reschedules_with_a_slip(client, july):
    url = reverse("admin:releases_release_change", args=[july.pk])

    def move(fields):
        fields["release_date"] = "2027-07-20"

    answer = resubmit_form(client, url, move)
    assert answer.status_code == 302, answer.content.decode()[:2000]
    july.refresh_from_db()
    assert july.release_date == date(2027, 7, 20)
    assert july.milestones.get(name="Release").due == date(2027, 7, 20)
    assert Slip.objects.get().reason == "Changed in the admin"


def test_a_weekend_release_day_is_refused_on_the_field(client, july):
    url = reverse("admin:releases_release_change", args=[july.pk])

    def move(fields):
        fields["release_date"] = "2027-07-17"

    answer = resubmit_form(client, url, move)
    assert answer.status_code == 200
    assert "not a business day" in answer.content.decode()
    assert not Slip.objects.exists()


def test_a_rule_that_never_fires_is_refused_on_the_field(client, july):
    train = july.train
    url = reverse("admin:releases_train_change", args=[train.pk])

    def break_rule(fields):
        fields["rule"] = "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30"

    answer = resubmit_form(client, url, break_rule)
    assert answer.status_code == 200
    assert "never fires" in answer.content.decode()
    assert Train.objects.get(pk=train.pk).rule == "FREQ=MONTHLY;BYMONTHDAY=16"


def test_the_plan_action_plans_six_months(client, july):
    train = july.train
    answer = client.post(
        reverse("admin:releases_train_changelist"),
        {"action": "plan_six_months", "_selected_action": [train.pk]},
    )
    assert answer.status_code == 302
    assert train.releases.count() >= 6

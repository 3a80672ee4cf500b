"""Planning and rescheduling, on the database: idempotent plans, hand edits kept, slips."""

from datetime import UTC, date, datetime, time
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from handbook.tests.factories import TeamFactory
from releases import selectors, services
from releases.models import Milestone, Release, Slip
from rotations.tests.factories import make_rotation, role

from .factories import THIRD_THURSDAY, make_train, milestones

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 12, 1, 12, tzinfo=UTC)


def _plan_2027(train):
    return services.train_plan(
        train=train, since=date(2027, 1, 1), until=date(2027, 12, 31), now=NOW
    )


def test_planning_a_year_of_the_third_thursday_train_gives_twelve_releases_with_milestones():
    train = make_train(first_version="11.0.0")
    created = _plan_2027(train)
    assert [r.release_date.month for r in created] == list(range(1, 13))
    assert [r.version for r in created][:3] == ["11.0.0", "11.1.0", "11.2.0"]
    july = Release.objects.get(train=train, release_date=date(2027, 7, 15))
    assert [m.name for m in july.milestones.all()] == [
        "Feature complete",
        "RC1",
        "Code freeze",
        "Release approval",
        "Release",
    ]
    assert july.milestones.get(name="Release").due == date(2027, 7, 15)


def test_planning_again_creates_nothing_new():
    train = make_train()
    assert len(_plan_2027(train)) == 12
    assert _plan_2027(train) == []
    assert Release.objects.filter(train=train).count() == 12
    assert Milestone.objects.filter(release__train=train).count() == 60


def test_a_release_edited_by_hand_is_never_overwritten_by_planning():
    train = make_train()
    _plan_2027(train)
    july = Release.objects.get(train=train, release_date=date(2027, 7, 15))
    services.release_reschedule(
        release=july, release_date=date(2027, 7, 19), reason="late fix", now=NOW
    )
    services.train_update(train=train, milestones=milestones([("Release", 0)]))
    assert _plan_2027(train) == []
    july.refresh_from_db()
    assert july.release_date == date(2027, 7, 19)
    assert july.edited
    assert july.milestones.count() == 5
    assert not Release.objects.filter(train=train, release_date=date(2027, 7, 15)).exists()


def test_the_plan_command_plans_the_coming_months(time_machine):
    time_machine.move_to(datetime(2027, 1, 1, 8, tzinfo=UTC), tick=False)
    train = make_train()
    call_command("plan_releases", "--months", "6", stdout=StringIO())
    days = list(Release.objects.filter(train=train).values_list("release_date", flat=True))
    assert days == [
        date(2027, m, d) for m, d in ((1, 21), (2, 18), (3, 18), (4, 15), (5, 20), (6, 17))
    ]
    call_command("plan_releases", "--months", "6", stdout=StringIO())
    assert Release.objects.filter(train=train).count() == 6


def test_slipping_july_by_two_business_days_leaves_august_and_the_metrics_say_so():
    train = make_train(rule=THIRD_THURSDAY)
    _plan_2027(train)
    july = Release.objects.get(train=train, release_date=date(2027, 7, 15))
    services.release_reschedule(release=july, release_date=date(2027, 7, 19), reason="CVE", now=NOW)
    august = Release.objects.get(train=train, planned_date=date(2027, 8, 19))
    assert august.release_date == date(2027, 8, 19)
    assert Slip.objects.count() == 1
    slip = Slip.objects.get()
    assert (slip.from_date, slip.to_date, slip.reason) == (
        date(2027, 7, 15),
        date(2027, 7, 19),
        "CVE",
    )
    # Milestones moved with it, by the template (T-10 of Mon 07-19 is Mon 07-05).
    assert july.milestones.get(name="Code freeze").due == date(2027, 7, 5)
    for release in Release.objects.filter(train=train):
        services.release_mark_released(release=release, now=NOW)
    metrics = selectors.release_metrics(start=date(2027, 1, 1), end=date(2027, 12, 31))
    assert metrics.released == 12
    assert metrics.max_slip_days == 2
    assert metrics.on_time_rate == 11 / 12
    assert metrics.mean_slip_days == pytest.approx(2 / 12)
    assert [(t.train, t.released) for t in metrics.per_train] == [(train.slug, 12)]


def test_moving_one_milestone_alone_keeps_release_day_and_records_its_slip():
    train = make_train(rule="FREQ=MONTHLY;BYMONTHDAY=16")
    _plan_2027(train)
    july = Release.objects.get(train=train, release_date=date(2027, 7, 16))
    freeze = july.milestones.get(name="Code freeze")
    assert freeze.due == date(2027, 7, 2)
    services.milestone_move(milestone=freeze, due=date(2027, 7, 9), reason="RC slipped", now=NOW)
    freeze.refresh_from_db()
    july.refresh_from_db()
    assert freeze.due == date(2027, 7, 9)
    assert july.release_date == date(2027, 7, 16)
    assert Slip.objects.get().milestone == freeze


def test_a_milestone_cannot_move_after_release_day():
    train = make_train(rule="FREQ=MONTHLY;BYMONTHDAY=16")
    _plan_2027(train)
    freeze = Milestone.objects.get(release__release_date=date(2027, 7, 16), name="Code freeze")
    with pytest.raises(ValidationError) as caught:
        services.milestone_move(milestone=freeze, due=date(2027, 7, 19), now=NOW)
    assert "due" in caught.value.message_dict


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"rule": "FREQ=MONTHLY;BYMONTH=2;BYMONTHDAY=30"}, "rule"),
        ({"rule": "FREQ=SOMETIMES"}, "rule"),
        ({"template": [("Release", 0), ("Retro", -2)]}, "milestones"),
        ({"template": []}, "milestones"),
        ({"reminder_days": [1, 1]}, "reminder_days"),
        ({"first_version": "v1"}, "first_version"),
    ],
)
def test_a_bad_train_is_refused_naming_the_field(fields, field):
    with pytest.raises(ValidationError) as caught:
        make_train(**fields)
    assert field in caught.value.message_dict


def test_the_release_manager_rotation_holder_on_release_day_is_proposed(people):
    a, b = people[:2]
    team = TeamFactory()
    make_rotation(
        team=team,
        name="Delivery",
        roles=[role("Release Manager", [a, b], weekday=0, at=time(9), start=date(2026, 12, 28))],
    )
    train = make_train(team=team)
    created = {r.release_date: r for r in _plan_2027(train)}
    # Weekly handoffs on Mondays from 2026-12-28 (a); 2027-01-21 is in week 3 (a again).
    weeks = (date(2027, 1, 21) - date(2026, 12, 28)).days // 7
    expected = [a, b][weeks % 2]
    assert created[date(2027, 1, 21)].manager == expected
    assert all(r.manager is not None for r in created.values())


def test_public_holidays_of_the_country_move_a_release_day():
    # Mon 2027-10-04 is an ordinary German business day.
    train = make_train(rule="FREQ=YEARLY;BYMONTH=10;BYMONTHDAY=4", holiday_country="DE")
    days = [r.release_date for r in _plan_2027(train)]
    assert days == [date(2027, 10, 4)]
    train2 = make_train(rule="FREQ=YEARLY;BYMONTH=10;BYMONTHDAY=3", holiday_country="DE")
    # Sun 10-03 is German Unity Day; Sat before; Fri 10-01.
    assert [r.release_date for r in _plan_2027(train2)] == [date(2027, 10, 1)]


def test_the_monthly_beat_task_plans_and_a_second_run_adds_nothing(time_machine):
    from releases import tasks

    time_machine.move_to(datetime(2027, 1, 1, 8, tzinfo=UTC), tick=False)
    train = make_train()
    assert tasks.releases_plan(months=3) == 3
    assert tasks.releases_plan(months=3) == 0
    assert Release.objects.filter(train=train).count() == 3


def test_a_rotation_named_release_manager_proposes_its_first_role(people):
    a = people[0]
    team = TeamFactory()
    make_rotation(
        team=team,
        name="Release Manager",
        roles=[role("Primary", [a], weekday=0, at=time(9), start=date(2026, 12, 28))],
    )
    train = make_train(team=team)
    assert {r.manager for r in _plan_2027(train)} == {a}


def test_without_such_a_rota_nobody_is_proposed():
    train = make_train()
    assert {r.manager for r in _plan_2027(train)} == {None}

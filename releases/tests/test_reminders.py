"""Reminders: planned per (milestone, days before, channel), superseded when a milestone moves,
claimed by the beat task and sent exactly once, even with two dispatchers at once or a run
that dies half way."""

import threading
from datetime import UTC, date, datetime, timedelta
from unittest import mock

import pytest
from django.db import connection

from notifications.models import Delivery
from notifications.tests.factories import ChannelFactory
from releases import services
from releases.models import Milestone, Release, Reminder

from .factories import ON_OR_BEFORE_16TH, make_train

NOW = datetime(2026, 12, 1, 12, tzinfo=UTC)
BERLIN_NINE_UTC = 7  # 09:00 in Berlin in July (summer time) is 07:00 UTC


def _july_train(**fields):
    channel = ChannelFactory()
    train = make_train(rule=ON_OR_BEFORE_16TH, channel=channel, reminder_days=[1], **fields)
    services.train_plan(train=train, since=date(2027, 7, 1), until=date(2027, 7, 31), now=NOW)
    return Release.objects.get(train=train)


@pytest.mark.django_db
def test_planning_makes_a_reminder_row_per_milestone_and_day_at_nine_local():
    channel = ChannelFactory()
    train = make_train(rule=ON_OR_BEFORE_16TH, channel=channel, reminder_days=[3, 1, 0])
    services.train_plan(train=train, since=date(2027, 7, 1), until=date(2027, 7, 31), now=NOW)
    freeze = Milestone.objects.get(name="Code freeze")
    rows = freeze.reminders.order_by("days_before")
    assert [(r.days_before, r.due_at) for r in rows] == [
        (0, datetime(2027, 7, 2, BERLIN_NINE_UTC, tzinfo=UTC)),
        (1, datetime(2027, 7, 1, BERLIN_NINE_UTC, tzinfo=UTC)),
        (3, datetime(2027, 6, 29, BERLIN_NINE_UTC, tzinfo=UTC)),
    ]
    assert Reminder.objects.count() == 15


@pytest.mark.django_db
def test_a_reminder_names_the_milestone_its_date_and_the_release_manager(people):
    release = _july_train()
    services.release_update(release=release, manager=people[0], now=NOW)
    freeze = release.milestones.get(name="Code freeze")
    sent = services.reminders_dispatch(now=datetime(2027, 7, 1, 8, tzinfo=UTC))
    assert sent == 3  # Feature complete, RC1 and Code freeze (07-02); not approval (07-06)
    text = Delivery.objects.get(key=f"release-reminder:{freeze.reminders.get().pk}").payload["text"]
    assert "Code freeze" in text
    assert "2027-07-02" in text
    assert "A (@a)" in text
    assert release.version in text


@pytest.mark.django_db
def test_moving_code_freeze_sends_nothing_for_the_old_date_and_once_for_the_new():
    release = _july_train(template=[("Code freeze", 10), ("Release", 0)])
    freeze = release.milestones.get(name="Code freeze")
    assert freeze.due == date(2027, 7, 2)
    services.milestone_move(milestone=freeze, due=date(2027, 7, 9), reason="RC1 late", now=NOW)

    past_old = datetime(2027, 7, 1, 10, tzinfo=UTC)  # after 07-01 09:00 Berlin
    assert services.reminders_dispatch(now=past_old) == 0
    assert Delivery.objects.count() == 0

    past_new = datetime(2027, 7, 8, 10, tzinfo=UTC)  # after 07-08 09:00 Berlin
    assert services.reminders_dispatch(now=past_new) == 1
    assert services.reminders_dispatch(now=past_new + timedelta(hours=1)) == 0
    (delivery,) = Delivery.objects.all()
    assert "2027-07-09" in delivery.payload["text"]
    assert "2027-07-02" not in delivery.payload["text"]
    assert set(freeze.reminders.values_list("status", flat=True)) == {"superseded", "sent"}


@pytest.mark.django_db
def test_rescheduling_the_release_supersedes_its_reminders_and_plans_the_new_dates():
    release = _july_train(template=[("Code freeze", 10), ("Release", 0)])
    services.release_reschedule(release=release, release_date=date(2027, 7, 23), now=NOW)
    pending = Reminder.objects.filter(status="pending").order_by("due_at")
    assert [r.for_date for r in pending] == [date(2027, 7, 9), date(2027, 7, 23)]
    assert Reminder.objects.filter(status="superseded").count() == 2


@pytest.mark.django_db
def test_a_released_release_gets_no_more_reminders():
    release = _july_train()
    services.release_mark_released(release=release, now=NOW)
    assert services.reminders_dispatch(now=datetime(2027, 8, 1, tzinfo=UTC)) == 0


@pytest.mark.django_db(transaction=True)
def test_a_run_that_dies_half_way_loses_and_repeats_nothing():
    _july_train()
    due = datetime(2027, 7, 20, tzinfo=UTC)
    total = Reminder.objects.filter(due_at__lte=due, status="pending").count()
    assert total == 5
    real = services.reminders.notify_many
    calls = []

    def dying(**kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise SystemExit("worker killed")
        return real(**kwargs)

    with mock.patch.object(services.reminders, "notify_many", dying), pytest.raises(SystemExit):
        services.reminders_dispatch(now=due, batch=2)
    assert Delivery.objects.count() == 2  # the first batch was committed
    assert services.reminders_dispatch(now=due) == 3
    assert services.reminders_dispatch(now=due) == 0
    keys = list(Delivery.objects.values_list("key", flat=True))
    assert len(keys) == len(set(keys)) == 5


@pytest.mark.django_db(transaction=True)
def test_two_dispatchers_at_once_send_a_thousand_reminders_once_each():
    release = _july_train(template=[("Release", 0)])
    milestone = release.milestones.get()
    channels = [ChannelFactory() for _ in range(1000)]
    Reminder.objects.all().delete()
    due_at = datetime(2027, 7, 1, tzinfo=UTC)
    Reminder.objects.bulk_create(
        Reminder(
            milestone=milestone,
            days_before=1,
            channel=channel,
            for_date=milestone.due,
            due_at=due_at,
        )
        for channel in channels
    )
    barrier = threading.Barrier(2)
    results, errors = [], []

    def run():
        try:
            barrier.wait(timeout=10)
            results.append(services.reminders_dispatch(now=due_at, batch=50))
        except Exception as exc:  # noqa: BLE001 - reported in the test's thread
            errors.append(exc)
        finally:
            connection.close()  # each thread had a connection of its own

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    assert sum(results) == 1000
    assert all(results), "both dispatchers took a share"
    keys = list(Delivery.objects.values_list("key", flat=True))
    assert len(keys) == len(set(keys)) == 1000
    assert Reminder.objects.filter(status="sent").count() == 1000

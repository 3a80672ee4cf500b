"""Reminders with real parts: a real Celery worker on real Redis runs the beat task (queued
twice at once, as a beat and a manual run might), and a local HTTP server in place of the
chat webhook receives each reminder once."""

import time
from datetime import UTC, date, datetime

import pytest

from notifications.models import Channel, Delivery
from notifications.tests.factories import ChannelFactory
from releases import services, tasks
from releases.models import Release, Reminder
from tests.support import wait_for

from .factories import ON_OR_BEFORE_16TH, make_train


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_the_worker_sends_each_due_reminder_once_when_the_task_runs_twice(
    webhook_server, celery_worker_process
):
    channel = ChannelFactory(kind=Channel.Kind.WEBHOOK, target=webhook_server.url)
    train = make_train(
        rule=ON_OR_BEFORE_16TH,
        channel=channel,
        reminder_days=[1],
        template=[("Code freeze", 10), ("Release", 0)],
    )
    services.train_plan(
        train=train,
        since=date(2027, 7, 1),
        until=date(2027, 7, 31),
        now=datetime(2026, 12, 1, tzinfo=UTC),
    )
    at = "2027-07-02T12:00:00+00:00"  # after the code freeze reminder (07-01 09:00 Berlin)
    tasks.reminders_send_due.delay(at)
    tasks.reminders_send_due.delay(at)

    wait_for(
        lambda: Delivery.objects.filter(status="sent").count() == 1,
        message="the code freeze reminder to be sent",
    )
    time.sleep(1)  # a second send would have arrived by now
    assert len(webhook_server.requests) == 1
    text = webhook_server.requests[0]["json"]["text"]
    assert "Code freeze" in text
    assert "2027-07-02" in text
    assert Release.objects.get().version in text
    assert Reminder.objects.filter(status="sent").count() == 1
    assert Reminder.objects.filter(status="pending").count() == 1  # release day's, later

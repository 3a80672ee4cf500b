"""Scenario: releases, in process on the bench database. Planning ten years of a bi-weekly
train (about 260 releases with 5 milestones each, reminders 3, 1 and 0 business days before
each), and draining 10,000 due reminders with one dispatcher (claim, record the deliveries,
mark sent; the deliveries' send tasks are queued on the bench broker after each commit).

Targets (the releases issue): planning <= 2 s; draining 10,000 reminders <= 20 s.
"""

import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import ensure_bench_database, setup_django

TEAM = "bench-releases"
ROUNDS = 3
REMINDERS = 10_000
TEMPLATE = [
    ("Feature complete", 24),
    ("RC1", 19),
    ("Code freeze", 10),
    ("Release approval", 8),
    ("Release", 0),
]


def fresh_train(slug: str):
    from handbook.models import Team
    from notifications.models import Channel
    from releases import services
    from releases.models import Train

    team, _ = Team.objects.get_or_create(slug=TEAM, defaults={"name": "Bench releases"})
    channel, _ = Channel.objects.get_or_create(
        name="Bench releases", defaults={"kind": "webhook", "target": "http://127.0.0.1:9/x"}
    )
    Train.objects.filter(team=team).delete()
    return services.train_create(
        team=team,
        slug=slug,
        name="Bench cloud",
        kind="cloud",
        rule="FREQ=WEEKLY;INTERVAL=2;BYDAY=TH",
        start=date(2026, 1, 1),
        timezone="Europe/Berlin",
        holiday_country="DE",
        reminder_days=[3, 1, 0],
        channel=channel,
        milestones=[services.MilestoneSpec(n, o) for n, o in TEMPLATE],
        first_version="900.0.0",
    )


def plan_ten_years() -> None:
    from django.utils import timezone

    from releases import services
    from releases.models import Milestone, Reminder

    timings = []
    for _ in range(ROUNDS):
        train = fresh_train("bench-cloud")
        today = timezone.localdate()
        started = time.perf_counter()
        created = services.train_plan(train=train, since=today, until=today + timedelta(days=3652))
        timings.append(time.perf_counter() - started)
    milestones = Milestone.objects.filter(release__train=train).count()
    reminders = Reminder.objects.filter(milestone__release__train=train).count()
    print(
        f"plan ten years of a bi-weekly train: {len(created)} releases, {milestones} "
        f"milestones, {reminders} reminders",
        flush=True,
    )
    print(
        f"{'':<4}median {statistics.median(timings):.2f} s of {ROUNDS} runs "
        f"({min(timings):.2f} to {max(timings):.2f} s); target <= 2 s",
        flush=True,
    )


def drain_reminders() -> None:
    import redis
    from django.conf import settings
    from django.utils import timezone

    from notifications.models import Delivery
    from releases import services
    from releases.models import Milestone, Reminder

    train = fresh_train("bench-drain")
    today = timezone.localdate()
    services.train_plan(train=train, since=today, until=today + timedelta(days=3652))
    Reminder.objects.filter(milestone__release__train=train).delete()
    milestones = list(Milestone.objects.filter(release__train=train).order_by("pk"))
    now = timezone.now()
    rows = [
        Reminder(
            milestone=milestone,
            days_before=days,
            channel_id=train.channel_id,
            for_date=milestone.due,
            due_at=now - timedelta(hours=1),
        )
        for days in range(10)
        for milestone in milestones
    ][:REMINDERS]
    Reminder.objects.bulk_create(rows, batch_size=2000)
    Delivery.objects.filter(key__startswith="release-reminder:").delete()

    started = time.perf_counter()
    sent = services.reminders_dispatch(now=now)
    elapsed = time.perf_counter() - started
    deliveries = Delivery.objects.filter(key__startswith="release-reminder:").count()
    print(
        f"drain {len(rows)} due reminders, one dispatcher: {sent} sent, {deliveries} "
        f"deliveries in {elapsed:.2f} s ({sent / elapsed:.0f}/s); target <= 20 s",
        flush=True,
    )
    # Nobody consumes the bench broker here: drop the queued send tasks again.
    queue = getattr(settings, "CELERY_TASK_DEFAULT_QUEUE", "celery")
    redis.Redis.from_url(settings.CELERY_BROKER_URL).delete(queue)
    Delivery.objects.filter(key__startswith="release-reminder:").delete()


def main():
    ensure_bench_database()
    setup_django()
    plan_ten_years()
    drain_reminders()


if __name__ == "__main__":
    main()

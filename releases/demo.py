"""The demo releases, made through the services: the delivery team's monthly self-managed train
("the first business day on or before the 16th", deadlines T-24 to T-0) and its bi-weekly
cloud train on Thursdays, planned from four months back to six ahead; the past ones are
released, one of them two business days late, so the metrics have something to show. A
"Release managers" rota proposes each release's manager. Safe to run again."""

from datetime import date, time, timedelta

from django.db import transaction
from django.utils import timezone

from notifications.models import Channel
from rotations import services as rota_services
from rotations.models import Rotation
from rotations.services import RoleSpec

from . import selectors, services
from .models import Release, Slip, Train
from .services import MilestoneSpec

MANAGERS = ["ines.duarte", "kwame.mensah", "li.wen"]
SELF_MANAGED = [
    ("Feature complete", 24),
    ("RC1 (judgment day)", 19),
    ("Code freeze", 10),
    ("Release approval", 8),
    ("Release", 0),
]
CLOUD = [("Code freeze", 3), ("Release", 0)]
CHECKLIST = [
    ("Cut the release branch", "RC1 (judgment day)"),
    ("Publish release notes draft", "Code freeze"),
    ("Sign-off from QA", "Release approval"),
    ("Publish packages and announce", "Release"),
]
SLIP_REASON = "Demo: a blocker found in RC testing"
PAST = timedelta(days=120)
AHEAD = timedelta(days=183)


def _manager_rota(team, people) -> None:
    if Rotation.objects.filter(team=team, name="Release managers").exists():
        return
    rota_services.rotation_create(
        team=team,
        name="Release managers",
        timezone="Europe/Berlin",
        roles=[
            RoleSpec(
                name="Release Manager",
                handoff_weekday=0,
                handoff_time=time(9),
                cycle_weeks=4,
                start=date(2026, 1, 5),
                members=[people[name] for name in MANAGERS],
                escalation_timeout_minutes=60,
            )
        ],
    )


def _train(*, slug, template, **fields) -> Train:
    train = Train.objects.filter(slug=slug).first()
    if train is not None:
        return train
    train = services.train_create(
        slug=slug, milestones=[MilestoneSpec(n, o) for n, o in template], **fields
    )
    return train


@transaction.atomic
def load_demo(*, teams: dict, people: dict) -> list[Train]:
    team = teams["delivery"]
    _manager_rota(team, people)
    channel = Channel.objects.filter(name="Delivery mailbox").first()
    common = {
        "team": team,
        "timezone": "Europe/Berlin",
        "reminder_days": [3, 1, 0],
        "channel": channel,
    }
    monthly = _train(
        slug="self-managed",
        name="Self-managed monthly",
        kind="self-managed",
        rule="FREQ=MONTHLY;BYMONTHDAY=16",
        adjustment="previous",
        start=date(2026, 1, 1),
        template=SELF_MANAGED,
        first_version="11.0.0",
        **common,
    )
    if not monthly.checklist_templates.exists():
        monthly.checklist_templates.bulk_create(
            monthly.checklist_templates.model(
                train=monthly, title=title, milestone_name=milestone, position=index
            )
            for index, (title, milestone) in enumerate(CHECKLIST)
        )
    cloud = _train(
        slug="cloud",
        name="Cloud bi-weekly",
        kind="cloud",
        rule="FREQ=WEEKLY;INTERVAL=2;BYDAY=TH",
        start=date(2026, 1, 8),
        template=CLOUD,
        first_version="26.0.0",
        **common,
    )
    today = timezone.localdate()
    for train in (monthly, cloud):
        services.train_plan(train=train, since=today - PAST, until=today + AHEAD)
    past = Release.objects.filter(
        train__in=(monthly, cloud), release_date__lt=today, status=Release.Status.PLANNED
    ).order_by("release_date")
    late = past.filter(train=monthly).first()
    if late is not None and not Slip.objects.filter(release__train=monthly).exists():
        calendar = selectors.train_calendar(
            train=monthly, start=late.release_date, end=late.release_date + timedelta(days=7)
        )
        services.release_reschedule(
            release=late,
            release_date=calendar.shift(late.release_date, 2),
            reason=SLIP_REASON,
        )
    for release in past.filter(release_date__lt=today):
        services.release_mark_released(release=release)
    return [monthly, cloud]

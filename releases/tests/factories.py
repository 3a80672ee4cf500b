"""Trains for tests, made through the services as the app makes them."""

from datetime import date

from handbook.tests.factories import TeamFactory
from releases.services import MilestoneSpec, train_create

THIRD_THURSDAY = "FREQ=MONTHLY;BYDAY=+3TH"
ON_OR_BEFORE_16TH = "FREQ=MONTHLY;BYMONTHDAY=16"
SELF_MANAGED_TEMPLATE = [
    ("Feature complete", 24),
    ("RC1", 19),
    ("Code freeze", 10),
    ("Release approval", 8),
    ("Release", 0),
]

_count = iter(range(1, 10**6))


def milestones(template=SELF_MANAGED_TEMPLATE):
    return [MilestoneSpec(name, offset) for name, offset in template]


def make_train(
    *,
    team=None,
    slug=None,
    rule=THIRD_THURSDAY,
    start=date(2027, 1, 1),
    template=SELF_MANAGED_TEMPLATE,
    **fields,
):
    n = next(_count)
    defaults = {
        "name": f"Train {n}",
        "kind": "self-managed",
        "timezone": "Europe/Berlin",
        "first_version": f"{n}.0.0",
        "reminder_days": [],
    }
    return train_create(
        team=team or TeamFactory(),
        slug=slug or f"train-{n}",
        rule=rule,
        start=start,
        milestones=milestones(template),
        **{**defaults, **fields},
    )

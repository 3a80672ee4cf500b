"""The releases' rows of the permission matrix (tests/test_permission_matrix.py), and what they
add to its world: team A's monthly train, one release of it (managed by nobody) with its
milestones and a checklist item ("Announce")."""

from datetime import date

from releases import services
from releases.models import ChecklistItem, ChecklistTemplateItem, Milestone, Release, Train
from tests.matrix import A_MANAGERS, A_MEMBERS, Row

from .factories import milestones

RELEASE_DAY = date(2030, 7, 16)


def world_add(world) -> None:
    train = services.train_create(
        team=world.team_a,
        slug="a-monthly",
        name="A monthly",
        kind="self-managed",
        rule="FREQ=MONTHLY;BYMONTHDAY=16",
        start=date(2030, 1, 1),
        milestones=milestones([("Code freeze", 10), ("Release", 0)]),
        first_version="30.0.0",
        timezone="Europe/Berlin",
    )
    ChecklistTemplateItem.objects.create(train=train, title="Announce")
    release = services.train_plan(train=train, since=RELEASE_DAY, until=RELEASE_DAY)[0]
    world.extra.update(train=train, release=release)


def _train(world) -> Train:
    return Train.objects.get(pk=world.extra["train"].pk)


def _release(world) -> Release:
    return Release.objects.get(pk=world.extra["release"].pk)


def _freeze(world) -> Milestone:
    return _release(world).milestones.get(name="Code freeze")


def _item(world) -> ChecklistItem:
    return _release(world).checklist.get(title="Announce")


def _train_body(**changes):
    body = {
        "team": "team-a",
        "slug": "a-cloud",
        "name": "A cloud",
        "kind": "cloud",
        "rule": "FREQ=WEEKLY;INTERVAL=2;BYDAY=TH",
        "start": "2030-01-03",
        "milestones": [{"name": "Release", "offset_business_days": 0}],
        "first_version": "31.0.0",
    }
    body.update(changes)
    return body


ROWS = [
    Row(
        "train-list",
        "post",
        A_MANAGERS,
        api=True,
        data=lambda w: _train_body(),
        effect=lambda w: Train.objects.filter(slug="a-cloud").exists(),
    ),
    Row(
        "train-detail",
        "patch",
        A_MANAGERS,
        api=True,
        kwargs=lambda w: {"slug": "a-monthly"},
        data=lambda w: {"name": "Renamed"},
        effect=lambda w: _train(w).name == "Renamed",
    ),
    Row(
        "train-plan",
        "post",
        A_MANAGERS,
        api=True,
        kwargs=lambda w: {"slug": "a-monthly"},
        data=lambda w: {"until": "2030-09-30"},
        # Planning from today up to then adds the releases before and after July 2030.
        effect=lambda w: _train(w).releases.count() > 1,
    ),
    Row(
        "release-list",
        "post",
        A_MANAGERS,
        api=True,
        data=lambda w: {"train": "a-monthly", "version": "30.9.1", "release_date": "2030-07-23"},
        effect=lambda w: Release.objects.filter(version="30.9.1").exists(),
    ),
    Row(
        "release-detail",
        "patch",
        A_MANAGERS,
        api=True,
        kwargs=lambda w: {"version": "30.0.0"},
        data=lambda w: {"release_date": "2030-07-18", "reason": "late fix"},
        effect=lambda w: _release(w).release_date == date(2030, 7, 18),
    ),
    Row(
        "milestone-detail",
        "patch",
        A_MANAGERS,
        case="move alone",
        api=True,
        kwargs=lambda w: {"pk": _freeze(w).pk},
        data=lambda w: {"due": "2030-07-09"},
        effect=lambda w: _freeze(w).due == date(2030, 7, 9),
    ),
    Row(
        "milestone-detail",
        "patch",
        A_MEMBERS,
        case="tick",
        api=True,
        kwargs=lambda w: {"pk": _freeze(w).pk},
        data=lambda w: {"done": True},
        effect=lambda w: _freeze(w).done_at is not None,
    ),
    # The release page's forms (a plain post; htmx posts the same).
    Row(
        "releases:checklist_tick",
        "post",
        A_MEMBERS,
        kwargs=lambda w: {"version": "30.0.0", "pk": _item(w).pk},
        data=lambda w: {"done": "1"},
        effect=lambda w: _item(w).done_at is not None,
    ),
    Row(
        "releases:milestone_tick",
        "post",
        A_MEMBERS,
        kwargs=lambda w: {"version": "30.0.0", "pk": _freeze(w).pk},
        data=lambda w: {"done": "1"},
        effect=lambda w: _freeze(w).done_at is not None,
    ),
]

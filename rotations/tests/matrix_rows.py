"""The rotas' rows of the permission matrix (tests/test_permission_matrix.py), and what they
add to its world: team A's rota (Primary: member, then lead), an override, an open alert."""

from datetime import date, time, timedelta

from django.utils import timezone

from rotations import services
from rotations.models import Alert, Override, Rotation
from tests.matrix import A_MANAGERS, A_MEMBERS, ANYONE, LOGGED_IN, Row

from .factories import role


def world_add(world) -> None:
    member, lead = world.people["member"], world.people["lead"]
    rotation = services.rotation_create(
        team=world.team_a,
        name="Support",
        timezone="Europe/Berlin",
        roles=[
            role("Primary", [member, lead], start=date(2026, 1, 5), timeout=5),
            role("Backup", [lead, member], start=date(2026, 1, 5), at=time(10)),
        ],
    )
    now = timezone.now()
    override = services.override_create(
        role=rotation.roles.get(name="Primary"),
        person=lead,
        start=now + timedelta(days=1),
        end=now + timedelta(days=2),
    )
    alert = services.alert_raise(rotation=rotation, summary="Checkout is down")
    world.extra.update(rotation=rotation, override=override, alert=alert)


def _local(world, delta: timedelta) -> str:
    moment = timezone.now().astimezone(world.extra["rotation"].zone_info) + delta
    return f"{moment:%Y-%m-%dT%H:%M}"


def _role_form(prefix="roles", **fields):
    data = {
        f"{prefix}-TOTAL_FORMS": "1",
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "1",
        f"{prefix}-MAX_NUM_FORMS": "1000",
        f"{prefix}-0-name": "Primary",
        f"{prefix}-0-handoff_weekday": "0",
        f"{prefix}-0-handoff_time": "09:00",
        f"{prefix}-0-cycle_weeks": "1",
        f"{prefix}-0-start": "2026-01-05",
        f"{prefix}-0-escalation_timeout_minutes": "15",
        f"{prefix}-0-members": "member\nlead",
    }
    data.update(fields)
    return data


def _acknowledged(world) -> bool:
    return Alert.objects.get(pk=world.extra["alert"].pk).acknowledged_at is not None


def _ack_link_token(world) -> dict:
    from rotations.services.alerts import ack_token

    alert = world.extra["alert"]
    return {"pk": alert.pk, "token": ack_token(alert=alert, person_id=world.people["member"].pk)}


ROWS = [
    Row(
        "rotations:rotation_new",
        "post",
        A_MANAGERS,
        query=lambda w: "?team=team-a",
        data=lambda w: {"name": "Nights", "timezone": "Europe/Berlin", **_role_form()},
        effect=lambda w: Rotation.objects.filter(name="Nights").exists(),
    ),
    Row(
        "rotations:rotation_edit",
        "post",
        A_MANAGERS,
        kwargs=lambda w: {"pk": w.extra["rotation"].pk},
        data=lambda w: {"name": "Renamed", "timezone": "Europe/Berlin", **_role_form()},
        effect=lambda w: Rotation.objects.filter(name="Renamed").exists(),
    ),
    Row(
        "rotations:override_add",
        "post",
        A_MEMBERS,
        kwargs=lambda w: {"pk": w.extra["rotation"].pk},
        data=lambda w: {
            "role": w.extra["rotation"].roles.get(name="Backup").pk,
            "person": "member",
            "start": _local(w, timedelta(days=3)),
            "end": _local(w, timedelta(days=4)),
            "reason": "swap",
        },
        effect=lambda w: Override.objects.filter(reason="swap").exists(),
    ),
    Row(
        "rotations:override_cancel",
        "post",
        A_MEMBERS,
        kwargs=lambda w: {"pk": w.extra["override"].pk},
        effect=lambda w: Override.objects.get(pk=w.extra["override"].pk).cancelled_at is not None,
    ),
    Row(
        "rotations:alert_ack",
        "post",
        A_MEMBERS,
        kwargs=lambda w: {"pk": w.extra["alert"].pk},
        effect=_acknowledged,
    ),
    # The signed link in a page message acknowledges as the person it was made for, whoever
    # opens it (it is how a phone with no session acknowledges): anyone holding it may.
    Row(
        "rotations:alert_ack_link",
        "post",
        ANYONE,
        kwargs=_ack_link_token,
        effect=_acknowledged,
    ),
]

ROWS += [
    # API
    Row(
        "rotation-list",
        "post",
        A_MANAGERS,
        api=True,
        data=lambda w: {
            "team": "team-a",
            "name": "Nights",
            "timezone": "Europe/Berlin",
            "roles": [
                {
                    "name": "Primary",
                    "handoff_weekday": 0,
                    "handoff_time": "09:00",
                    "cycle_weeks": 1,
                    "start": "2026-01-05",
                    "members": ["member", "lead"],
                }
            ],
        },
        effect=lambda w: Rotation.objects.filter(name="Nights").exists(),
    ),
    Row(
        "rotation-detail",
        "patch",
        A_MANAGERS,
        api=True,
        kwargs=lambda w: {"pk": w.extra["rotation"].pk},
        data=lambda w: {"name": "Renamed"},
        effect=lambda w: Rotation.objects.filter(name="Renamed").exists(),
    ),
    Row(
        "rotation-detail",
        "delete",
        A_MANAGERS,
        api=True,
        kwargs=lambda w: {"pk": w.extra["rotation"].pk},
        effect=lambda w: not Rotation.objects.filter(pk=w.extra["rotation"].pk).exists(),
    ),
    Row(
        "rotation-overrides",
        "post",
        A_MEMBERS,
        api=True,
        kwargs=lambda w: {"pk": w.extra["rotation"].pk},
        data=lambda w: {
            "role": "Backup",
            "username": "member",
            "start": (timezone.now() + timedelta(days=3)).isoformat(),
            "end": (timezone.now() + timedelta(days=4)).isoformat(),
            "reason": "swap",
        },
        effect=lambda w: Override.objects.filter(reason="swap").exists(),
    ),
    Row(
        "override-detail",
        "delete",
        A_MEMBERS,
        api=True,
        kwargs=lambda w: {"pk": w.extra["override"].pk},
        effect=lambda w: Override.objects.get(pk=w.extra["override"].pk).cancelled_at is not None,
    ),
    Row(
        "alert-list",
        "post",
        LOGGED_IN,
        api=True,
        data=lambda w: {"rotation": w.extra["rotation"].pk, "summary": "Search is slow"},
        effect=lambda w: Alert.objects.filter(summary="Search is slow").exists(),
    ),
    Row(
        "alert-ack",
        "post",
        A_MEMBERS,
        api=True,
        kwargs=lambda w: {"pk": w.extra["alert"].pk},
        effect=_acknowledged,
    ),
]

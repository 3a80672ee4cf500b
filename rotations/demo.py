"""The demo rotas, made through the services: Sustained Engineering's rota (engineers weekly
as Primary and Backup, leads every two weeks) and the delivery team's weekly support rota with
one override. Safe to run again: existing rotas are brought back to this shape."""

from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from notifications.models import Channel

from . import services
from .models import Override, Rotation
from .services import RoleSpec

FIRST_MONDAY = date(2026, 1, 5)
SET_ENGINEERS = ["priya.raman", "sam.okoro", "tomasz.wolak", "yuki.sato"]
SET_LEADS = ["oskar.berg", "li.wen"]
DELIVERY_ROTA = ["ines.duarte", "kwame.mensah", "li.wen"]
OVERRIDE_REASON = "Demo: covering a day off"


def _role(name, people, *, at, cycle=1, timeout=15) -> RoleSpec:
    return RoleSpec(
        name=name,
        handoff_weekday=0,
        handoff_time=at,
        cycle_weeks=cycle,
        start=FIRST_MONDAY,
        members=people,
        escalation_timeout_minutes=timeout,
    )


def _rotation(*, team, name, roles, **fields) -> Rotation:
    rotation = Rotation.objects.filter(team=team, name=name).first()
    if rotation is None:
        return services.rotation_create(team=team, name=name, roles=roles, **fields)
    return services.rotation_update(rotation=rotation, roles=roles, **fields)


@transaction.atomic
def load_demo(*, teams: dict, people: dict) -> list[Rotation]:
    def who(usernames):
        return [people[username] for username in usernames]

    # The Backup list is the Primary list turned by one, so the two never coincide.
    set_rota = _rotation(
        team=teams["sustained-engineering"],
        name="SET support",
        timezone="Europe/Berlin",
        holiday_country="DE",
        roles=[
            _role("Primary", who(SET_ENGINEERS), at=time(9)),
            _role("Backup", who(SET_ENGINEERS[1:] + SET_ENGINEERS[:1]), at=time(9)),
            _role("Lead", who(SET_LEADS), at=time(9), cycle=2, timeout=30),
        ],
    )
    delivery_rota = _rotation(
        team=teams["delivery"],
        name="Weekly support",
        timezone="Europe/Berlin",
        channel=Channel.objects.filter(name="Delivery mailbox").first(),
        roles=[_role("Primary", who(DELIVERY_ROTA), at=time(10))],
    )
    primary = delivery_rota.roles.get(name="Primary")
    if not Override.objects.filter(role=primary, reason=OVERRIDE_REASON, end__gt=timezone.now()):
        # Tomorrow, 09:00 to 18:00 in the rota's zone: whoever is on, the next one covers.
        day = timezone.now().astimezone(delivery_rota.zone_info).date() + timedelta(days=1)
        start = datetime.combine(day, time(9), tzinfo=delivery_rota.zone_info)
        services.override_create(
            role=primary,
            person=people["kwame.mensah"],
            start=start,
            end=start + timedelta(hours=9),
            reason=OVERRIDE_REASON,
        )
    if not set_rota.alerts.exists():
        alert = services.alert_raise(rotation=set_rota, summary="Demo: error rate up on EU servers")
        services.alert_acknowledge(alert=alert, user=people["priya.raman"], checked=True)
    return [set_rota, delivery_rota]

"""Rotas for tests, made through the services as the app makes them."""

from datetime import date, time

from handbook.models import Membership
from handbook.tests.factories import MembershipFactory, TeamFactory
from rotations.services import RoleSpec, rotation_create


def role(
    name="Primary",
    members=(),
    *,
    weekday=0,
    at=time(9),
    cycle=1,
    start=date(2025, 3, 24),
    timeout=15,
):
    return RoleSpec(
        name=name,
        handoff_weekday=weekday,
        handoff_time=at,
        cycle_weeks=cycle,
        start=start,
        members=list(members),
        escalation_timeout_minutes=timeout,
    )


def make_rotation(*, team=None, name="Support", timezone="Europe/Berlin", roles=(), **fields):
    """A rotation whose roles' members are made members of its team first."""
    team = team or TeamFactory()
    for spec in roles:
        for person in spec.members:
            if not Membership.objects.filter(team=team, user=person).exists():
                MembershipFactory(team=team, user=person)
    return rotation_create(team=team, name=name, timezone=timezone, roles=list(roles), **fields)

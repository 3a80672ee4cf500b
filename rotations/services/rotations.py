"""Creating and changing rotations, their roles and members.

Every write that a person makes passes `user=` and is checked against rotations.permissions;
`user=None` is the system (demo data, imports). Changes to a role's schedule or members take
effect at its next handoff (services.plans)."""

from dataclasses import dataclass
from datetime import date, time

from django.core.exceptions import ValidationError
from django.db import transaction

from handbook.models import Membership, Team
from rotations import permissions
from rotations.models import Role, RoleMember, Rotation

from .plans import role_begun, role_plan_refresh

ROTATION_FIELDS = ("name", "timezone", "channel", "holiday_country", "header_channel_id")
ROLE_SCHEDULE_FIELDS = ("handoff_weekday", "handoff_time", "cycle_weeks", "start")


@dataclass
class RoleSpec:
    """A role as a caller describes it; `members` are people, in rota order."""

    name: str
    handoff_weekday: int
    handoff_time: time
    cycle_weeks: int
    start: date
    members: list
    escalation_timeout_minutes: int = 15


def role_members_check(*, team: Team, people: list, field: str = "members") -> None:
    """A role's members are active members of the rotation's team, each once."""
    member_ids = set(
        Membership.objects.filter(team=team, user__in=people).values_list("user_id", flat=True)
    )
    outsiders = [person.username for person in people if person.pk not in member_ids]
    if outsiders:
        raise ValidationError(
            {field: [f"{', '.join(outsiders)}: not a member of the {team.name} team."]}
        )
    inactive = [person.username for person in people if not person.is_active]
    if inactive:
        raise ValidationError({field: [f"{', '.join(inactive)}: deactivated."]})
    if len({person.pk for person in people}) != len(people):
        raise ValidationError({field: ["Each person may appear once in a role."]})


def _name_check(rotation: Rotation) -> None:
    taken = Rotation.objects.filter(team_id=rotation.team_id, name=rotation.name)
    if rotation.pk is not None:
        taken = taken.exclude(pk=rotation.pk)
    if taken.exists():
        raise ValidationError({"name": ["This team has a rotation of this name already."]})


def _history_user(obj, user) -> None:
    obj._history_user = user


def role_members_set(*, role: Role, people: list, user=None) -> None:
    """Replace the role's member list (in this order), from its next handoff on. The people
    who stay keep their rows (and history); the others are added or removed."""
    role_members_check(team=role.rotation.team, people=people)
    existing = {member.user_id: member for member in role.members.all()}
    wanted = [person.pk for person in people]
    for member in existing.values():
        if member.user_id not in wanted:
            _history_user(member, user)
            member.delete()
    for position, person_id in enumerate(wanted):
        member = existing.get(person_id)
        if member is None:
            member = RoleMember(role=role, user_id=person_id, position=position)
        elif member.position == position:
            continue
        member.position = position
        _history_user(member, user)
        member.save()


def role_start_check(*, role: Role, start: date) -> None:
    """A role's start date moves only until its first handoff: after that the shifts worked
    are history."""
    if role.pk is not None and role.start != start and role_begun(role=role):
        raise ValidationError(
            {"start": ["The rota has begun: change the handoff day or time instead."]}
        )


def _role_save(*, rotation: Rotation, spec: RoleSpec, position: int, role: Role | None, user):
    role = role or Role(rotation=rotation)
    role_start_check(role=role, start=spec.start)
    role.name = spec.name
    role.position = position
    role.handoff_weekday = spec.handoff_weekday
    role.handoff_time = spec.handoff_time
    role.cycle_weeks = spec.cycle_weeks
    role.start = spec.start
    role.escalation_timeout_minutes = spec.escalation_timeout_minutes
    role.full_clean(exclude=["rotation"])
    _history_user(role, user)
    role.save()
    role_members_set(role=role, people=list(spec.members), user=user)
    role_plan_refresh(role=role, user=user)
    return role


def _roles_check(specs: list[RoleSpec]) -> None:
    names = [spec.name for spec in specs]
    if len(set(names)) != len(names):
        raise ValidationError({"roles": ["Each role of a rotation needs its own name."]})


@transaction.atomic
def rotation_create(*, team: Team, roles: list[RoleSpec], user=None, **fields) -> Rotation:
    if user is not None:
        permissions.rotation_create_check(user=user, team=team)
    _roles_check(roles)
    rotation = Rotation(team=team, **{key: fields[key] for key in ROTATION_FIELDS if key in fields})
    _name_check(rotation)
    rotation.full_clean()
    _history_user(rotation, user)
    rotation.save()
    for position, spec in enumerate(roles):
        _role_save(rotation=rotation, spec=spec, position=position, role=None, user=user)
    return rotation


@transaction.atomic
def rotation_update(
    *, rotation: Rotation, user=None, roles: list[RoleSpec] | None = None, **fields
) -> Rotation:
    """Change the rotation's own fields, and (when `roles` is given) its roles: matched by
    name, in the given (escalation) order; roles not named any more are removed."""
    rotation = Rotation.objects.select_for_update().select_related("team").get(pk=rotation.pk)
    if user is not None:
        permissions.rotation_edit_check(user=user, rotation=rotation)
    if "team" in fields and fields["team"] != rotation.team:
        raise ValidationError({"team": ["A rotation stays with its team; make a new one."]})
    for key in ROTATION_FIELDS:
        if key in fields:
            setattr(rotation, key, fields[key])
    _name_check(rotation)
    rotation.full_clean()
    _history_user(rotation, user)
    rotation.save()
    if roles is not None:
        _roles_check(roles)
        existing = {role.name: role for role in rotation.roles.all()}
        for position, spec in enumerate(roles):
            _role_save(
                rotation=rotation,
                spec=spec,
                position=position,
                role=existing.pop(spec.name, None),
                user=user,
            )
        for role in existing.values():
            _history_user(role, user)
            role.delete()
    return rotation


@transaction.atomic
def rotation_delete(*, rotation: Rotation, user=None) -> None:
    if user is not None:
        permissions.rotation_edit_check(user=user, rotation=rotation)
    _history_user(rotation, user)
    rotation.delete()


def role_spec_from(role: Role) -> RoleSpec:
    """A role as it is now, to change one part of it."""
    return RoleSpec(
        name=role.name,
        handoff_weekday=role.handoff_weekday,
        handoff_time=role.handoff_time,
        cycle_weeks=role.cycle_weeks,
        start=role.start,
        members=[member.user for member in role.members.select_related("user")],
        escalation_timeout_minutes=role.escalation_timeout_minutes,
    )

"""Writes about teams: create, change, delete, and their members."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from core.exceptions import NotAllowed, StaleWrite
from handbook import permissions
from handbook.models import ContactRoute, Membership, Team, Workstream

from .team_rows import rows_apply

# The charter: what a team says about itself, shown on its page.
CHARTER_FIELDS = (
    "channel_url",
    "vision_1y",
    "vision_3y",
    "vision_10y",
    "principles",
    "ownership",
    "support_guidelines",
)
TEAM_FIELDS = ("slug", "name", "mission", "parent", *CHARTER_FIELDS)


def _membership_put(*, team: Team, user, role: str, by) -> tuple[Membership, bool]:
    if role not in Membership.Role.values:
        raise ValidationError(
            {"role": [f"“{role}” is not a role; use one of {Membership.Role.values}."]}
        )
    if not user.is_active:
        raise ValidationError({"username": ["This person is deactivated."]})
    membership = Membership.objects.select_for_update().filter(team=team, user=user).first()
    if membership is None:
        membership = Membership(team=team, user=user, role=role)
        membership._history_user = by
        try:
            with transaction.atomic():
                membership.save()
        except IntegrityError:  # added meanwhile by someone else: change that one instead
            membership = Membership.objects.select_for_update().get(team=team, user=user)
        else:
            return membership, True
    if membership.role != role:
        membership.role = role
        membership._history_user = by
        membership.save(update_fields=["role"])
    return membership, False


def _members_apply(*, team: Team, members: list[dict], by) -> None:
    """Make the team's members the given ones, changing only what differs: members who stay
    keep their membership (id, joined_at), and each addition, removal and change of role is
    a row in the team's history naming who made it."""
    wanted = {row["user"].pk: row for row in members}
    for membership in team.memberships.select_for_update():
        if membership.user_id not in wanted:
            membership._history_user = by
            membership.delete()
    for row in wanted.values():
        # A member given without a role is an engineer, as when added on their own.
        role = row.get("role", Membership.Role.ENGINEER)
        _membership_put(team=team, user=row["user"], role=role, by=by)


def _check(allowed: bool, message: str) -> None:
    if not allowed:
        raise NotAllowed(message)


@transaction.atomic
def team_create(*, by=None, members: list[dict] | None = None, contacts=None, **fields) -> Team:
    """A new team. `by`: the person acting, whose rights are checked (None: the system)."""
    team = Team(**{k: v for k, v in fields.items() if k in TEAM_FIELDS})
    if by is not None:
        _check(permissions.team_can_create(user=by), "Only admins may create teams.")
        permissions.team_parent_check(user=by, team=None, parent=team.parent)
    team.full_clean()
    team._history_user = by
    team.save()
    if members:
        _members_apply(team=team, members=members, by=by)
    if contacts:
        rows_apply(team=team, model=ContactRoute, rows=contacts, by=by)
    return team


@transaction.atomic
def team_update(
    *,
    team: Team,
    by=None,
    members=None,
    contacts=None,
    workstreams=None,
    base_version: int | None = None,
    **changes,
) -> Team:
    """Change a team's fields and, when given, its members, contacts (rows of reason,
    contacts, via; with the `id` of a row to change it in place) and workstreams (name, lead,
    description; `id` likewise), in the order given. Only what differs is written, and a
    change grows the team's `version`.

    `base_version`: the version the editor started from; when the team has moved on since,
    nothing is saved and StaleWrite carries the team as it is now. `by`: the person acting,
    whose rights are checked (None: the system)."""
    team = Team.objects.select_for_update().get(pk=team.pk)
    if by is not None:
        permissions.team_edit_check(user=by, team=team)
        if "parent" in changes:
            permissions.team_parent_check(user=by, team=team, parent=changes["parent"])
    if base_version is not None and team.version != base_version:
        raise StaleWrite("Someone else changed this team since you opened it.", current=team)
    for field in changes:
        if field not in TEAM_FIELDS:
            raise ValidationError({field: ["This field cannot be changed."]})
    changed = any(getattr(team, field) != value for field, value in changes.items())
    for field, value in changes.items():
        setattr(team, field, value)
    team.full_clean()
    if members is not None:
        _members_apply(team=team, members=members, by=by)
    if contacts is not None:
        changed |= rows_apply(team=team, model=ContactRoute, rows=contacts, by=by)
    if workstreams is not None:
        changed |= rows_apply(team=team, model=Workstream, rows=workstreams, by=by)
    if changed:
        team.version += 1
        team._history_user = by
        team.save()
    return team


@transaction.atomic
def team_delete(*, team: Team, by=None) -> None:
    if by is not None:
        _check(permissions.team_can_delete(user=by), "Only admins may delete teams.")
    team._history_user = by
    team.delete()


@transaction.atomic
def membership_set(*, team: Team, user, role: str, by=None) -> tuple[Membership, bool]:
    """Add a person to a team, or change their role there. Returns (membership, created).
    `by`: the person acting (None: the system)."""
    if by is not None:
        permissions.team_edit_check(user=by, team=team)
    return _membership_put(team=team, user=user, role=role, by=by)


@transaction.atomic
def membership_remove(*, team: Team, user, by=None) -> None:
    if by is not None:
        permissions.team_edit_check(user=by, team=team)
    membership = Membership.objects.filter(team=team, user=user).first()
    if membership is None:
        raise Membership.DoesNotExist(f"{user} is not a member of {team}.")
    membership._history_user = by
    membership.delete()

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction

from .models import ContactRoute, Membership, Team

User = get_user_model()
TEAM_FIELDS = ("slug", "name", "mission", "channel_url", "parent")


def _contacts_replace(*, team: Team, contacts: list[dict]) -> None:
    team.contacts.all().delete()
    for position, row in enumerate(contacts):
        route = ContactRoute(team=team, position=position, **row)
        route.full_clean()
        route.save()


def _members_replace(*, team: Team, members: list[dict]) -> None:
    team.memberships.all().delete()
    for row in members:
        membership_set(team=team, user=row["user"], role=row["role"])


@transaction.atomic
def team_create(*, members: list[dict] | None = None, contacts=None, **fields) -> Team:
    team = Team(**{k: v for k, v in fields.items() if k in TEAM_FIELDS})
    team.full_clean()
    team.save()
    if members:
        _members_replace(team=team, members=members)
    if contacts:
        _contacts_replace(team=team, contacts=contacts)
    return team


@transaction.atomic
def team_update(*, team: Team, members=None, contacts=None, **changes) -> Team:
    for field, value in changes.items():
        if field not in TEAM_FIELDS:
            raise ValidationError({field: ["This field cannot be changed."]})
        setattr(team, field, value)
    team.full_clean()
    team.save()
    if members is not None:
        _members_replace(team=team, members=members)
    if contacts is not None:
        _contacts_replace(team=team, contacts=contacts)
    return team


@transaction.atomic
def team_delete(*, team: Team) -> None:
    team.delete()


@transaction.atomic
def membership_set(*, team: Team, user, role: str) -> tuple[Membership, bool]:
    """Add a person to a team, or change their role there. Returns (membership, created)."""
    if role not in Membership.Role.values:
        raise ValidationError(
            {"role": [f"“{role}” is not a role; use one of {Membership.Role.values}."]}
        )
    if not user.is_active:
        raise ValidationError({"username": ["This person is deactivated."]})
    membership, created = Membership.objects.select_for_update().get_or_create(
        team=team, user=user, defaults={"role": role}
    )
    if not created and membership.role != role:
        membership.role = role
        membership.save(update_fields=["role"])
    return membership, created


@transaction.atomic
def membership_remove(*, team: Team, user) -> None:
    deleted, _ = Membership.objects.filter(team=team, user=user).delete()
    if not deleted:
        raise Membership.DoesNotExist(f"{user} is not a member of {team}.")

"""Who may do what with rotas: every rule once, for pages, HTMX partials, the API and the admin.

- A rotation (its roles, members and schedule) is edited by the team's managers (lead, EM,
  PM) and admins: the same people who edit the team (handbook.permissions.team_can_edit).
- Overrides are added and cancelled by any member of the team and by admins: covering for a
  colleague is everyday work, not an admin task.
- Anyone logged in may raise an alert (incidents come from anywhere); it is acknowledged by
  the people it paged, the team's members and admins.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db.models import Exists, Q

from core.cache import LOCAL_TIMEOUT, layered_get_or_set
from core.exceptions import NotAllowed
from core.versions import RIGHTS_DEPENDENCY, versions
from handbook import permissions as handbook_permissions
from handbook.models import Membership, Team
from handbook.pages import MEMBERS_DEPENDENCY

from .models import Alert, Rotation


def _active(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def rotation_can_create(*, user, team: Team) -> bool:
    return _active(user) and (
        user.has_perm("rotations.add_rotation")
        or handbook_permissions.team_can_edit(user=user, team=team)
    )


def rotation_can_edit(*, user, rotation: Rotation) -> bool:
    return _active(user) and (
        user.has_perm("rotations.change_rotation")
        or handbook_permissions.team_can_edit(user=user, team=rotation.team)
    )


def rotation_create_check(*, user, team: Team) -> None:
    if not rotation_can_create(user=user, team=team):
        raise NotAllowed(
            f"Only the {team.name} team's leads and managers, and admins, may add its rotas.",
            field="team",
        )


def rotation_edit_check(*, user, rotation: Rotation) -> None:
    if not rotation_can_edit(user=user, rotation=rotation):
        raise NotAllowed(
            f"Only the {rotation.team.name} team's leads and managers, and admins, may change "
            f"this rota."
        )


def _is_member(*, user, team_id: int) -> bool:
    return Membership.objects.filter(team_id=team_id, user=user).exists()


def override_can_manage(*, user, rotation: Rotation) -> bool:
    return _active(user) and (
        user.has_perm("rotations.change_override")
        or _is_member(user=user, team_id=rotation.team_id)
    )


def override_manage_check(*, user, rotation: Rotation) -> None:
    if not override_can_manage(user=user, rotation=rotation):
        raise NotAllowed(
            f"Only members of the {rotation.team.name} team, and admins, may add or cancel "
            f"overrides of this rota."
        )


def alert_can_raise(*, user) -> bool:
    return _active(user)


def alert_can_acknowledge(*, user, alert: Alert) -> bool:
    if not _active(user):
        return False
    if user.has_perm("rotations.change_alert"):
        return True
    if alert.steps.filter(user=user).exists():
        return True
    return _is_member(user=user, team_id=alert.rotation.team_id)


def alert_acknowledge_check(*, user, alert: Alert) -> None:
    if not alert_can_acknowledge(user=user, alert=alert):
        raise NotAllowed(
            "Only the people this alert paged, its team's members and admins may acknowledge it."
        )


def rota_page_rights(*, user, team_id: int) -> tuple[bool, bool]:
    """(may edit the rota, may add and cancel its overrides): what the rota page offers.

    The same rules as rotation_can_edit and override_can_manage, answered in one query and
    kept in the caches under the versions of memberships and permissions (as the handbook
    keeps page rights), since every view of the page asks."""
    if not _active(user):
        return (False, False)
    if user.is_superuser:
        return (True, True)
    current = versions([MEMBERS_DEPENDENCY, RIGHTS_DEPENDENCY])
    key = (
        f"rotations:rights:{user.pk}:{team_id}:"
        f"{current[MEMBERS_DEPENDENCY]}:{current[RIGHTS_DEPENDENCY]}"
    )
    return tuple(
        layered_get_or_set(
            key,
            lambda: _page_rights_read(user=user, team_id=team_id),
            timeout=LOCAL_TIMEOUT,
        )
    )


def _page_rights_read(*, user, team_id: int) -> list[bool]:
    def held(app_label, codename):
        # Held directly or through a group, as ModelBackend (our permission backend) grants.
        return Exists(
            Permission.objects.filter(content_type__app_label=app_label, codename=codename).filter(
                Q(user=user) | Q(group__user=user)
            )
        )

    memberships = Membership.objects.filter(team_id=team_id, user=user)
    manages = Exists(memberships.filter(role__in=Membership.MANAGING_ROLES))
    row = (
        get_user_model()
        .objects.filter(pk=user.pk)
        .annotate(
            edit=held("rotations", "change_rotation") | held("handbook", "change_team") | manages,
            override=held("rotations", "change_override") | Exists(memberships),
        )
        .values_list("edit", "override")
        .get()
    )
    return list(row)

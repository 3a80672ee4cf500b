"""Who may do what with releases: every rule once, for pages, the API, the admin and commands.

What we chose (following the rotas and tickets rules):

- A train (its rule, milestones, holidays, reminders) is added, changed and planned by the
  owning team's managers (lead, EM, PM) and admins: the people who edit the team
  (handbook.permissions.team_can_edit), or who hold `releases.change_train`.
- A release is added by hand, rescheduled, has a milestone moved, its manager or status set
  by the same people, and by the release's own manager: running the release is their job.
- A milestone or checklist item is ticked by any member of the team, the release manager and
  admins: the work is shared by the team.
- Reading needs a login, as everywhere.
"""

from core.exceptions import NotAllowed
from handbook import permissions as handbook_permissions
from handbook.models import Membership, Team

from .models import Release, Train


def _active(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def train_can_manage(*, user, team: Team) -> bool:
    return _active(user) and (
        user.has_perm("releases.change_train")
        or handbook_permissions.team_can_edit(user=user, team=team)
    )


def train_manage_check(*, user, team: Team) -> None:
    if not train_can_manage(user=user, team=team):
        raise NotAllowed(
            f"Only the {team.name} team's leads and managers, and admins, may manage its "
            f"release trains.",
            field="team",
        )


def release_can_edit(*, user, release: Release) -> bool:
    if not _active(user):
        return False
    if release.manager_id is not None and release.manager_id == user.pk:
        return True
    return user.has_perm("releases.change_release") or train_can_manage(
        user=user, team=release.train.team
    )


def release_edit_check(*, user, release: Release) -> None:
    if not release_can_edit(user=user, release=release):
        raise NotAllowed(
            f"Only the release manager, the {release.train.team.name} team's leads and "
            f"managers, and admins, may change this release."
        )


def release_create_check(*, user, train: Train) -> None:
    if not (_active(user) and user.has_perm("releases.add_release")) and not train_can_manage(
        user=user, team=train.team
    ):
        raise NotAllowed(
            f"Only the {train.team.name} team's leads and managers, and admins, may add "
            f"releases to this train.",
            field="train",
        )


def checklist_can_tick(*, user, release: Release) -> bool:
    if not _active(user):
        return False
    if release_can_edit(user=user, release=release):
        return True
    return Membership.objects.filter(team_id=release.train.team_id, user=user).exists()


def checklist_tick_check(*, user, release: Release) -> None:
    if not checklist_can_tick(user=user, release=release):
        raise NotAllowed(
            f"Only members of the {release.train.team.name} team, the release manager and "
            f"admins may tick this release's checklist."
        )

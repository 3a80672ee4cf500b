"""Who may do what with boards and tickets: every rule once, for pages, HTMX partials, the API
and the admin.

- A board and its columns are set up by the team's managers (leads, EMs, PMs) and admins,
  the people who edit the team (handbook.permissions.team_can_edit).
- Tickets are created, changed and moved by the team's members and admins: working the queue
  is everyday work.
"""

from core.exceptions import NotAllowed
from handbook import permissions as handbook_permissions
from handbook.models import Membership, Team

from .models import Board


def _active(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def board_can_manage(*, user, team: Team) -> bool:
    return _active(user) and (
        user.has_perm("tickets.change_board")
        or handbook_permissions.team_can_edit(user=user, team=team)
    )


def board_manage_check(*, user, team: Team) -> None:
    if not board_can_manage(user=user, team=team):
        raise NotAllowed(
            f"Only the {team.name} team's leads and managers, and admins, may set up its boards.",
            field="team",
        )


def ticket_can_work(*, user, board: Board) -> bool:
    # Membership first: one query for the team's people, who make most moves, where the
    # model permission would load all of theirs (two); a superuser needs neither.
    return _active(user) and (
        user.is_superuser
        or Membership.objects.filter(team_id=board.team_id, user=user).exists()
        or user.has_perm("tickets.change_ticket")
    )


def ticket_work_check(*, user, board: Board) -> None:
    if not ticket_can_work(user=user, board=board):
        raise NotAllowed(
            f"Only members of the {board.team.name} team, and admins, may change the tickets "
            f"of {board.name}."
        )

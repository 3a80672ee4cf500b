"""Writes about meetings."""

from django.db import transaction

from core.exceptions import NotAllowed
from handbook import permissions
from handbook.models import Meeting, Team


@transaction.atomic
def meeting_create(*, team: Team, by=None, **fields) -> Meeting:
    """A new meeting; its rule is checked by the model (Meeting.clean), as on every path.
    `by`: the person acting (None: the system)."""
    if by is not None and not permissions.team_can_edit(user=by, team=team):
        raise NotAllowed("Only the team's leads and managers, and admins, may add meetings.")
    meeting = Meeting(team=team, **fields)
    meeting.full_clean()
    meeting.save()
    return meeting

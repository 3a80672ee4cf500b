"""Writes about meetings: add, change, remove; each change is kept in the meeting's history."""

from django.db import transaction

from handbook import permissions
from handbook.models import Meeting, Team

MEETING_FIELDS = (
    "name",
    "topic",
    "participants",
    "recurrence",
    "start",
    "duration_minutes",
    "timezone",
)


@transaction.atomic
def meeting_create(*, team: Team, by=None, **fields) -> Meeting:
    """A new meeting; its rule is checked by the model (Meeting.clean), as on every path.
    `by`: the person acting (None: the system)."""
    if by is not None:
        permissions.team_edit_check(user=by, team=team)
    meeting = Meeting(team=team, **fields)
    meeting.full_clean()
    meeting._history_user = by
    meeting.save()
    return meeting


@transaction.atomic
def meeting_update(*, meeting: Meeting, by=None, **changes) -> tuple[Meeting, bool]:
    """Change a meeting's name, topic, participants, rule, start, length or zone. Returns
    (meeting, changed): saving what it already says records nothing."""
    meeting = Meeting.objects.select_for_update().select_related("team").get(pk=meeting.pk)
    if by is not None:
        permissions.team_edit_check(user=by, team=meeting.team)
    changes = {name: value for name, value in changes.items() if name in MEETING_FIELDS}
    if all(getattr(meeting, name) == value for name, value in changes.items()):
        return meeting, False
    for name, value in changes.items():
        setattr(meeting, name, value)
    meeting.full_clean()
    meeting._history_user = by
    meeting.save()
    return meeting, True


@transaction.atomic
def meeting_delete(*, meeting: Meeting, by=None) -> None:
    if by is not None:
        permissions.team_edit_check(user=by, team=meeting.team)
    meeting._history_user = by
    meeting.delete()

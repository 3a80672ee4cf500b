"""The rows of the permission matrix (tests/test_permission_matrix.py) for editing a team in
the portal: its charter, contacts, workstreams, members and meetings. Only team A's leads and
admins may; the world's team A has `member` (engineer) and `lead`, and the meeting "Sync"."""

from handbook.models import Meeting, Team
from tests.matrix import A_MANAGERS, Row


def _team_a(world) -> Team:
    return Team.objects.get(pk=world.team_a.pk)


def _charter(world) -> dict:
    team = _team_a(world)
    return {
        "name": team.name,
        "mission": team.mission,
        "principles": ["Changed first", "Then this"],
        "ownership": ["Only this"],
        "base_version": team.version,
    }


def _rows(world, **columns) -> dict:
    return {"base_version": _team_a(world).version, **columns}


def _meeting(world) -> Meeting:
    return Meeting.objects.get(team=world.team_a, name="Sync")


def _meeting_fields(prefix: str, name: str) -> dict:
    return {
        f"{prefix}-name": name,
        f"{prefix}-recurrence": "FREQ=WEEKLY;BYDAY=TU",
        f"{prefix}-start": "2026-01-06T09:00",
        f"{prefix}-duration_minutes": "30",
        f"{prefix}-timezone": "UTC",
    }


def _role_of(username: str):
    return lambda world: (
        world.team_a.memberships.filter(user__username=username).values_list("role", flat=True)
    ).first()


SLUG = {"slug": "team-a"}

ROWS = [
    Row(
        "handbook:team_charter",
        "post",
        A_MANAGERS,
        kwargs=lambda w: SLUG,
        data=_charter,
        effect=lambda w: _team_a(w).principles == ["Changed first", "Then this"],
    ),
    Row(
        "handbook:team_contacts",
        "post",
        A_MANAGERS,
        kwargs=lambda w: SLUG,
        data=lambda w: _rows(w, id="", reason="Pager", contacts="@team-a-rota", via="Chat"),
        effect=lambda w: w.team_a.contacts.filter(reason="Pager").exists(),
    ),
    Row(
        "handbook:team_workstreams",
        "post",
        A_MANAGERS,
        kwargs=lambda w: SLUG,
        data=lambda w: _rows(w, id="", name="Automation", lead="lead", description=""),
        effect=lambda w: w.team_a.workstreams.filter(name="Automation").exists(),
    ),
    Row(
        "handbook:team_member_add",
        "post",
        A_MANAGERS,
        kwargs=lambda w: SLUG,
        data=lambda w: {"person": "other", "role": "engineer"},
        effect=lambda w: _role_of("other")(w) == "engineer",
    ),
    Row(
        "handbook:team_member",
        "post",
        A_MANAGERS,
        kwargs=lambda w: {**SLUG, "username": "member"},
        data=lambda w: {"role": "qa"},
        effect=lambda w: _role_of("member")(w) == "qa",
    ),
    Row(
        "handbook:team_member",
        "post",
        A_MANAGERS,
        case="remove",
        kwargs=lambda w: {**SLUG, "username": "member"},
        data=lambda w: {"remove": "1"},
        effect=lambda w: _role_of("member")(w) is None,
    ),
    Row(
        "handbook:team_meeting_add",
        "post",
        A_MANAGERS,
        kwargs=lambda w: SLUG,
        data=lambda w: _meeting_fields("new-meeting", "Planning"),
        effect=lambda w: Meeting.objects.filter(team=w.team_a, name="Planning").exists(),
    ),
    Row(
        "handbook:team_meeting",
        "post",
        A_MANAGERS,
        kwargs=lambda w: {**SLUG, "pk": _meeting(w).pk},
        data=lambda w: (
            _meeting_fields(f"meeting-{_meeting(w).pk}", "Sync")
            | {f"meeting-{_meeting(w).pk}-topic": "Changed"}
        ),
        effect=lambda w: _meeting(w).topic == "Changed",
    ),
    Row(
        "handbook:team_meeting",
        "post",
        A_MANAGERS,
        case="remove",
        kwargs=lambda w: {**SLUG, "pk": _meeting(w).pk},
        data=lambda w: {"remove": "1"},
        effect=lambda w: not Meeting.objects.filter(team=w.team_a, name="Sync").exists(),
    ),
]

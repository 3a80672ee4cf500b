"""A team's past: every change to its charter, members, contacts, workstreams and meetings,
who made it and when, with a summary of what changed (from django-simple-history's records).

One query per kind of record, whatever the length of the history."""

from dataclasses import dataclass, field
from datetime import datetime

from handbook.models import ContactRoute, Meeting, Membership, Team, Workstream

# The fields whose changes are told, with their names in words; long texts are said to have
# changed, short ones show before and after.
TEAM_FIELDS = {
    "name": "Name",
    "slug": "Address",
    "parent_id": "Parent team",
    "mission": "Mission",
    "channel_url": "Channel",
    "vision_1y": "Vision (one year)",
    "vision_3y": "Vision (three years)",
    "vision_10y": "Vision (ten years)",
    "principles": "Principles",
    "ownership": "Areas of ownership",
    "support_guidelines": "How to ask for help",
}
CONTACT_FIELDS = {"reason": "Reason", "contacts": "Contacts", "via": "Via", "position": "Order"}
WORKSTREAM_FIELDS = {
    "name": "Name",
    "lead_id": "Lead",
    "description": "About",
    "position": "Order",
}
MEETING_FIELDS = {
    "name": "Name",
    "topic": "Topic",
    "participants": "Participants",
    "recurrence": "Repeats",
    "start": "First occurrence",
    "duration_minutes": "Minutes",
    "timezone": "Time zone",
}
# Told only as changed: long texts, and the parent (a team that may be gone by now).
WITHOUT_VALUES = {
    "mission",
    "vision_1y",
    "vision_3y",
    "vision_10y",
    "support_guidelines",
    "description",
    "parent_id",
}
SHORT_LIMIT = 80
LIMIT = 200


@dataclass
class TeamChange:
    when: datetime
    who: str  # a person's name, or "" for the system
    part: str  # "Charter", "Members", "Contacts", "Workstreams", "Meetings"
    action: str  # "added", "changed", "removed"
    subject: str  # what the change is about: a member, a contact reason, a meeting
    details: list[str] = field(default_factory=list)


def _short(value) -> str:
    text = "—" if value in ("", None, []) else str(value)
    return text if len(text) <= SHORT_LIMIT else text[: SHORT_LIMIT - 1] + "…"


def _list_change(label: str, before: list, after: list) -> str:
    added = [item for item in after if item not in before]
    removed = [item for item in before if item not in after]
    parts = []
    if added:
        parts.append("added " + ", ".join(f"“{_short(item)}”" for item in added))
    if removed:
        parts.append("removed " + ", ".join(f"“{_short(item)}”" for item in removed))
    kept_before = [item for item in before if item in after]
    kept_after = [item for item in after if item in before]
    if kept_before != kept_after:
        parts.append("new order: " + ", ".join(f"“{_short(item)}”" for item in after))
    return f"{label}: " + "; ".join(parts)


def _details(record, previous, fields: dict[str, str], names: dict[int, str]) -> list[str]:
    details = []
    for attname, label in fields.items():
        before, after = getattr(previous, attname), getattr(record, attname)
        if before == after:
            continue
        if attname == "position":
            details.append("moved in the list")
        elif isinstance(after, list) and isinstance(before, list) and attname != "contacts":
            details.append(_list_change(label, before, after))
        elif attname in WITHOUT_VALUES:
            details.append(f"{label} changed")
        else:
            if attname.endswith("_id"):
                before, after = names.get(before, before), names.get(after, after)
            if isinstance(after, list):
                before, after = ", ".join(before or []), ", ".join(after)
            details.append(f"{label}: {_short(before)} → {_short(after)}")
    return details


def _who(record) -> str:
    user = record.history_user
    return user.name if user is not None else ""


ACTIONS = {"+": "added", "~": "changed", "-": "removed"}


def _changes(records, *, part: str, fields: dict, subject, names=None) -> list[TeamChange]:
    """Changes told from the records of one kind, oldest first per object."""
    names = names or {}
    changes, last = [], {}
    for record in records:
        previous = last.get(record.id)
        last[record.id] = record
        details = []
        if record.history_type == "~" and previous is not None:
            details = _details(record, previous, fields, names)
            if not details:
                continue  # saved with nothing told changed (the team's version alone)
        changes.append(
            TeamChange(
                when=record.history_date,
                who=_who(record),
                part=part,
                action=ACTIONS[record.history_type],
                subject=subject(record),
                details=details,
            )
        )
    return changes


def team_history(*, team: Team, limit: int = LIMIT) -> list[TeamChange]:
    """The team's changes, newest first (the latest `limit` of them)."""
    order = ("history_date", "history_id")
    teams = Team.history.filter(id=team.pk).select_related("history_user").order_by(*order)
    members = (
        Membership.history.filter(team_id=team.pk)
        .select_related("history_user", "user")
        .order_by(*order)
    )
    contacts = ContactRoute.history.filter(team_id=team.pk).select_related("history_user")
    workstreams = Workstream.history.filter(team_id=team.pk).select_related("history_user", "lead")
    meetings = Meeting.history.filter(team_id=team.pk).select_related("history_user")
    workstream_records = list(workstreams.order_by(*order))
    leads = {record.lead_id: record.lead.name for record in workstream_records if record.lead}
    changes = [
        *_changes(teams, part="Charter", fields=TEAM_FIELDS, subject=lambda r: r.name),
        *_changes(
            members,
            part="Members",
            fields={"role": "Role"},
            subject=lambda r: f"{r.user.name} ({r.get_role_display()})",
        ),
        *_changes(
            contacts.order_by(*order),
            part="Contacts",
            fields=CONTACT_FIELDS,
            subject=lambda r: r.reason,
        ),
        *_changes(
            workstream_records,
            part="Workstreams",
            fields=WORKSTREAM_FIELDS,
            subject=lambda r: r.name,
            names=leads,
        ),
        *_changes(
            meetings.order_by(*order),
            part="Meetings",
            fields=MEETING_FIELDS,
            subject=lambda r: r.name,
        ),
    ]
    changes.sort(key=lambda change: change.when, reverse=True)
    return changes[:limit]

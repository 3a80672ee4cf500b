"""The words of rota messages: handoffs, alerts, channel headers. Times are given in the
rotation's zone, which is the zone its people plan by."""

from datetime import datetime

from rotations.selectors.rota import Holder, RoleRota, RotationSnapshot


def _when(moment: datetime, snapshot: RotationSnapshot) -> str:
    local = moment.astimezone(snapshot.zone)
    return f"{local:%a} {local.day} {local:%b} {local:%H:%M} {snapshot.timezone}"


def _who(person) -> str:
    return f"{person.name} (@{person.username})" if person else "nobody"


def handoff_text(*, snapshot, role: RoleRota, person, segment, late: bool) -> str:
    head = f"{snapshot.name} · {role.name}"
    if person is None:
        body = f"nobody holds the role from {_when(segment.start, snapshot)}: a gap to fill."
    else:
        covering = " (covering)" if segment.source == "override" else ""
        body = f"{_who(person)}{covering} is on call until {_when(segment.end, snapshot)}."
    text = f"Handoff · {head}: {body}"
    if late:
        text += f" Announced late: the handoff was at {_when(segment.start, snapshot)}."
    return text


def handoff_personal_text(*, snapshot, role: RoleRota, segment, late: bool) -> str:
    text = (
        f"You are on call as {role.name} for {snapshot.name} ({snapshot.team_name}) from "
        f"{_when(segment.start, snapshot)} until {_when(segment.end, snapshot)}."
    )
    if late:
        text += " (This message is late: the handoff has happened already.)"
    return text


def alert_page_text(*, snapshot, alert, role: RoleRota, person, ack_url: str) -> str:
    ticket = f" [{alert.ticket}]" if alert.ticket else ""
    return (
        f"Alert{ticket} for {snapshot.name}: {alert.summary} — paging {role.name}: "
        f"{_who(person)}. Acknowledge: {ack_url}"
    )


def alert_unanswered_text(*, snapshot, alert) -> str:
    return (
        f"Alert for {snapshot.name}: “{alert.summary}” was not acknowledged by any role. "
        f"Nobody has taken it."
    )


def alert_acknowledged_text(*, snapshot, alert, person) -> str:
    return f"Alert for {snapshot.name}: “{alert.summary}” acknowledged by {_who(person)}."


def channel_header(*, snapshot, holders: list[Holder]) -> str:
    parts = [
        f"{holder.role.name}: @{holder.person.username}"
        if holder.person
        else f"{holder.role.name}: —"
        for holder in holders
    ]
    return f"On call ({snapshot.name}) · " + " · ".join(parts)

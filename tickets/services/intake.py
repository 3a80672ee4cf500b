"""Work arriving from outside the team: support requests, and incidents that page the rota."""

from django.core.exceptions import ValidationError
from django.db import transaction

from handbook.models import Team
from notifications.models import Channel
from notifications.services import email_channel, notify
from rotations import selectors as rota_selectors
from tickets.models import Column, Ticket

from .tickets import ticket_create

URGENCIES = {
    "normal": "Normal",
    "hours": "Within a few hours",
    "asap": "As soon as possible",
}


def _request_text(*, background: str, impact: str, extra: str, urgency: str) -> str:
    parts = [
        ("Background, context and the challenge", background),
        ("Impact", impact),
        ("Anything else", extra),
    ]
    text = [f"## {title}\n\n{body.strip()}\n" for title, body in parts if body.strip()]
    text.append(f"**Urgency:** {URGENCIES[urgency]}\n")
    return "\n".join(text)


def _team_channel(team: Team) -> Channel | None:
    return Channel.objects.filter(team=team, is_active=True).order_by("pk").first()


def _oncall_person(team: Team):
    """Whoever holds the first role of the team's first rota now, or None."""
    for row in rota_selectors.oncall_now(team=team):
        for holder in row.holders:
            if holder.person is not None:
                return holder.person
    return None


@transaction.atomic
def support_request_create(
    *,
    team: Team,
    summary: str,
    background: str = "",
    impact: str = "",
    extra: str = "",
    urgency: str = "normal",
    user=None,
) -> Ticket:
    """A `support` ticket in the team board's triage column, labelled `team/<slug>`. Anyone
    may ask a team for help. "Within a few hours" tells the team's channel; "as soon as
    possible" tells the channel and the person on call."""
    if urgency not in URGENCIES:
        raise ValidationError({"urgency": [f"One of {', '.join(URGENCIES)}."]})
    board = team.boards.order_by("pk").first()
    if board is None:
        raise ValidationError({"team": [f"{team.name} has no board to take requests yet."]})
    triage = (
        board.columns.filter(kind=Column.Kind.TRIAGE).order_by("position", "id").first()
        or board.columns.order_by("position", "id").first()
    )
    ticket = ticket_create(
        board=board,
        column=triage,
        title=summary,
        description=_request_text(
            background=background, impact=impact, extra=extra, urgency=urgency
        ),
        kind=Ticket.Kind.SUPPORT,
        labels=[f"team/{team.slug}"],
        reporter=user,
    )
    if urgency in ("hours", "asap"):
        text = f"Support request {ticket.key} ({URGENCIES[urgency].lower()}): {summary}"
        channel = _team_channel(team)
        if channel is not None:
            notify(channel=channel, key=f"support:{ticket.pk}:channel", text=text)
        person = _oncall_person(team) if urgency == "asap" else None
        if person is not None and person.email:
            notify(
                channel=email_channel(address=person.email),
                key=f"support:{ticket.pk}:oncall",
                text=text,
            )
    return ticket

"""Incidents page the rota: an S1 incident raises an alert on its team's first rotation."""

from rotations import services as rota_services
from rotations.models import Alert
from tickets.models import Ticket


def incident_page(*, ticket: Ticket) -> Alert | None:
    """An S1 incident pages its team's first rota (Primary, then Backup, then Lead), once per
    ticket. Nothing when the team has no rota."""
    if ticket.kind != Ticket.Kind.INCIDENT or ticket.severity != Ticket.Severity.S1:
        return None
    rotation = ticket.board.team.rotations.order_by("pk").first()
    if rotation is None or Alert.objects.filter(rotation=rotation, ticket=ticket.key).exists():
        return None
    return rota_services.alert_raise(
        rotation=rotation, summary=f"{ticket.key}: {ticket.title}", ticket=ticket.key
    )

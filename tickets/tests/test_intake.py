"""Support requests reach the team's triage column and, when urgent, its channel and the
person on call; an S1 incident pages the rota."""

from datetime import UTC, date, datetime

import pytest
import time_machine

from accounts.tests.factories import UserFactory
from notifications.models import Channel, Delivery
from notifications.tests.factories import ChannelFactory
from rotations.models import Alert
from rotations.tests.factories import make_rotation, role
from tickets import services
from tickets.models import Ticket

from .factories import column, make_board

pytestmark = pytest.mark.django_db


@pytest.fixture
def board():
    return make_board(key_prefix="DEL")


@time_machine.travel(datetime(2026, 3, 4, 12, tzinfo=UTC), tick=False)
def test_an_asap_request_lands_in_triage_and_tells_the_channel_and_the_person_on_call(
    token_client, board
):
    team = board.team
    ChannelFactory(team=team, kind=Channel.Kind.WEBHOOK)
    primary = UserFactory(username="on.call", email="on.call@example.com")
    make_rotation(team=team, roles=[role("Primary", [primary], start=date(2026, 1, 5))])
    asker = UserFactory()

    answer = token_client(asker).post(
        "/api/v1/support-requests/",
        {
            "team": team.slug,
            "summary": "Release pipeline stuck",
            "background": "The tag job waits forever.",
            "impact": "No release today.",
            "urgency": "asap",
        },
        format="json",
    )

    assert answer.status_code == 201, answer.json()
    ticket = Ticket.objects.get(pk=answer.json()["id"])
    assert (ticket.kind, ticket.column, ticket.reporter) == (
        "support",
        column(board, "Triage"),
        asker,
    )
    assert answer.json()["labels"] == [f"team/{team.slug}"]
    assert "## Impact\n\nNo release today." in ticket.description
    keys = set(Delivery.objects.values_list("key", flat=True))
    assert keys == {f"support:{ticket.pk}:channel", f"support:{ticket.pk}:oncall"}
    assert Delivery.objects.get(key=f"support:{ticket.pk}:oncall").channel.target == (
        "on.call@example.com"
    )


def test_a_normal_request_tells_nobody_and_a_team_without_a_board_is_a_400(token_client, board):
    ChannelFactory(team=board.team, kind=Channel.Kind.WEBHOOK)
    client = token_client(UserFactory())
    made = client.post(
        "/api/v1/support-requests/", {"team": board.team.slug, "summary": "Question"}, format="json"
    )
    assert made.status_code == 201
    assert not Delivery.objects.exists()
    no_board = make_board().team
    no_board.boards.all().delete()
    refused = client.post(
        "/api/v1/support-requests/", {"team": no_board.slug, "summary": "Help"}, format="json"
    )
    assert refused.status_code == 400
    assert "team" in refused.json()


def test_an_s1_incident_pages_the_rota_once(board):
    people = [UserFactory(), UserFactory()]
    make_rotation(team=board.team, roles=[role("Primary", people), role("Backup", people[::-1])])
    ticket = services.ticket_create(board=board, title="Checkout down", kind="incident")
    assert not Alert.objects.exists()  # an S3 incident pages nobody

    services.ticket_update(ticket=ticket, severity="S1")
    services.ticket_update(ticket=ticket, title="Checkout down in EU")

    alert = Alert.objects.get()
    assert alert.ticket == ticket.key
    assert alert.steps.count() == 1  # the Primary, paged now

"""The support-request form page: what it files, where it sends the person, what it refuses."""

from datetime import UTC, date, datetime

import pytest
import time_machine

from accounts.tests.factories import UserFactory
from handbook.tests.factories import TeamFactory
from notifications.models import Channel, Delivery
from notifications.tests.factories import ChannelFactory
from rotations.tests.factories import make_rotation, role
from tickets.models import Ticket

from .factories import column, make_board

pytestmark = pytest.mark.django_db

URL = "/support/new/"


@pytest.fixture
def board():
    team = TeamFactory(name="Delivery", slug="delivery")
    return make_board(team=team, key_prefix="DEL", name="Delivery queue")


@pytest.fixture
def asker_client(client):
    asker = UserFactory(username="asker")
    client.force_login(asker)
    client.asker = asker
    return client


def _request(**changes):
    data = {
        "team": "delivery",
        "summary": "Release pipeline stuck",
        "background": "The tag job waits forever.",
        "impact": "No release today.",
        "extra": "Started after the runner upgrade.",
        "urgency": "normal",
    }
    data.update(changes)
    return data


def test_the_form_files_a_support_ticket_in_triage_with_the_sections(asker_client, board):
    response = asker_client.post(URL, _request())

    ticket = Ticket.objects.get()
    assert (ticket.kind, ticket.column, ticket.reporter, ticket.title) == (
        "support",
        column(board, "Triage"),
        asker_client.asker,
        "Release pipeline stuck",
    )
    assert list(ticket.labels.values_list("name", flat=True)) == ["team/delivery"]
    description = ticket.description
    assert "## Background, context and the challenge\n\nThe tag job waits forever." in description
    assert "## Impact\n\nNo release today." in description
    assert "## Anything else\n\nStarted after the runner upgrade." in description
    assert description.index("## Background") < description.index("## Impact")
    assert description.index("## Impact") < description.index("## Anything else")
    # POST-redirect-GET, to the ticket's page.
    assert response.status_code == 302
    assert response["Location"] == "/tickets/DEL-1/"
    page = asker_client.get(response["Location"]).content.decode()
    assert "Filed DEL-1: Delivery will see it in triage (normal)." in page


def test_the_team_of_the_link_is_chosen_already(asker_client, board):
    TeamFactory(name="Billing", slug="billing")
    html = asker_client.get(URL + "?team=delivery").content.decode()
    assert '<option value="delivery" selected>Delivery</option>' in html
    assert '<option value="billing">Billing (no board yet)</option>' in html
    # An unknown team is no error: nothing is chosen.
    html = asker_client.get(URL + "?team=nope").content.decode()
    assert '<option value="" selected>Choose a team</option>' in html


def test_a_missing_summary_is_a_form_error_and_files_nothing(asker_client, board):
    response = asker_client.post(URL, _request(summary="  "))

    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="id_summary-error"' in html and "This field is required." in html
    assert 'aria-invalid="true"' in html
    # What was typed is kept.
    assert "The tag job waits forever." in html
    assert not Ticket.objects.exists()


def test_bad_input_is_a_form_error_never_a_500(asker_client, board):
    for data in (
        {},
        _request(team="no-such-team"),
        _request(urgency="tomorrow"),
        _request(summary="x" * 201),
    ):
        response = asker_client.post(URL, data)
        assert response.status_code == 200
        assert 'class="form-error"' in response.content.decode()
    assert not Ticket.objects.exists()


def test_a_team_without_a_board_is_an_error_on_the_team_field(asker_client, board):
    TeamFactory(name="Billing", slug="billing")
    response = asker_client.post(URL, _request(team="billing"))

    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="id_team-error"' in html
    assert "Billing has no board to take requests yet." in html
    assert not Ticket.objects.exists()


@time_machine.travel(datetime(2026, 3, 4, 12, tzinfo=UTC), tick=False)
def test_an_asap_request_tells_the_channel_and_the_person_on_call(asker_client, board):
    ChannelFactory(team=board.team, kind=Channel.Kind.WEBHOOK)
    primary = UserFactory(username="on.call", email="on.call@example.com")
    make_rotation(team=board.team, roles=[role("Primary", [primary], start=date(2026, 1, 5))])

    asker_client.post(URL, _request(urgency="asap"))

    ticket = Ticket.objects.get()
    keys = set(Delivery.objects.values_list("key", flat=True))
    assert keys == {f"support:{ticket.pk}:channel", f"support:{ticket.pk}:oncall"}
    assert Delivery.objects.get(key=f"support:{ticket.pk}:oncall").channel.target == (
        "on.call@example.com"
    )
    assert "**Urgency:** As soon as possible" in ticket.description


def test_a_normal_request_tells_nobody(asker_client, board):
    ChannelFactory(team=board.team, kind=Channel.Kind.WEBHOOK)
    asker_client.post(URL, _request())
    assert Ticket.objects.count() == 1
    assert not Delivery.objects.exists()


def test_someone_not_logged_in_is_sent_to_log_in(client, board):
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    response = client.post(URL, _request())
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    assert not Ticket.objects.exists()


def test_the_boards_list_and_the_team_page_link_the_form(asker_client, board):
    boards = asker_client.get("/boards/").content.decode()
    assert 'href="/support/new/"' in boards
    assert 'href="/support/new/?team=delivery"' in boards
    assert f'href="/boards/{board.pk}/triage/"' in boards
    team_page = asker_client.get("/teams/delivery/").content.decode()
    assert 'href="/support/new/?team=delivery"' in team_page

"""The tickets' API: boards, filing, changing with a version, moving, pulling."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.tests.factories import UserFactory
from handbook.models import Membership
from handbook.tests.factories import MembershipFactory
from tickets import services
from tickets.models import Ticket

from .factories import cards, column, make_board

pytestmark = pytest.mark.django_db


@pytest.fixture
def member():
    return UserFactory(username="worker")


@pytest.fixture
def board(member):
    board = make_board(key_prefix="DEL")
    MembershipFactory(team=board.team, user=member, role=Membership.Role.ENGINEER)
    return board


def test_a_board_gets_the_four_default_columns_and_a_bad_prefix_is_a_400(
    token_client, member, board
):
    MembershipFactory(team=board.team, user=(lead := UserFactory()), role=Membership.Role.LEAD)
    client = token_client(lead)
    made = client.post(
        "/api/v1/boards/",
        {"team": board.team.slug, "name": "Intake", "key_prefix": "INT"},
        format="json",
    )
    assert made.status_code == 201, made.json()
    kinds = [(c["name"], c["kind"], c["tickets"]) for c in made.json()["columns"]]
    assert kinds == [
        ("Triage", "triage", []),
        ("To do", "ready", []),
        ("In progress", "in_progress", []),
        ("Done", "done", []),
    ]
    bad = client.post(
        "/api/v1/boards/",
        {"team": board.team.slug, "name": "Other", "key_prefix": "del"},
        format="json",
    )
    assert bad.status_code == 400
    assert "key_prefix" in bad.json()
    taken = client.post(
        "/api/v1/boards/",
        {"team": board.team.slug, "name": "Other", "key_prefix": "DEL"},
        format="json",
    )
    assert taken.json() == {"key_prefix": ["Another board has this key prefix."]}


def test_a_move_answers_the_columns_it_touched_and_a_stale_anchor_is_a_409(
    token_client, member, board
):
    queue = cards(board, "To do", 3)
    doing = column(board, "In progress")
    client = token_client(member)

    moved = client.post(
        f"/api/v1/tickets/{queue[2].pk}/move/",
        {"column": doing.pk, "after": None},
        format="json",
    )
    assert moved.status_code == 200, moved.json()
    assert moved.json()["ticket"]["column"] == doing.pk
    assert moved.json()["columns"] == [
        {"id": column(board, "To do").pk, "tickets": [queue[0].pk, queue[1].pk]},
        {"id": doing.pk, "tickets": [queue[2].pk]},
    ]

    # Someone else took queue[1] to In progress; dropping after it in To do is stale.
    services.ticket_move(ticket=queue[1], column=doing, after=None)
    stale = client.post(
        f"/api/v1/tickets/{queue[2].pk}/move/",
        {"column": column(board, "To do").pk, "after": queue[1].pk},
        format="json",
    )
    assert stale.status_code == 409
    assert stale.json()["column"] == {"id": column(board, "To do").pk, "tickets": [queue[0].pk]}
    assert Ticket.objects.count() == 3
    assert Ticket.objects.get(pk=queue[2].pk).column == doing


def test_a_move_reads_the_ticket_once_and_answers_it_whole(token_client, member, board):
    """The move is the board's hot path: the ticket is read under its column's lock, with its
    people, and its labels once more for the answer; a ticket that is not there is a 404."""
    ticket = services.ticket_create(
        board=board,
        column=column(board, "To do"),
        title="Slow page",
        labels=["web"],
        assignee=member,
    )
    doing = column(board, "In progress")
    client = token_client(member)

    with CaptureQueriesContext(connection) as queries:
        moved = client.post(
            f"/api/v1/tickets/{ticket.pk}/move/", {"column": doing.pk, "after": None}, format="json"
        )
    assert moved.status_code == 200, moved.json()
    answer = moved.json()["ticket"]
    assert (answer["column"], answer["labels"], answer["assignee"]) == (doing.pk, ["web"], "worker")
    # The token and its user, the member check, the columns' lock, the ticket, the slot, the
    # card's row, its activity, the board's version, the columns' order, the labels (and the
    # savepoint the test's transaction makes of the move's).
    sql = [q["sql"] for q in queries.captured_queries if "SAVEPOINT" not in q["sql"]]
    assert len(sql) == 10, [statement[:80] for statement in sql]
    reads = [q["sql"] for q in queries.captured_queries if 'FROM "tickets_ticket"' in q["sql"]]
    assert len([sql for sql in reads if '"tickets_ticket"."title"' in sql]) == 1

    missing = client.post(
        "/api/v1/tickets/999999/move/", {"column": doing.pk, "after": None}, format="json"
    )
    assert missing.status_code == 404


def test_a_change_from_a_stale_version_is_a_409_with_the_ticket_as_it_is(
    token_client, member, board
):
    ticket = cards(board, "Triage", 1)[0]
    client = token_client(member)
    first = client.patch(
        f"/api/v1/tickets/{ticket.pk}/", {"title": "Checkout fails", "version": 1}, format="json"
    )
    assert first.status_code == 200
    assert first.json()["version"] == 2
    late = client.patch(
        f"/api/v1/tickets/{ticket.pk}/", {"severity": "S1", "version": 1}, format="json"
    )
    assert late.status_code == 409
    assert late.json()["current"]["title"] == "Checkout fails"
    assert Ticket.objects.get(pk=ticket.pk).severity == "S3"
    activity = list(ticket.activity.values_list("action", "changes"))
    assert activity[-1] == ("changed", {"title": ["card 0", "Checkout fails"]})


def test_pull_takes_the_top_ready_ticket_and_says_409_when_none_waits(token_client, member, board):
    queue = cards(board, "To do", 2)
    client = token_client(member)
    pulled = client.post(f"/api/v1/boards/{board.pk}/pull/")
    assert pulled.status_code == 200
    assert pulled.json()["id"] == queue[0].pk
    assert pulled.json()["assignee"] == "worker"
    assert pulled.json()["column"] == column(board, "In progress").pk
    assert client.post(f"/api/v1/boards/{board.pk}/pull/").json()["id"] == queue[1].pk
    empty = client.post(f"/api/v1/boards/{board.pk}/pull/")
    assert empty.status_code == 409
    assert empty.json() == {"detail": "Nothing is waiting in To do."}


def test_tickets_are_filtered_and_a_board_reads_in_the_same_queries_for_20_or_200(
    token_client, member, board
):
    services.ticket_create(board=board, title="Login broken", labels=["team/delivery"])
    client = token_client(member)
    found = client.get("/api/v1/tickets/", {"label": "team/delivery", "q": "login"}).json()
    assert [ticket["title"] for ticket in found["results"]] == ["Login broken"]
    assert found["results"][0]["key"] == "DEL-1"
    assert client.get("/api/v1/tickets/", {"severity": "S9"}).status_code == 400

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"/api/v1/boards/{board.pk}/").status_code == 200
        return len(captured)

    cards(board, "To do", 19)
    few = queries()
    cards(board, "Done", 180)
    assert queries() == few

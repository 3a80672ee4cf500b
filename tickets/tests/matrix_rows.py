"""The tickets' rows of the permission matrix (tests/test_permission_matrix.py), and what they
add to its world: team A's board with two cards in To do (the second a hotfix, so sorting
by priority puts it first) and one waiting in Triage, and team B's board."""

from tests.matrix import A_MANAGERS, A_MEMBERS, LOGGED_IN, Row
from tickets import services
from tickets.models import Board, Comment, Ticket
from tickets.services import column_order


def world_add(world) -> None:
    board = services.board_create(team=world.team_a, name="Queue", key_prefix="QA")
    todo = board.columns.get(name="To do")
    first = services.ticket_create(board=board, column=todo, title="First")
    second = services.ticket_create(
        board=board, column=todo, title="Second", priority_class="hotfix"
    )
    waiting = services.ticket_create(
        board=board, column=board.columns.get(name="Triage"), title="Waiting"
    )
    b_board = services.board_create(team=world.team_b, name="B queue", key_prefix="QB")
    world.extra.update(board=board, ticket=first, second=second, waiting=waiting, b_board=b_board)


def _column(world, name):
    return world.extra["board"].columns.get(name=name).pk


ROWS = [
    Row(
        "board-list",
        "post",
        A_MANAGERS,
        api=True,
        data=lambda w: {"team": "team-a", "name": "Intake", "key_prefix": "INT"},
        effect=lambda w: Board.objects.filter(key_prefix="INT").exists(),
    ),
    Row(
        "board-pull",
        "post",
        A_MEMBERS,
        api=True,
        kwargs=lambda w: {"pk": w.extra["board"].pk},
        effect=lambda w: Ticket.objects.filter(
            pk=w.extra["ticket"].pk, assignee__isnull=False
        ).exists(),
    ),
    Row(
        "ticket-list",
        "post",
        A_MEMBERS,
        api=True,
        data=lambda w: {"board": w.extra["board"].pk, "title": "Filed"},
        effect=lambda w: Ticket.objects.filter(title="Filed").exists(),
    ),
    Row(
        "ticket-detail",
        "patch",
        A_MEMBERS,
        api=True,
        kwargs=lambda w: {"pk": w.extra["ticket"].pk},
        data=lambda w: {"title": "Renamed"},
        effect=lambda w: Ticket.objects.filter(title="Renamed").exists(),
    ),
    Row(
        "ticket-move",
        "post",
        A_MEMBERS,
        api=True,
        kwargs=lambda w: {"pk": w.extra["ticket"].pk},
        data=lambda w: {"column": _column(w, "Done"), "after": None},
        effect=lambda w: Ticket.objects.get(pk=w.extra["ticket"].pk).column.name == "Done",
    ),
    # The board page's move form (drag and drop and the cards' arrow buttons post it).
    Row(
        "tickets:ticket_move",
        "post",
        A_MEMBERS,
        kwargs=lambda w: {"pk": w.extra["board"].pk},
        data=lambda w: {
            "ticket": w.extra["second"].pk,
            "column": _column(w, "In progress"),
            "after": "",
        },
        effect=lambda w: Ticket.objects.get(pk=w.extra["second"].pk).column.name == "In progress",
    ),
    # The ticket page's comment form (a plain form, or htmx).
    Row(
        "tickets:comment_add",
        "post",
        A_MEMBERS,
        kwargs=lambda w: {"key": w.extra["ticket"].key},
        data=lambda w: {"body": "Seen it too"},
        effect=lambda w: Comment.objects.filter(markdown="Seen it too").exists(),
    ),
    # Anyone logged in may ask a team for help.
    Row(
        "support-requests",
        "post",
        LOGGED_IN,
        api=True,
        data=lambda w: {"team": "team-a", "summary": "Need a hand"},
        effect=lambda w: Ticket.objects.filter(title="Need a hand").exists(),
    ),
    # The support-request form page.
    Row(
        "tickets:support_request",
        "post",
        LOGGED_IN,
        data=lambda w: {"team": "team-a", "summary": "Help through the form", "urgency": "normal"},
        effect=lambda w: Ticket.objects.filter(title="Help through the form").exists(),
    ),
    # The triage page's actions, and the ready column's pull and sort.
    Row(
        "tickets:triage_update",
        "post",
        A_MEMBERS,
        kwargs=lambda w: {"pk": w.extra["board"].pk},
        data=lambda w: {"ticket": w.extra["waiting"].pk, "version": 1, "severity": "S1"},
        effect=lambda w: Ticket.objects.get(pk=w.extra["waiting"].pk).severity == "S1",
    ),
    Row(
        "tickets:triage_route",
        "post",
        A_MEMBERS,
        kwargs=lambda w: {"pk": w.extra["board"].pk},
        data=lambda w: {"ticket": w.extra["waiting"].pk, "board": w.extra["b_board"].pk},
        effect=lambda w: (
            Ticket.objects.get(pk=w.extra["waiting"].pk).board_id == w.extra["b_board"].pk
        ),
    ),
    Row(
        "tickets:triage_accept",
        "post",
        A_MEMBERS,
        kwargs=lambda w: {"pk": w.extra["board"].pk},
        data=lambda w: {"ticket": w.extra["waiting"].pk},
        effect=lambda w: Ticket.objects.get(pk=w.extra["waiting"].pk).column.name == "To do",
    ),
    Row(
        "tickets:board_pull",
        "post",
        A_MEMBERS,
        kwargs=lambda w: {"pk": w.extra["board"].pk},
        effect=lambda w: Ticket.objects.filter(
            pk=w.extra["ticket"].pk, assignee__isnull=False
        ).exists(),
    ),
    Row(
        "tickets:column_sort",
        "post",
        A_MEMBERS,
        kwargs=lambda w: {"pk": w.extra["board"].pk},
        data=lambda w: {"column": _column(w, "To do")},
        effect=lambda w: column_order(_column(w, "To do"))[0] == w.extra["second"].pk,
    ),
]

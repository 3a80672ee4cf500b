"""The board page: columns and cards, filters, "Show more", WIP limits, moves through the page
(htmx and plain forms) with their refusals, the version poll, and a fixed number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.tests.factories import UserFactory
from handbook.models import Membership
from handbook.tests.factories import MembershipFactory
from tickets import services
from tickets.models import Board, Column, Label, Ticket

from .factories import cards, column, make_board

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def member():
    return UserFactory(username="worker", display_name="Wanda Worker")


@pytest.fixture
def board(member):
    board = make_board(key_prefix="DEL", name="Delivery queue")
    MembershipFactory(team=board.team, user=member, role=Membership.Role.ENGINEER)
    return board


@pytest.fixture
def member_client(client, member):
    client.force_login(member)
    return client


def _url(board, suffix=""):
    return f"/boards/{board.pk}/{suffix}"


def _bulk(board, count, *, people, labels):
    """`count` tickets spread over the board's columns, made in bulk (what the services
    would have written), with assignees and two labels each."""
    board.refresh_from_db()
    columns = list(board.columns.all())
    start = board.next_number
    tickets = Ticket.objects.bulk_create(
        Ticket(
            board=board,
            number=start + n,
            column=columns[n % len(columns)],
            position=(start + n) * services.GAP,
            title=f"bulk {n}",
            severity=["S1", "S2", "S3", "S4"][n % 4],
            assignee=people[n % len(people)],
        )
        for n in range(count)
    )
    Board.objects.filter(pk=board.pk).update(next_number=start + count)
    through = Ticket.labels.through
    through.objects.bulk_create(
        through(ticket_id=ticket.pk, label_id=label.pk) for ticket in tickets for label in labels
    )


def _page_queries(client, board, query=""):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(_url(board) + query)
    assert response.status_code == 200
    return len(captured), response


def test_the_page_shows_each_column_with_its_cards(member_client, board, member):
    todo = column(board, "To do")
    first, _second = cards(board, "To do", 2)
    services.ticket_update(ticket=first, assignee=member, labels=["team/delivery"])
    response = member_client.get(_url(board))
    assert response.status_code == 200
    html = response.content.decode()
    names = [c.name for c in board.columns.order_by("position")]
    assert [html.index(f">{name}</h2>") for name in names] == sorted(
        html.index(f">{name}</h2>") for name in names
    )
    assert f'id="column-{todo.pk}"' in html
    assert "DEL-1" in html and "DEL-2" in html
    assert "Wanda Worker" in html and "team/delivery" in html
    assert html.index("DEL-1") < html.index("DEL-2")
    assert 'src="/static/js/board.js"' in html
    assert 'aria-label="Move DEL-1 down"' in html


def test_the_number_of_queries_does_not_grow_with_the_board(member_client, board):
    people = [UserFactory() for _ in range(5)]
    labels = [Label.objects.create(name=name) for name in ("backend", "frontend")]
    _bulk(board, 20, people=people, labels=labels)
    small, response = _page_queries(member_client, board)
    assert response.content.decode().count('class="card ') == 20
    _bulk(board, 1980, people=people, labels=labels)
    large, response = _page_queries(member_client, board)
    # 50 cards in each of the four columns, and a "Show more" under each.
    assert response.content.decode().count('class="card ') == 200
    assert response.content.decode().count("Show more") == 4
    assert small == large, (small, large)
    filtered_small, _ = _page_queries(member_client, board, "?label=backend&severity=S2&q=bulk")
    assert filtered_small == large
    print(f"board page queries: {small} with 20 tickets, {large} with 2,000")


def test_show_more_gives_the_next_fifty_and_their_moves(member_client, board):
    made = cards(board, "To do", 120)
    todo = column(board, "To do")
    page = member_client.get(_url(board)).content.decode()
    assert page.count('class="card ') == 50
    assert f"/boards/{board.pk}/cards/?column={todo.pk}&amp;offset=50" in page
    more = member_client.get(_url(board, f"cards/?column={todo.pk}&offset=50"), **HTMX)
    html = more.content.decode()
    assert html.count('class="card ') == 50
    assert f"{made[50].key}<" in html and f"{made[99].key}<" in html
    assert f"{made[49].key}<" not in html
    # The first of them moves up to below the 49th card (index 48).
    assert f'name="move" value="{made[50].pk}:{todo.pk}:{made[48].pk}"' in html
    assert "offset=100" in html
    last = member_client.get(_url(board, f"cards/?column={todo.pk}&offset=100"), **HTMX)
    assert last.content.decode().count('class="card ') == 20
    assert "Show more" not in last.content.decode()
    # Without JavaScript the link asks the page for more cards in each column.
    assert (
        member_client.get(_url(board) + "?limit=100").content.decode().count('class="card ') == 100
    )


def test_filters_narrow_the_cards_and_stay_in_the_links(member_client, board, member):
    first, second, _third = cards(board, "To do", 3)
    services.ticket_update(ticket=first, assignee=member, severity="S1", labels=["ux"])
    services.ticket_update(ticket=second, title="Slow search page")
    html = member_client.get(_url(board) + "?assignee=worker").content.decode()
    assert "DEL-1<" in html and "DEL-2<" not in html
    html = member_client.get(_url(board) + "?label=ux&severity=S1").content.decode()
    assert "DEL-1<" in html and "DEL-3<" not in html
    assert "1 shown" in html
    html = member_client.get(_url(board) + "?q=search").content.decode()
    assert "DEL-2<" in html and "DEL-1<" not in html
    html = member_client.get(_url(board) + "?q=DEL-3").content.decode()
    assert "DEL-3<" in html and "DEL-2<" not in html
    html = member_client.get(_url(board) + "?assignee=none").content.decode()
    assert "DEL-1<" not in html and "DEL-2<" in html
    # A severity that does not exist is left out, not a 500.
    assert member_client.get(_url(board) + "?severity=S9").status_code == 200


def test_wip_limits_mark_the_column(member_client):
    board = make_board(
        columns=[
            {"name": "Ready", "kind": Column.Kind.READY, "wip_limit": 3},
            {"name": "Doing", "kind": Column.Kind.IN_PROGRESS, "wip_limit": 2, "wip_mode": "hard"},
        ]
    )
    cards(board, "Ready", 4)
    cards(board, "Doing", 2)
    MembershipFactory(team=board.team, user=UserFactory(username="w2"))
    html = member_client.get(_url(board)).content.decode()
    assert "4 / 3" in html and "board-column wip-over" in html
    assert "2 / 2 max" in html and "board-column wip-full" in html


def test_a_move_through_htmx_answers_the_touched_columns_and_a_message(member_client, board):
    first, _second = cards(board, "To do", 2)
    doing = column(board, "In progress")
    cards(board, "In progress", 6, prefix="doing")
    response = member_client.post(
        _url(board, "move/"),
        {"ticket": first.pk, "column": doing.pk, "after": ""},
        **HTMX,
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Moved DEL-1 to In progress, 1 of 7" in html
    assert f'id="column-{doing.pk}"' in html and f'id="column-{first.column_id}"' in html
    assert html.count('hx-swap-oob="true"') == 2
    assert Ticket.objects.get(pk=first.pk).column == doing
    board.refresh_from_db()
    assert board.version > 0


def test_a_plain_form_move_redirects_back_with_the_filters(member_client, board):
    first, second = cards(board, "To do", 2)
    todo = column(board, "To do")
    referer = f"http://testserver{_url(board)}?severity=S3"
    response = member_client.post(
        _url(board, "move/"),
        {"ticket": second.pk, "column": todo.pk, "after": ""},
        HTTP_REFERER=referer,
    )
    assert response.status_code == 302 and response["Location"] == referer
    assert services.column_order(todo.pk) == [second.pk, first.pk]
    # Not to another site.
    response = member_client.post(
        _url(board, "move/"),
        {"ticket": second.pk, "column": todo.pk, "after": ""},
        HTTP_REFERER="https://evil.example/boards/",
    )
    assert response["Location"] == _url(board)


def test_a_card_button_moves_it_through_the_one_form_of_the_page(member_client, board):
    first, second = cards(board, "To do", 2)
    todo = column(board, "To do")
    page = member_client.get(_url(board)).content.decode()
    # One form for all the cards' buttons: more cards, no more forms or tokens.
    assert page.count('<form id="board-move"') == 1
    tokens = page.count("csrfmiddlewaretoken")
    cards(board, "To do", 18, prefix="more")
    more = member_client.get(_url(board)).content.decode()
    assert more.count("csrfmiddlewaretoken") == tokens and more.count("<form ") == page.count(
        "<form "
    )
    value = f"{first.pk}:{todo.pk}:{second.pk}"  # DEL-1's "down" button
    assert f'form="board-move" name="move" value="{value}"' in page
    response = member_client.post(_url(board, "move/"), {"move": value})
    assert response.status_code == 302
    assert services.column_order(todo.pk)[:2] == [second.pk, first.pk]
    for bad in ("", "1:2", f"{first.pk}:{todo.pk}:x", "a:b:c"):
        response = member_client.post(_url(board, "move/"), {"move": bad}, **HTMX)
        assert response.status_code == 400, bad
    assert services.column_order(todo.pk)[:2] == [second.pk, first.pk]


def test_cards_kept_rendered_change_with_what_they_show(member_client, client, board, member):
    first, second = cards(board, "To do", 2)
    member_client.get(_url(board))  # renders both cards and keeps them
    services.ticket_update(ticket=first, title="Renamed card", assignee=member)
    services.ticket_move(ticket=second, column=column(board, "To do"), after=None)
    html = member_client.get(_url(board)).content.decode()
    assert "Renamed card" in html and "Wanda Worker" in html
    # DEL-2 is on top now: its "up" button is gone, DEL-1 has one.
    assert 'aria-label="Move DEL-2 up"' not in html and 'aria-label="Move DEL-1 up"' in html
    # Someone who may not move cards gets cards without buttons, not the member's copies.
    client.force_login(UserFactory(username="reader"))
    html = client.get(_url(board)).content.decode()
    assert "Renamed card" in html and "Move DEL-1" not in html


def test_a_stale_anchor_is_a_409_with_the_column_as_it_is(member_client, board):
    first, second = cards(board, "To do", 2)
    doing = column(board, "In progress")
    response = member_client.post(
        _url(board, "move/"),
        {"ticket": first.pk, "column": doing.pk, "after": second.pk},
        **HTMX,
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "DEL-1 was not moved" in html and "has moved" in html
    assert f'id="column-{doing.pk}"' in html
    assert Ticket.objects.get(pk=first.pk).column.name == "To do"


def test_a_hard_limit_is_a_400_with_the_reason(member_client, member):
    board = make_board(
        columns=[
            {"name": "Ready", "kind": Column.Kind.READY},
            {"name": "Doing", "kind": Column.Kind.IN_PROGRESS, "wip_limit": 1, "wip_mode": "hard"},
        ]
    )
    MembershipFactory(team=board.team, user=member)
    ready = cards(board, "Ready", 1)[0]
    cards(board, "Doing", 1)
    doing = column(board, "Doing")
    response = member_client.post(
        _url(board, "move/"), {"ticket": ready.pk, "column": doing.pk, "after": ""}, **HTMX
    )
    assert response.status_code == 400
    assert "Doing is at its limit of 1 tickets" in response.content.decode()
    # Without htmx: the page, with the reason, and the same status.
    response = member_client.post(
        _url(board, "move/"), {"ticket": ready.pk, "column": doing.pk, "after": ""}
    )
    assert response.status_code == 400
    assert "Doing is at its limit of 1 tickets" in response.content.decode()


def test_someone_of_another_team_sees_the_board_without_moves_and_is_refused(client, board):
    ticket = cards(board, "To do", 1)[0]
    client.force_login(UserFactory(username="outsider"))
    html = client.get(_url(board)).content.decode()
    assert "DEL-1" in html and 'name="move"' not in html and "board-move" not in html
    response = client.post(
        _url(board, "move/"),
        {"ticket": ticket.pk, "column": column(board, "Done").pk, "after": ""},
        **HTMX,
    )
    assert response.status_code == 403
    assert "Only members of the" in response.content.decode()
    assert Ticket.objects.get(pk=ticket.pk).column.name == "To do"


def test_a_bad_move_is_a_400_never_a_500(member_client, board):
    other = make_board()
    foreign = cards(other, "To do", 1)[0]
    for data in (
        {},
        {"ticket": "x", "column": "y"},
        {"ticket": foreign.pk, "column": column(board, "Done").pk},
        {"ticket": foreign.pk, "column": column(other, "Done").pk},
    ):
        assert member_client.post(_url(board, "move/"), data, **HTMX).status_code == 400


def test_the_version_poll_is_204_until_the_board_changes(member_client, board):
    ticket = cards(board, "To do", 1)[0]
    board.refresh_from_db()
    with CaptureQueriesContext(connection) as captured:
        same = member_client.get(_url(board, f"version?v={board.version}"))
    assert same.status_code == 204
    assert len([q for q in captured if "tickets_board" in q["sql"]]) == 1
    services.ticket_move(ticket=ticket, column=column(board, "Done"), after=None)
    changed = member_client.get(_url(board, f"version?v={board.version}"))
    assert changed.status_code == 200 and changed.json() == {"version": board.version + 1}
    assert "no-cache" in changed["Cache-Control"] or "no-store" in changed["Cache-Control"]
    # The columns alone, for the page to swap in.
    columns = member_client.get(_url(board), **HTMX)
    assert columns.content.decode().lstrip().startswith('<div id="board-columns"')
    assert member_client.get("/boards/999999/version?v=1").status_code == 404


def test_the_page_offers_triage_help_pull_next_and_sorting_to_members(
    member_client, client, board, member
):
    low, urgent = cards(board, "To do", 2)
    services.ticket_update(ticket=urgent, priority_class="hotfix", severity="S1")
    html = member_client.get(_url(board)).content.decode()
    assert f'href="/boards/{board.pk}/triage/"' in html
    assert f'href="/support/new/?team={board.team.slug}"' in html
    todo = column(board, "To do")
    response = member_client.post(
        _url(board, "sort/"), {"column": todo.pk}, HTTP_REFERER=f"http://testserver{_url(board)}"
    )
    assert response.status_code == 302 and response["Location"].endswith(_url(board))
    assert services.column_order(todo.pk) == [urgent.pk, low.pk]
    response = member_client.post(
        _url(board, "pull/"), HTTP_REFERER=f"http://testserver{_url(board)}"
    )
    assert response.status_code == 302
    pulled = Ticket.objects.get(pk=urgent.pk)
    assert pulled.assignee == member and pulled.column.kind == Column.Kind.IN_PROGRESS
    assert "Pull next" in html and "Sort To do by priority" in html
    # Someone who may not work the queue reads the board without them.
    client.force_login(UserFactory(username="passer"))
    html = client.get(_url(board)).content.decode()
    assert f'action="/boards/{board.pk}/pull/"' not in html
    assert f'action="/boards/{board.pk}/sort/"' not in html


def test_the_board_list_links_each_board(member_client, board):
    html = member_client.get("/boards/").content.decode()
    assert f'href="/boards/{board.pk}/"' in html


@pytest.mark.django_db(transaction=True)
def test_the_filter_choices_kept_between_views_follow_changes(client):
    """Committed data, so the choices are really kept; each change shows on the next view."""
    member = UserFactory(username="keeper", display_name="Kim Keeper")
    board = make_board(key_prefix="KEP")
    MembershipFactory(team=board.team, user=member)
    ticket = cards(board, "To do", 1)[0]
    services.ticket_update(ticket=ticket, assignee=member, labels=["backend"])
    client.force_login(member)

    def options():
        board.refresh_from_db()
        html = client.get(_url(board)).content.decode()
        return html[html.index('name="assignee"') : html.index('name="severity"')]

    first = options()
    assert ">Kim Keeper</option>" in first and ">backend</option>" in first
    with CaptureQueriesContext(connection) as captured:
        assert options() == first
    assert not [q for q in captured if "DISTINCT" in q["sql"]], "worked out again"
    services.ticket_update(ticket=Ticket.objects.get(pk=ticket.pk), labels=["frontend"])
    assert ">frontend</option>" in options() and ">backend</option>" not in options()
    member.display_name = "Kim K."
    member.save()
    assert ">Kim K.</option>" in options()
    Label.objects.filter(name="frontend").update(name="ui")  # no signal: not seen...
    Label.objects.get(name="ui").save()  # ...until a save says the labels changed
    assert ">ui</option>" in options()

"""The triage page: what waits in triage, and each action on it, as plain forms and through
htmx, with its refusals; pull next and sort by priority; a fixed number of queries."""

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from accounts.tests.factories import AdminFactory, UserFactory
from handbook.models import Membership
from handbook.tests.factories import MembershipFactory, TeamFactory
from tickets import services
from tickets.models import Activity, Board, Ticket

from .factories import cards, column, make_board

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def member():
    return UserFactory(username="wanda", display_name="Wanda Worker")


@pytest.fixture
def board(member):
    team = TeamFactory(name="Delivery", slug="delivery")
    board = make_board(team=team, key_prefix="DEL", name="Delivery queue")
    MembershipFactory(team=team, user=member, role=Membership.Role.ENGINEER)
    return board


@pytest.fixture
def member_client(client, member):
    client.force_login(member)
    return client


@pytest.fixture
def sustaining():
    team = TeamFactory(name="Sustained Engineering", slug="sustained-engineering")
    return make_board(team=team, key_prefix="SET", name="SET queue")


def _url(board, suffix=""):
    return f"/boards/{board.pk}/triage/{suffix}"


def _request(board, summary="Pipeline stuck"):
    return services.support_request_create(team=board.team, summary=summary, impact="Blocked.")


def _status_text(html):
    start = html.index('id="triage-status"')
    return html[start : html.index("</div>", start)]


def test_the_page_lists_only_the_tickets_in_triage_with_their_count(member_client, board):
    waiting = [_request(board, f"Request {n}") for n in range(3)]
    cards(board, "To do", 2, prefix="Ready work")
    html = member_client.get(_url(board)).content.decode()
    assert '<span class="triage-count">3</span>' in html
    for ticket in waiting:
        assert f'id="triage-{ticket.pk}"' in html
    assert html.index("Request 0") < html.index("Request 1") < html.index("Request 2")
    # The ready column shows at the side, but its tickets are not in the triage list.
    list_part = html[html.index('id="triage-list"') : html.index('id="triage-ready"')]
    assert "Ready work" not in list_part
    assert "team/delivery" in list_part and "Support request" in list_part
    assert 'aria-label="Accept DEL-1 into To do"' in html


def test_an_empty_triage_says_so(member_client, board):
    html = member_client.get(_url(board)).content.decode()
    assert "Nothing waits in triage." in html
    assert '<span class="triage-count">0</span>' in html


def test_someone_of_another_team_reads_the_page_without_its_forms(client, board):
    _request(board)
    client.force_login(UserFactory(username="outsider"))
    html = client.get(_url(board)).content.decode()
    assert "DEL-1" in html and "Pipeline stuck" in html
    assert "triage-actions" not in html and "Pull next" not in html
    assert "Only members of Delivery and admins triage" in html


def test_setting_severity_and_priority_without_javascript(member_client, board, member):
    ticket = _request(board)
    response = member_client.post(
        _url(board, "update/"),
        {
            "ticket": ticket.pk,
            "version": ticket.version,
            "severity": "S1",
            "priority_class": "hotfix",
        },
        HTTP_REFERER=f"http://testserver{_url(board)}",
    )
    assert response.status_code == 302 and response["Location"].endswith(_url(board))
    saved = Ticket.objects.get(pk=ticket.pk)
    assert (saved.severity, saved.priority_class, saved.version) == ("S1", "hotfix", 2)
    activity = saved.activity.last()
    assert (activity.action, activity.user) == ("changed", member)
    assert activity.changes["severity"] == ["S3", "S1"]
    page = member_client.get(response["Location"]).content.decode()
    assert "DEL-1 is now S1: critical, Hotfix." in page


def test_setting_severity_through_htmx_answers_the_list_and_the_message(member_client, board):
    ticket = _request(board)
    response = member_client.post(
        _url(board, "update/"),
        {"ticket": ticket.pk, "version": ticket.version, "severity": "S2"},
        **HTMX,
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="triage-status" hx-swap-oob="innerHTML">')
    assert "DEL-1 is now S2: major." in _status_text(html)
    assert '<div id="triage-body"' in html
    assert f'name="version" value="{ticket.version + 1}"' in html
    assert '<option value="S2" selected>' in html
    assert Ticket.objects.get(pk=ticket.pk).severity == "S2"


def test_a_bug_becomes_a_feature_request_and_back(member_client, board):
    ticket = services.ticket_create(
        board=board, column=column(board, "Triage"), title="Add dark mode", kind="bug"
    )
    member_client.post(
        _url(board, "update/"), {"ticket": ticket.pk, "version": 1, "kind": "feature"}
    )
    assert Ticket.objects.get(pk=ticket.pk).kind == "feature"
    html = member_client.get(_url(board)).content.decode()
    assert 'aria-label="Make DEL-1 a bug"' in html
    assert 'aria-label="Make DEL-1 a feature request"' not in html
    response = member_client.post(
        _url(board, "update/"), {"ticket": ticket.pk, "version": 2, "kind": "bug"}, **HTMX
    )
    assert "DEL-1 is now Bug." in _status_text(response.content.decode())
    assert Ticket.objects.get(pk=ticket.pk).kind == "bug"
    kinds = [a.changes["kind"] for a in Activity.objects.filter(ticket=ticket, action="changed")]
    assert kinds == [["bug", "feature"], ["feature", "bug"]]


def test_a_stale_version_changes_nothing_and_says_why(member_client, board):
    ticket = _request(board)
    services.ticket_update(ticket=ticket, title="Pipeline stuck since Monday")  # meanwhile
    data = {"ticket": ticket.pk, "version": 1, "severity": "S1"}

    response = member_client.post(_url(board, "update/"), data, **HTMX)

    assert response.status_code == 409
    html = response.content.decode()
    assert "DEL-1 was changed by someone else since you opened the page" in _status_text(html)
    assert 'name="version" value="2"' in html  # the row as it is now, to choose again
    assert "Pipeline stuck since Monday" in html
    assert Ticket.objects.get(pk=ticket.pk).severity == "S3"
    # Without JavaScript: back to the page, with the message.
    response = member_client.post(_url(board, "update/"), data, follow=True)
    assert "was changed by someone else" in response.content.decode()
    saved = Ticket.objects.get(pk=ticket.pk)
    assert (saved.severity, saved.version) == ("S3", 2)


def test_accepting_moves_the_ticket_to_the_bottom_of_the_ready_column(member_client, board):
    ready = cards(board, "To do", 2)
    ticket = _request(board)
    response = member_client.post(_url(board, "accept/"), {"ticket": ticket.pk}, **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Accepted DEL-3 into To do, 3 of 3." in _status_text(html)
    assert "Nothing waits in triage." in html
    assert services.column_order(column(board, "To do").pk) == [*(t.pk for t in ready), ticket.pk]
    moved = Ticket.objects.get(pk=ticket.pk).activity.last()
    assert (moved.action, moved.changes["column"]) == ("moved", ["Triage", "To do"])
    # Once accepted it is not in triage: a second accept (a stale page) changes nothing.
    response = member_client.post(_url(board, "accept/"), {"ticket": ticket.pk}, follow=True)
    assert "DEL-3 is not in triage any more (it is in To do)." in response.content.decode()
    assert Ticket.objects.get(pk=ticket.pk).activity.count() == 2


def test_routing_to_another_teams_board(member_client, board, sustaining):
    other = make_board(team=TeamFactory(name="Billing"), key_prefix="BIL", name="Billing queue")
    ticket = _request(board)
    html = member_client.get(_url(board)).content.decode()
    assert f'<option value="{other.pk}">Billing: Billing queue</option>' in html
    assert f'<option value="{board.pk}"' not in html

    response = member_client.post(_url(board, "route/"), {"ticket": ticket.pk, "board": other.pk})

    assert response.status_code == 302
    routed = Ticket.objects.get(pk=ticket.pk)
    assert (routed.board, routed.column, routed.key) == (other, column(other, "Triage"), "BIL-1")
    assert routed.activity.last().changes["key"] == ["DEL-1", "BIL-1"]
    page = member_client.get(response["Location"]).content.decode()
    assert "Routed DEL-1 to Billing queue (Billing): it is BIL-1 there." in page


def test_a_ticket_no_team_owns_goes_to_the_sustaining_teams_board(member_client, board, sustaining):
    ticket = _request(board)
    html = member_client.get(_url(board)).content.decode()
    assert "To Sustained Engineering" in html
    assert f'name="board" value="{sustaining.pk}"' in html

    response = member_client.post(
        _url(board, "route/"), {"ticket": ticket.pk, "board": sustaining.pk}, **HTMX
    )

    assert response.status_code == 200
    assert "it is SET-1 there" in _status_text(response.content.decode())
    assert Ticket.objects.get(pk=ticket.pk).board == sustaining
    assert Ticket.objects.get(pk=ticket.pk).activity.last().action == "routed"


@override_settings(TICKETS_SUSTAINING_TEAM="platform")
def test_the_sustaining_team_is_a_setting(member_client, board, sustaining):
    platform = make_board(team=TeamFactory(name="Platform", slug="platform"), key_prefix="PLT")
    _request(board)
    html = member_client.get(_url(board)).content.decode()
    assert "To Platform" in html and "To Sustained Engineering" not in html
    assert f'name="board" value="{platform.pk}"' in html
    # On the sustaining team's own board, the button is not offered.
    html = member_client.get(_url(platform)).content.decode()
    assert "To Platform" not in html


def test_someone_of_another_team_is_refused_every_action_and_nothing_changes(client, board):
    other_board = make_board(key_prefix="OTH")
    todo = cards(board, "To do", 2)
    ticket = _request(board)
    outsider = UserFactory(username="outsider")
    MembershipFactory(team=other_board.team, user=outsider, role=Membership.Role.LEAD)
    client.force_login(outsider)
    actions = [
        ("update/", {"ticket": ticket.pk, "version": 1, "severity": "S1"}),
        ("route/", {"ticket": ticket.pk, "board": other_board.pk}),
        ("accept/", {"ticket": ticket.pk}),
    ]
    for suffix, data in actions:
        response = client.post(_url(board, suffix), data)
        assert response.status_code == 403
        assert "Only members of the" in response.content.decode()
        response = client.post(_url(board, suffix), data, **HTMX)
        assert response.status_code == 403
        assert response["HX-Retarget"] == "#triage-status"
        assert "Only members of the" in response.content.decode()
    for url, data in (
        (f"/boards/{board.pk}/pull/", {}),
        (f"/boards/{board.pk}/sort/", {"column": column(board, "To do").pk}),
    ):
        assert client.post(url, data).status_code == 403
    saved = Ticket.objects.get(pk=ticket.pk)
    assert (saved.board, saved.column.name, saved.severity, saved.version) == (
        board,
        "Triage",
        "S3",
        1,
    )
    assert Ticket.objects.filter(assignee__isnull=False).count() == 0
    assert services.column_order(column(board, "To do").pk) == [t.pk for t in todo]
    assert Activity.objects.exclude(action="created").count() == 0


def test_an_admin_triages_any_board(client, board):
    ticket = _request(board)
    client.force_login(AdminFactory())
    html = client.get(_url(board)).content.decode()
    assert "triage-actions" in html
    client.post(_url(board, "accept/"), {"ticket": ticket.pk})
    assert Ticket.objects.get(pk=ticket.pk).column.name == "To do"


def test_a_ticket_of_another_board_or_bad_input_is_a_400_never_a_500(member_client, board):
    foreign = _request(make_board())
    ticket = _request(board)
    for suffix, data in (
        ("update/", {}),
        ("update/", {"ticket": foreign.pk, "version": 1, "severity": "S1"}),
        ("update/", {"ticket": ticket.pk, "version": "x", "severity": "S1"}),
        ("update/", {"ticket": ticket.pk, "version": 1, "severity": "S9"}),
        ("route/", {"ticket": ticket.pk, "board": board.pk}),
        ("route/", {"ticket": ticket.pk, "board": "nope"}),
        ("accept/", {"ticket": foreign.pk}),
    ):
        response = member_client.post(_url(board, suffix), data, **HTMX)
        assert response.status_code == 400, (suffix, data)
        assert "Nothing was changed" in _status_text(response.content.decode())
    assert member_client.post(f"/boards/{board.pk}/sort/", {"column": "x"}).status_code == 302
    assert Ticket.objects.get(pk=ticket.pk).version == 1
    assert Ticket.objects.get(pk=foreign.pk).severity == "S3"


def test_pull_next_assigns_the_top_ready_ticket_and_moves_it_in_progress(
    member_client, board, member
):
    top, _second = cards(board, "To do", 2)
    response = member_client.post(f"/boards/{board.pk}/pull/", **HTMX)
    assert response.status_code == 200
    assert "You pulled DEL-1: it is assigned to you, in In progress." in _status_text(
        response.content.decode()
    )
    pulled = Ticket.objects.get(pk=top.pk)
    assert (pulled.assignee, pulled.column.name) == (member, "In progress")
    assert services.column_order(column(board, "In progress").pk)[0] == top.pk
    assert {a.action for a in pulled.activity.all()} == {"created", "moved", "changed"}
    # Without JavaScript, from the board page: back there.
    board_url = f"http://testserver/boards/{board.pk}/"
    response = member_client.post(f"/boards/{board.pk}/pull/", HTTP_REFERER=board_url)
    assert response["Location"] == board_url
    assert Ticket.objects.get(pk=_second.pk).assignee == member


def test_pull_next_on_an_empty_ready_column_says_so(member_client, board):
    response = member_client.post(f"/boards/{board.pk}/pull/", **HTMX)
    assert response.status_code == 409
    assert "Nothing is waiting in To do." in _status_text(response.content.decode())
    html = member_client.get(_url(board)).content.decode()
    assert 'id="pull-next" class="small" disabled' in html


def test_sort_by_priority_reorders_the_ready_column(member_client, board):
    todo = column(board, "To do")
    other = services.ticket_create(board=board, column=todo, title="other", priority_class="other")
    hotfix = services.ticket_create(board=board, column=todo, title="fix", priority_class="hotfix")
    release = services.ticket_create(
        board=board, column=todo, title="rel", priority_class="release"
    )
    html = member_client.get(_url(board)).content.decode()
    assert f'name="column" value="{todo.pk}"' in html

    response = member_client.post(f"/boards/{board.pk}/sort/", {"column": todo.pk}, **HTMX)

    assert response.status_code == 200
    assert "Sorted To do by priority: 3 tickets." in _status_text(response.content.decode())
    assert services.column_order(todo.pk) == [hotfix.pk, release.pk, other.pk]
    ready = response.content.decode()
    ready = ready[ready.index('id="triage-ready"') :]
    assert ready.index("DEL-2") < ready.index("DEL-3") < ready.index("DEL-1")


def _bulk_requests(board, count, people):
    """`count` support tickets in triage, made in bulk (what the service would have written),
    with a reporter, an assignee and two labels each."""
    board.refresh_from_db()
    triage = column(board, "Triage")
    start = board.next_number
    tickets = Ticket.objects.bulk_create(
        Ticket(
            board=board,
            number=start + n,
            column=triage,
            position=(start + n) * services.GAP,
            title=f"request {n}",
            kind="support",
            reporter=people[n % len(people)],
            assignee=people[(n + 1) % len(people)],
        )
        for n in range(count)
    )
    Board.objects.filter(pk=board.pk).update(next_number=start + count)
    labels = services.labels_named(["team/delivery", "customer"])
    through = Ticket.labels.through
    through.objects.bulk_create(
        through(ticket_id=t.pk, label_id=label.pk) for t in tickets for label in labels
    )


def _page_queries(client, board):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(_url(board))
    assert response.status_code == 200
    return len(captured), response.content.decode()


def test_the_number_of_queries_does_not_grow_with_the_tickets(member_client, board, sustaining):
    make_board(key_prefix="BIL")
    people = [UserFactory() for _ in range(4)]
    cards(board, "To do", 5)
    _bulk_requests(board, 3, people)
    small, html = _page_queries(member_client, board)
    assert html.count('class="triage-ticket ') == 3
    _bulk_requests(board, 27, people)
    large, html = _page_queries(member_client, board)
    assert html.count('class="triage-ticket ') == 30
    assert '<span class="triage-count">30</span>' in html
    assert small == large, (small, large)
    print(f"triage page queries: {small} with 3 tickets, {large} with 30")

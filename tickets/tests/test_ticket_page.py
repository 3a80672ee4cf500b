"""The ticket page: its details, the description and comments rendered by the handbook's
pipeline (sanitised), adding a comment (plain form and htmx) with its refusals, the history,
the mentions both ways, old keys of routed tickets, and a fixed number of queries."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.tests.factories import AdminFactory, UserFactory
from handbook import services as handbook_services
from handbook.models import Membership
from handbook.tests.factories import MembershipFactory, make_page
from tickets import services
from tickets.models import Activity, Comment, Ticket

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
def ticket(board, member):
    ticket = cards(board, "To do", 1, prefix="Checkout")[0]
    return services.ticket_update(
        ticket=ticket,
        title="Checkout times out",
        description="It fails **every time** on the second try.",
        severity="S2",
        priority_class="customer",
        kind="bug",
        assignee=member,
        labels=["payments", "team/delivery"],
    )


@pytest.fixture
def member_client(client, member):
    client.force_login(member)
    return client


def _url(ticket, suffix=""):
    return f"/tickets/{ticket.key}/{suffix}"


def _section(html, section_id):
    """The HTML of one <section id=...> of the page."""
    start = html.index(f'<section id="{section_id}"')
    return html[start : html.index("</section>", start)]


def test_the_page_shows_the_ticket_with_its_details(member_client, board, ticket, member):
    ticket.reporter = UserFactory(display_name="Rita Reporter")
    ticket.save()
    response = member_client.get(_url(ticket))
    assert response.status_code == 200
    html = response.content.decode()
    assert "DEL-1</span> Checkout times out</h1>" in html
    assert f'href="/boards/{board.pk}/"' in html
    for shown in (
        "To do",
        "Bug",
        "S2: major",
        "Customer reported",
        "payments",
        "team/delivery",
        "Rita Reporter",
        "Wanda Worker",
    ):
        assert shown in html, shown
    assert "<strong>every time</strong>" in html
    assert ticket.get_absolute_url() == "/tickets/DEL-1/"


def test_times_are_shown_in_the_viewers_zone(client, board):
    viewer = UserFactory(timezone="Asia/Tokyo")
    MembershipFactory(team=board.team, user=viewer)
    with time_machine.travel(datetime(2026, 3, 4, 12, 30, tzinfo=UTC), tick=False):
        ticket = cards(board, "To do", 1)[0]
    client.force_login(viewer)
    html = client.get(_url(ticket)).content.decode()
    assert "4 Mar 2026, 21:30" in html  # 12:30 UTC in Tokyo


def test_the_description_is_sanitised(member_client, ticket):
    services.ticket_update(
        ticket=ticket,
        description=(
            "Steps:\n\n<script>alert('stolen')</script>\n\n"
            '<img src="x" onerror="alert(1)"> <a href="javascript:alert(2)">click</a>'
        ),
    )
    html = member_client.get(_url(ticket)).content.decode()
    description = html[html.index('class="markdown-body ticket-description"') :]
    description = description[: description.index("</div>")]
    assert "Steps:" in description
    assert "<script" not in description and "alert('stolen')" not in description
    assert '<img src="x">' in description and "onerror" not in description
    assert 'href="javascript:' not in description


def test_comments_are_shown_oldest_first_with_author_and_time(member_client, ticket, member):
    other = UserFactory(display_name="Theo Teammate")
    start = datetime(2026, 3, 4, 9, 0, tzinfo=UTC)
    for minutes, (person, text) in enumerate(
        [(member, "First, with `code`"), (other, "Second"), (member, "Third")]
    ):
        with time_machine.travel(start + timedelta(minutes=minutes), tick=False):
            services.comment_add(ticket=ticket, body=text, user=None)
            Comment.objects.filter(markdown=text).update(author=person)
    html = _section(member_client.get(_url(ticket)).content.decode(), "comments")
    positions = [html.index(text) for text in ("First, with", "Second", "Third")]
    assert positions == sorted(positions)
    assert "<code>code</code>" in html
    assert "Theo Teammate" in html
    assert "4 Mar 2026, 10:01" in html  # 09:01 UTC, in the viewer's zone (Berlin)
    assert "Comments <small" in html and ">3</small>" in html


def test_a_member_adds_a_comment_without_javascript(member_client, ticket):
    response = member_client.post(_url(ticket, "comments/"), {"body": "Reproduced on **main**."})
    comment = Comment.objects.get(ticket=ticket)
    assert response.status_code == 302
    assert response["Location"] == f"/tickets/DEL-1/#comment-{comment.pk}"
    html = member_client.get(response["Location"]).content.decode()
    assert "Your comment on DEL-1 is added." in html
    assert "Reproduced on <strong>main</strong>." in _section(html, "comments")
    assert comment.author.username == "worker"


def test_a_member_adds_a_comment_with_htmx(member_client, ticket):
    response = member_client.post(
        _url(ticket, "comments/"), {"body": "On it; see OPS-1 later."}, **HTMX
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="comments"')
    assert "On it; see OPS-1 later." in _section(html, "comments")
    assert 'role="status"' in html and "Your comment on DEL-1 is added." in html
    # The history and the mentions come along, out of band; the form is empty again.
    assert 'id="activity" aria-labelledby="activity-heading" hx-swap-oob="true"' in html
    assert "Wanda Worker</strong> commented" in _section(html, "activity")
    assert 'id="mentions" aria-labelledby="mentions-heading" hx-swap-oob="true"' in html
    assert "></textarea>" in html
    assert "Vary" in response and "HX-Request" in response["Vary"]
    assert Comment.objects.filter(ticket=ticket).count() == 1


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["plain", "htmx"])
def test_an_empty_comment_is_a_form_error_and_saves_nothing(member_client, ticket, headers):
    response = member_client.post(_url(ticket, "comments/"), {"body": "  \r\n "}, **headers)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Write something to comment." in html and 'aria-invalid="true"' in html
    assert not Comment.objects.exists()
    assert not Activity.objects.filter(action="commented").exists()


def test_a_too_long_comment_is_a_form_error_with_the_text_kept(member_client, ticket):
    body = "x" * (services.COMMENT_MAX_LENGTH + 1)
    response = member_client.post(_url(ticket, "comments/"), {"body": body})
    assert response.status_code == 200
    html = response.content.decode()
    assert "at most 10000 characters" in html
    assert body in html
    assert not Comment.objects.exists()


def test_someone_of_another_team_reads_but_may_not_comment(client, ticket):
    client.force_login(UserFactory(username="outsider"))
    html = client.get(_url(ticket)).content.decode()
    assert "Checkout times out" in html
    assert "comment-form" not in html and "Members of the" in html
    response = client.post(_url(ticket, "comments/"), {"body": "Drive-by"})
    assert response.status_code == 403
    assert "Only members of the" in response.content.decode()
    response = client.post(_url(ticket, "comments/"), {"body": "Drive-by"}, **HTMX)
    assert response.status_code == 403
    assert not Comment.objects.exists()


def test_anonymous_people_are_sent_to_log_in(client, ticket):
    for response in (
        client.get(_url(ticket)),
        client.post(_url(ticket, "comments/"), {"body": "Anonymous"}),
    ):
        assert response.status_code == 302 and response["Location"].startswith("/login/")
    assert not Comment.objects.exists()


def test_an_admin_of_no_team_may_comment(client, ticket):
    client.force_login(AdminFactory())
    response = client.post(_url(ticket, "comments/"), {"body": "Admin here"})
    assert response.status_code == 302
    assert Comment.objects.get().markdown == "Admin here"


def test_a_comment_writes_its_activity_and_marks_the_ticket_updated(ticket, member, board):
    board.refresh_from_db()
    version_before = board.version
    with time_machine.travel(datetime(2030, 1, 2, 3, 4, tzinfo=UTC), tick=False):
        comment = services.comment_add(ticket=ticket, body="Noted.", user=member)
    activity = Activity.objects.filter(ticket=ticket).latest("at")
    assert (activity.action, activity.user, activity.at) == (
        "commented",
        member,
        comment.created_at,
    )
    ticket.refresh_from_db()
    assert ticket.updated_at == comment.created_at
    # The card shows nothing of comments: viewers of the board are not told to refetch.
    board.refresh_from_db()
    assert board.version == version_before


def test_the_history_lists_changes_in_words_newest_first(member_client, board, ticket, member):
    services.ticket_move(
        ticket=ticket, column=column(board, "In progress"), after=None, user=member
    )
    services.comment_add(ticket=ticket, body="Started.", user=member)
    html = _section(member_client.get(_url(ticket)).content.decode(), "activity")
    lines = [
        "Wanda Worker</strong> commented",
        "Wanda Worker</strong> moved it from To do to In progress",
        "changed severity from S3 to S2",
        "changed the description",
        "Bosun</strong> created the ticket",
    ]
    positions = [html.index(line) for line in lines]
    assert positions == sorted(positions)


def test_mentions_link_existing_tickets_and_pages_only(member_client, ticket, settings):
    settings.SITE_URL = "https://bosun.example"
    ops = make_board(key_prefix="OPS", name="Operations")
    ops_ticket = cards(ops, "To do", 1, prefix="Disk full")[0]
    make_page("ops/runbook", "# Runbook\n", title="The runbook")
    make_page("ops/setup", "# Setup\n", title="Setting up")
    old = make_page("ops/old", "# Old\n", title="Moved away")
    handbook_services.page_move(page=old, new_path="ops/archive")
    services.ticket_update(
        ticket=ticket,
        description=(
            "Like OPS-1 and OPS-99, not XOPS-1; see NOPE-3 and this ticket DEL-1.\n\n"
            "Follow [the runbook](/handbook/ops/runbook), not [a missing page](/handbook/ops/gone)."
        ),
    )
    services.comment_add(
        ticket=ticket,
        body="Also [setup](ops/setup.md), [the old page](/handbook/ops/old) and "
        "https://bosun.example/handbook/ops/runbook again; "
        "not [editing](/handbook/-/edit/ops/setup).",
    )
    html = member_client.get(_url(ticket)).content.decode()
    mentions = _section(html, "mentions")
    assert f'href="{ops_ticket.get_absolute_url()}"' in mentions and "Disk full 0" in mentions
    assert "OPS-99" not in mentions and "NOPE-3" not in mentions
    assert 'href="/tickets/DEL-1/"' not in mentions  # itself
    assert mentions.count('href="/handbook/ops/runbook"') == 1
    assert 'href="/handbook/ops/setup"' in mentions and "Setting up" in mentions
    assert 'href="/handbook/ops/archive"' in mentions  # where the old address leads
    assert "/handbook/ops/gone" not in mentions
    assert "edit" not in mentions
    # In the comment itself the relative handbook link points at the page.
    assert 'href="/handbook/ops/setup"' in _section(html, "comments")


def test_a_relative_link_to_a_missing_page_is_marked_broken(member_client, ticket):
    services.comment_add(ticket=ticket, body="See [the plan](plans/q3.md).", user=None)
    comments = _section(member_client.get(_url(ticket)).content.decode(), "comments")
    assert 'class="broken-link"' in comments and "no page plans/q3" in comments


def test_mentioned_by_lists_the_tickets_that_mention_this_one(member_client, board, ticket):
    by_description, by_comment, neither = cards(board, "To do", 3, prefix="Other")
    services.ticket_update(ticket=by_description, description="Blocked by DEL-1.")
    services.comment_add(ticket=by_comment, body="Same as DEL-1, I think", user=None)
    services.ticket_update(ticket=neither, description="Not DEL-10 nor XDEL-1 nor DEL-1x.")
    mentions = _section(member_client.get(_url(ticket)).content.decode(), "mentions")
    assert "Mentioned by" in mentions
    assert f'href="{by_description.get_absolute_url()}"' in mentions
    assert f'href="{by_comment.get_absolute_url()}"' in mentions
    assert f'href="{neither.get_absolute_url()}"' not in mentions


def _page_queries(client, ticket):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(_url(ticket))
    assert response.status_code == 200
    return len(captured), response.content.decode()


def test_the_number_of_queries_does_not_grow_with_the_comments(member_client, ticket):
    ops = make_board(key_prefix="OPS")
    cards(ops, "To do", 20)
    make_page("ops/runbook", "# Runbook\n", title="The runbook")
    people = [UserFactory() for _ in range(20)]

    def comment(n):
        services.comment_add(
            ticket=ticket, body=f"Like OPS-{n + 1}, see [runbook](ops/runbook.md)", user=None
        )
        Comment.objects.filter(ticket=ticket).order_by("-id").update(author=people[n])

    comment(0)
    one, html = _page_queries(member_client, ticket)
    assert html.count('class="comment"') == 1
    for n in range(1, 20):
        comment(n)
    twenty, html = _page_queries(member_client, ticket)
    assert html.count('class="comment"') == 20
    assert _section(html, "mentions").count('href="/tickets/OPS-') == 20
    assert one == twenty, (one, twenty)
    print(f"ticket page queries: {one} with 1 comment, {twenty} with 20")


@pytest.mark.parametrize(
    "key", ["DEL-999", "del-1", "DEL-0", "DEL-01", "DEL-1x", "NOPE-1", "DEL-99999999999", "-"]
)
def test_an_unknown_or_malformed_key_is_a_404(member_client, ticket, key):
    assert member_client.get(f"/tickets/{key}/").status_code == 404
    assert member_client.post(f"/tickets/{key}/comments/", {"body": "x"}).status_code == 404


def test_an_old_key_of_a_routed_ticket_leads_to_it(member_client, board, ticket):
    other = make_board(key_prefix="OPS")
    routed = services.ticket_route(ticket=ticket, board=other)
    response = member_client.get("/tickets/DEL-1/")
    assert response.status_code == 301 and response["Location"] == "/tickets/OPS-1/"
    html = member_client.get(response["Location"]).content.decode()
    assert "routed it from DEL-1 to OPS-1" in html
    assert Ticket.objects.get(pk=routed.pk).key == "OPS-1"


def test_the_menu_marks_the_board_section_on_ticket_and_support_pages(member_client, ticket):
    current = '<a href="/boards/" aria-current="page">Board</a>'
    assert current in member_client.get(_url(ticket)).content.decode()
    assert current in member_client.get("/support/new/").content.decode()
    assert current not in member_client.get("/rotations/").content.decode()

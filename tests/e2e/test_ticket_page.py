"""Browser tests of the ticket page: a comment added by keyboard alone appears without a
reload (htmx) and stays after one; an empty one is refused with its message; the page at a
laptop's and a phone's width does not scroll sideways (screenshots: shots-ticket-*.png in
the temporary folder)."""

import os
import tempfile
from pathlib import Path

import pytest
from playwright.sync_api import expect

from accounts.tests.factories import UserFactory
from handbook.models import Membership
from handbook.tests.factories import MembershipFactory, TeamFactory, make_page
from tests.e2e.helpers import login
from tickets import services
from tickets.tests.factories import cards, make_board

pytestmark = pytest.mark.browser

# Where the screenshots go, to be looked at (SHOTS_DIR, else the system's temporary folder).
SHOTS = Path(os.environ.get("SHOTS_DIR") or tempfile.gettempdir())


@pytest.fixture
def ticket(transactional_db):
    team = TeamFactory(name="Delivery", slug="delivery")
    wanda = UserFactory(username="wanda", display_name="Wanda Worker")
    MembershipFactory(team=team, user=wanda, role=Membership.Role.ENGINEER)
    board = make_board(team=team, name="Delivery queue", key_prefix="DEL")
    other = cards(board, "To do", 1, prefix="Flaky payment provider sandbox")[0]
    ticket = cards(board, "In progress", 1, prefix="Checkout")[0]
    make_page("ops/runbook", "# Runbook\n", title="Payments runbook")
    ticket = services.ticket_update(
        ticket=ticket,
        title="Checkout times out on the second attempt after a declined card",
        description=(
            "Customers report that **checkout hangs** after a declined card.\n\n"
            f"- Seen since Monday, maybe since {other.key}\n"
            "- Steps in the [runbook](/handbook/ops/runbook)\n\n"
            "```\nTimeoutError: upstream took longer than 30s (payments-gateway-eu-west-1)\n```\n"
        ),
        severity="S2",
        priority_class="customer",
        assignee=wanda,
        labels=["payments", "team/delivery", "customer-visible"],
    )
    services.comment_add(ticket=ticket, body="I can reproduce this on **main**.", user=wanda)
    return ticket


def test_a_comment_is_added_by_keyboard_alone(page, live_server, ticket):
    login(page, live_server, "wanda")
    page.goto(f"{live_server.url}/tickets/{ticket.key}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(ticket.key)
    # From the last link of the comments to the text box, then to the button: Tab alone.
    page.locator("#comments .comment-head a").last.focus()
    page.keyboard.press("Tab")
    box = page.get_by_label("Add a comment")
    expect(box).to_be_focused()
    page.keyboard.type("Fixed by retrying once; see DEL-1.")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Comment")).to_be_focused()
    page.keyboard.press("Enter")
    comments = page.locator("#comments .comment")
    expect(comments).to_have_count(2)
    expect(comments.last).to_contain_text("Fixed by retrying once; see DEL-1.")
    expect(comments.last).to_contain_text("Wanda Worker")
    # The answer says so, and the focus, lost with the old form, goes to that message.
    status = page.locator("#comments [role=status]")
    expect(status).to_have_text(f"Your comment on {ticket.key} is added.")
    expect(status).to_be_focused()
    expect(page.get_by_label("Add a comment")).to_have_value("")
    # The history and the mentions were swapped in too.
    expect(page.locator("#activity li").first).to_contain_text("Wanda Worker commented")
    expect(page.locator("#mentions")).to_contain_text("DEL-1")
    page.reload()
    expect(page.locator("#comments .comment")).to_have_count(2)


def test_an_empty_comment_is_refused_with_a_message(page, live_server, ticket):
    login(page, live_server, "wanda")
    page.goto(f"{live_server.url}/tickets/{ticket.key}/")
    page.get_by_role("button", name="Comment").click()
    expect(page.locator("#comment-error")).to_have_text("Write something to comment.")
    expect(page.locator("#comments .comment")).to_have_count(1)


@pytest.mark.parametrize("width", [1366, 390])
def test_the_page_fits_the_screen(page, live_server, ticket, width):
    page.set_viewport_size({"width": width, "height": 900})
    login(page, live_server, "wanda")
    page.goto(f"{live_server.url}/tickets/{ticket.key}/")
    expect(page.get_by_role("heading", name="Mentions")).to_be_visible()
    page.screenshot(path=SHOTS / f"shots-ticket-{width}.png", full_page=True)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the page scrolls sideways by {overflow}px at {width}px"

"""Browser test of intake and triage: a support request filed through the form by keyboard
alone, then on the triage page its severity set and the ticket accepted into To do (htmx
answers). Both pages are looked at at a laptop's and a phone's width (nothing wider than the
screen); with SHOTS=/tmp/shots-intake set, screenshots are saved as <SHOTS>-<page>-<width>.png."""

import os

import pytest
from playwright.sync_api import expect

from accounts.tests.factories import UserFactory
from handbook.models import Membership
from handbook.tests.factories import MembershipFactory, TeamFactory
from tests.e2e.helpers import htmx_settled, login
from tickets import services
from tickets.models import Ticket
from tickets.tests.factories import column, make_board

pytestmark = pytest.mark.browser

WIDTHS = {"1366": (1366, 900), "390": (390, 844)}


@pytest.fixture
def delivery(transactional_db):
    team = TeamFactory(name="Delivery", slug="delivery")
    wanda = UserFactory(username="wanda", display_name="Wanda Worker")
    MembershipFactory(team=team, user=wanda, role=Membership.Role.ENGINEER)
    board = make_board(team=team, name="Delivery queue", key_prefix="DEL")
    billing = make_board(team=TeamFactory(name="Billing"), name="Billing queue", key_prefix="BIL")
    sustaining = TeamFactory(name="Sustained Engineering", slug="sustained-engineering")
    make_board(team=sustaining, name="SET queue", key_prefix="SET")
    return board, billing


def _shots(page, name):
    for width, size in WIDTHS.items():
        page.set_viewport_size({"width": size[0], "height": size[1]})
        if os.environ.get("SHOTS"):
            page.screenshot(path=f"{os.environ['SHOTS']}-{name}-{width}.png", full_page=True)
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        assert scroll_width <= size[0], (name, width, scroll_width)
    page.set_viewport_size({"width": 1366, "height": 900})


def test_a_request_filed_by_keyboard_is_classified_and_accepted_on_the_triage_page(
    page, live_server, delivery
):
    board, _billing = delivery
    login(page, live_server, "wanda")
    page.goto(f"{live_server.url}/support/new/?team=delivery")
    expect(page.get_by_label("Team")).to_have_value("delivery")

    # By keyboard alone: the team is chosen already; Tab through the fields, typing.
    page.get_by_label("Team").focus()
    page.keyboard.press("Tab")
    expect(page.get_by_label("Summary")).to_be_focused()
    page.keyboard.type("Release pipeline stuck")
    page.keyboard.press("Tab")
    page.keyboard.type("The tag job waits forever since the runner upgrade.")
    page.keyboard.press("Tab")
    page.keyboard.type("No release today.")
    page.keyboard.press("Tab")
    page.keyboard.type("Logs are in the job.")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Normal")).to_be_focused()
    page.keyboard.press("ArrowDown")
    expect(page.get_by_label("Within a few hours")).to_be_checked()
    _shots(page, "form")
    page.get_by_label("Within a few hours").focus()
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="File the request")).to_be_focused()
    page.keyboard.press("Enter")

    expect(page.get_by_role("status").filter(has_text="Filed DEL-1")).to_have_text(
        "Filed DEL-1: Delivery will see it in triage (within a few hours)."
    )
    ticket = Ticket.objects.get(board=board)
    assert (ticket.kind, ticket.column.name) == ("support", "Triage")
    assert "## Impact\n\nNo release today." in ticket.description

    # A second request waits too, so the page shows more than one row.
    services.support_request_create(team=board.team, summary="Access to the release bucket")
    page.goto(f"{live_server.url}/boards/{board.pk}/triage/")
    expect(page.locator("#triage-heading .triage-count")).to_have_text("2")
    _shots(page, "triage")

    row = page.locator(f"#triage-{ticket.pk}")
    severity = row.locator("select[name=severity]")
    severity.focus()
    severity.select_option("S2")
    page.keyboard.press("Tab")  # the priority class
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Set severity and priority of DEL-1")).to_be_focused()
    page.keyboard.press("Enter")
    status = page.locator("#triage-status")
    expect(status).to_have_text("DEL-1 is now S2: major, Other.")
    # The list was answered anew and the focus stayed on the button.
    expect(page.get_by_role("button", name="Set severity and priority of DEL-1")).to_be_focused()
    expect(row.locator("select[name=severity]")).to_have_value("S2")
    assert Ticket.objects.get(pk=ticket.pk).severity == "S2"

    htmx_settled(page)
    page.get_by_role("button", name="Accept DEL-1 into To do").focus()
    page.keyboard.press("Enter")
    expect(status).to_have_text("Accepted DEL-1 into To do, 1 of 1.")
    expect(page.locator(f"#triage-{ticket.pk}")).to_have_count(0)
    expect(page.locator("#triage-heading .triage-count")).to_have_text("1")
    expect(page.locator("#triage-ready")).to_contain_text("Release pipeline stuck")
    accepted = Ticket.objects.get(pk=ticket.pk)
    assert (accepted.column, accepted.severity) == (column(board, "To do"), "S2")
    _shots(page, "triage-after")


def test_a_stale_version_shows_the_message_and_the_ticket_as_it_is_now(page, live_server, delivery):
    board, _billing = delivery
    ticket = services.support_request_create(team=board.team, summary="Broken link")
    login(page, live_server, "wanda")
    page.goto(f"{live_server.url}/boards/{board.pk}/triage/")
    services.ticket_update(ticket=ticket, title="Broken link on the status page")  # meanwhile

    page.locator(f"#triage-{ticket.pk}").locator("select[name=severity]").select_option("S1")
    page.get_by_role("button", name="Set severity and priority of DEL-1").click()

    expect(page.locator("#triage-status")).to_contain_text("changed by someone else")
    expect(page.locator(f"#triage-{ticket.pk}")).to_contain_text("Broken link on the status page")
    assert Ticket.objects.get(pk=ticket.pk).severity == "S3"

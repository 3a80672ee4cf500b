"""Browser tests of the board page: a card dragged to another column stays there after a
reload, a card moved by keyboard alone, a second viewer seeing a move within two seconds, a
move without the CSRF token refused, "Show more" kept when the columns come again, and a
hard WIP limit refusing a drop (the card goes back)."""

import pytest
from playwright.sync_api import expect

from accounts.tests.factories import UserFactory
from handbook.models import Membership
from handbook.tests.factories import MembershipFactory, TeamFactory
from tests.e2e.helpers import login
from tickets import services
from tickets.models import Column, Ticket
from tickets.tests.factories import cards, column, make_board

pytestmark = pytest.mark.browser


class Queue:
    """The Delivery team's board: To do holds DEL-1..3, In progress DEL-4; Doing (a hard
    limit of 1) holds DEL-5. Wanda and Theo work on the team."""

    def __init__(self):
        self.team = TeamFactory(name="Delivery", slug="delivery")
        self.wanda = UserFactory(username="wanda", display_name="Wanda Worker")
        self.theo = UserFactory(username="theo", display_name="Theo Teammate")
        for person in (self.wanda, self.theo):
            MembershipFactory(team=self.team, user=person, role=Membership.Role.ENGINEER)
        self.board = make_board(
            team=self.team,
            name="Delivery queue",
            key_prefix="DEL",
            columns=[
                {"name": "To do", "kind": Column.Kind.READY},
                {"name": "In progress", "kind": Column.Kind.IN_PROGRESS},
                {"name": "Doing", "kind": Column.Kind.OTHER, "wip_limit": 1, "wip_mode": "hard"},
            ],
        )
        self.todo = cards(self.board, "To do", 3, prefix="Task")
        self.doing = cards(self.board, "In progress", 1, prefix="Started")
        self.full = cards(self.board, "Doing", 1, prefix="Busy")

    @property
    def url(self):
        return f"/boards/{self.board.pk}/"

    def order(self, name):
        keys = dict(Ticket.objects.filter(board=self.board).values_list("pk", "number"))
        return [f"DEL-{keys[pk]}" for pk in services.column_order(column(self.board, name).pk)]


@pytest.fixture
def queue(transactional_db):
    return Queue()


def _column(page, name):
    return page.get_by_role("region", name=name)


def _keys(page, name):
    return _column(page, name).locator(".card .card-key")


def _card(page, key):
    return page.locator(".card", has=page.locator(".card-key", has_text=key))


def test_a_card_dragged_to_another_column_stays_there(page, live_server, queue):
    login(page, live_server, "wanda")
    page.goto(f"{live_server.url}{queue.url}")
    expect(_keys(page, "To do")).to_have_text(["DEL-1", "DEL-2", "DEL-3"])
    _card(page, "DEL-2").drag_to(_card(page, "DEL-4"), target_position={"x": 20, "y": 60})
    status = page.get_by_role("status").filter(has_text="Moved")
    expect(status).to_have_text("Moved DEL-2 to In progress, 2 of 2")
    assert queue.order("In progress") == ["DEL-4", "DEL-2"]
    assert queue.order("To do") == ["DEL-1", "DEL-3"]
    page.reload()
    expect(_keys(page, "In progress")).to_have_text(["DEL-4", "DEL-2"])
    expect(_keys(page, "To do")).to_have_text(["DEL-1", "DEL-3"])
    # Within a column too: DEL-3 dragged above DEL-1.
    _card(page, "DEL-3").drag_to(_card(page, "DEL-1"), target_position={"x": 20, "y": 5})
    expect(page.locator("#board-status")).to_have_text("Moved DEL-3 to To do, 1 of 2")
    page.reload()
    expect(_keys(page, "To do")).to_have_text(["DEL-3", "DEL-1"])


def test_a_card_moves_by_keyboard_alone(page, live_server, queue):
    login(page, live_server, "wanda")
    page.on("console", lambda m: print("CONSOLE", m.text))
    page.goto(f"{live_server.url}{queue.url}")
    # Tab from the filters' button to the ready column's "Sort", then its first card.
    page.get_by_role("button", name="Filter").focus()
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Sort To do by priority")).to_be_focused()
    page.keyboard.press("Tab")
    first = _card(page, "DEL-1")
    expect(first).to_be_focused()
    # Arrow keys go from card to card; Alt+arrow moves the card.
    page.keyboard.press("ArrowDown")
    expect(_card(page, "DEL-2")).to_be_focused()
    page.keyboard.press("Alt+ArrowRight")
    status = page.locator("#board-status")
    expect(status).to_have_text("Moved DEL-2 to In progress, 1 of 2")
    expect(_keys(page, "In progress")).to_have_text(["DEL-2", "DEL-4"])
    expect(_card(page, "DEL-2")).to_be_focused()
    # The card's own buttons, reached with Tab and pressed with Enter.
    page.keyboard.press("Tab")  # its key, a link to the ticket's page
    expect(page.get_by_role("link", name="DEL-2")).to_be_focused()
    page.keyboard.press("Tab")  # its first button: down
    expect(page.get_by_role("button", name="Move DEL-2 down")).to_be_focused()
    page.keyboard.press("Enter")
    expect(status).to_have_text("Moved DEL-2 to In progress, 2 of 2")
    expect(_keys(page, "In progress")).to_have_text(["DEL-4", "DEL-2"])
    # The focus stays on the card's button of the same move (gone at the bottom: the card).
    expect(_card(page, "DEL-2")).to_be_focused()
    page.keyboard.press("Alt+ArrowUp")
    expect(status).to_have_text("Moved DEL-2 to In progress, 1 of 2")
    page.reload()
    expect(_keys(page, "In progress")).to_have_text(["DEL-2", "DEL-4"])


def test_a_second_viewer_sees_a_move_within_two_seconds(page, live_server, queue, browser):
    login(page, live_server, "wanda")
    page.goto(f"{live_server.url}{queue.url}")
    other_context = browser.new_context()
    try:
        other = other_context.new_page()
        login(other, live_server, "theo")
        other.goto(f"{live_server.url}{queue.url}")
        expect(_keys(other, "In progress")).to_have_text(["DEL-4"])
        page.get_by_role("button", name="Move DEL-1 to In progress").click()
        expect(page.locator("#board-status")).to_contain_text("Moved DEL-1")
        expect(_keys(other, "In progress")).to_have_text(["DEL-1", "DEL-4"], timeout=2000)
        expect(_keys(other, "To do")).to_have_text(["DEL-2", "DEL-3"], timeout=500)
        # A screen reader is told what changed, on the other page only.
        expect(other.locator("#board-status")).to_have_text(
            "Changed by someone else: DEL-1 moved to In progress."
        )
        # And back the other way.
        other.get_by_role("button", name="Move DEL-1 to To do").click()
        expect(_keys(page, "To do")).to_have_text(["DEL-1", "DEL-2", "DEL-3"], timeout=2000)
        expect(page.locator("#board-status")).to_have_text(
            "Changed by someone else: DEL-1 moved to To do."
        )
        # Their own move was not taken for someone else's.
        other.wait_for_timeout(1500)
        expect(other.locator("#board-status")).to_have_text("Moved DEL-1 to To do, 1 of 3")
    finally:
        other_context.close()


def test_cards_shown_with_show_more_stay_when_the_columns_come_again(
    page, live_server, queue, browser
):
    cards(queue.board, "To do", 60, prefix="Backlog")  # DEL-6..65: 63 in To do
    login(page, live_server, "wanda")
    page.goto(f"{live_server.url}{queue.url}")
    todo = _column(page, "To do").locator(".card")
    expect(todo).to_have_count(50)
    _column(page, "To do").get_by_role("link", name="Show more").click()
    expect(todo).to_have_count(63)
    expect(page).to_have_url(f"{live_server.url}{queue.url}?limit=100")
    # Someone else moves a card: the columns come again, with the 62 cards left.
    services.ticket_move(
        ticket=queue.todo[0], column=column(queue.board, "In progress"), after=None
    )
    expect(_keys(page, "In progress")).to_have_text(["DEL-1", "DEL-4"], timeout=2000)
    expect(todo).to_have_count(62)
    page.reload()
    expect(todo).to_have_count(62)


def test_a_move_without_the_csrf_token_is_refused(page, live_server, queue):
    login(page, live_server, "wanda")
    page.goto(f"{live_server.url}{queue.url}")
    ticket = queue.todo[0]
    response = page.request.post(
        f"{live_server.url}/boards/{queue.board.pk}/move/",
        form={
            "ticket": str(ticket.pk),
            "column": str(column(queue.board, "In progress").pk),
            "after": "",
        },
    )
    assert response.status == 403
    assert Ticket.objects.get(pk=ticket.pk).column.name == "To do"


def test_a_hard_wip_limit_refuses_the_drop_and_the_card_goes_back(page, live_server, queue):
    login(page, live_server, "wanda")
    page.goto(f"{live_server.url}{queue.url}")
    expect(_column(page, "Doing")).to_contain_text("1 / 1 max")
    _card(page, "DEL-1").drag_to(_card(page, "DEL-5"), target_position={"x": 20, "y": 60})
    expect(page.locator("#board-status")).to_have_text(
        "DEL-1 was not moved: Doing is at its limit of 1 tickets."
    )
    expect(_keys(page, "Doing")).to_have_text(["DEL-5"])
    expect(_keys(page, "To do")).to_have_text(["DEL-1", "DEL-2", "DEL-3"])
    assert queue.order("Doing") == ["DEL-5"]
    # The keyboard's way is refused the same.
    page.get_by_role("button", name="Move DEL-4 to Doing").click()
    expect(page.locator("#board-status")).to_contain_text("Doing is at its limit")
    expect(_keys(page, "In progress")).to_have_text(["DEL-4"])


def test_on_a_phone_the_columns_scroll_sideways_inside_the_board(page, live_server, queue):
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, live_server, "wanda")
    page.goto(f"{live_server.url}{queue.url}")
    expect(_column(page, "To do")).to_be_visible()
    widths = page.evaluate(
        "[document.documentElement.scrollWidth, document.getElementById('board-columns')"
        ".scrollWidth, document.getElementById('board-columns').clientWidth]"
    )
    page_width, board_content, board_box = widths
    assert page_width <= 390, widths
    assert board_content > board_box, widths

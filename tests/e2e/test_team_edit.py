"""Browser tests of a team's edit page: a lead reorders the charter's principles and areas of
ownership by keyboard alone (the focus stays on the item moved) and the team page shows the
new order; the same without JavaScript, by plain form posts; members added with the person
picker; the page on a phone; and someone of another team refused."""

import re

import pytest
from playwright.sync_api import expect

from accounts.tests.factories import UserFactory
from handbook.models import Membership, Team
from handbook.tests.factories import MembershipFactory, TeamFactory
from tests.e2e.helpers import login

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def delivery(transactional_db):
    team = TeamFactory(
        name="Delivery",
        slug="delivery",
        principles=["Automate the toil", "Ship small", "Write it down"],
        ownership=["Release tooling", "Deploy pipeline", "Release metrics"],
    )
    lead = UserFactory(username="lena", display_name="Lena Lead")
    MembershipFactory(team=team, user=lead, role=Membership.Role.LEAD)
    return team


def _items(page, name):
    return page.locator(f"#list-{name} [data-items] input").evaluate_all(
        "inputs => inputs.map(input => input.value)"
    )


def test_a_lead_reorders_principles_and_ownership_by_keyboard(page, live_server, delivery):
    login(page, live_server, "lena")
    page.goto(f"{live_server.url}/teams/delivery/")
    page.get_by_role("button", name="Edit team").click()
    expect(page).to_have_url(re.compile(r"/teams/delivery/edit/$"))

    # "Write it down" goes first: its Up button, pressed twice; the focus follows the item.
    page.get_by_role("button", name="Move principle 3 up").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Move principle 2 up")).to_be_focused()
    page.keyboard.press("Space")
    expect(page.get_by_role("button", name="Move principle 1 up")).to_be_focused()
    assert _items(page, "principles") == ["Write it down", "Automate the toil", "Ship small"]
    expect(page.locator("#list-principles [role=status]")).to_have_text("Moved to position 1 of 3.")

    # "Release tooling" goes last, by its Down button, then back up one with Alt+ArrowUp
    # from its input.
    page.get_by_role("button", name="Move area 1 down").focus()
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Move area 3 down")).to_be_focused()
    assert _items(page, "ownership") == ["Deploy pipeline", "Release metrics", "Release tooling"]
    page.get_by_role("textbox", name="Area 3", exact=True).focus()
    page.keyboard.press("Alt+ArrowUp")
    expect(page.get_by_role("textbox", name="Area 2", exact=True)).to_be_focused()
    assert _items(page, "ownership") == ["Deploy pipeline", "Release tooling", "Release metrics"]

    # A new principle, added and typed by keyboard.
    page.get_by_role("button", name="Add a principle").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("textbox", name="Principle 4", exact=True)).to_be_focused()
    page.keyboard.type("Leave it better")

    page.get_by_role("button", name="Save charter").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("status").filter(has_text="Charter saved.")).to_be_visible()

    page.goto(f"{live_server.url}/teams/delivery/")
    principles = page.locator("section[aria-labelledby=principles-heading] li")
    expect(principles).to_have_text(
        ["Write it down", "Automate the toil", "Ship small", "Leave it better"]
    )
    ownership = page.locator("section[aria-labelledby=ownership-heading] li")
    expect(ownership).to_have_text(["Deploy pipeline", "Release tooling", "Release metrics"])
    team = Team.objects.get(slug="delivery")
    assert team.history.first().history_user.username == "lena"


def test_without_javascript_the_list_buttons_post_the_form(browser, live_server, delivery):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        login(page, live_server, "lena")
        page.goto(f"{live_server.url}/teams/delivery/edit/")
        page.get_by_role("button", name="Move principle 2 down").click()
        # The page comes back with the item moved, the focus on its button, nothing saved.
        expect(page.get_by_role("button", name="Move principle 3 down")).to_be_focused()
        assert _items(page, "principles") == ["Automate the toil", "Write it down", "Ship small"]
        assert Team.objects.get(slug="delivery").principles[1] == "Ship small"
        page.get_by_role("button", name="Remove area 3").click()
        page.get_by_role("button", name="Save charter").click()
        expect(page.get_by_role("status").filter(has_text="Charter saved.")).to_be_visible()
        team = Team.objects.get(slug="delivery")
        assert team.principles == ["Automate the toil", "Write it down", "Ship small"]
        assert team.ownership == ["Release tooling", "Deploy pipeline"]
    finally:
        context.close()


def test_a_lead_adds_a_member_with_the_person_picker_and_sees_errors_in_place(
    page, live_server, delivery
):
    UserFactory(username="kwame", display_name="Kwame Mensah")
    login(page, live_server, "lena")
    page.goto(f"{live_server.url}/teams/delivery/edit/#members")
    page.get_by_label("Person").fill("nobody-here")
    page.get_by_role("button", name="Add member").click()
    expect(page.get_by_role("alert")).to_contain_text("No active person has the username")
    expect(page.get_by_label("Person")).to_have_value("nobody-here")

    page.get_by_label("Person").fill("kwame")
    page.locator("#id_role").select_option("qa")
    page.get_by_role("button", name="Add member").click()
    expect(page.get_by_role("status").filter(has_text="Kwame Mensah joined")).to_be_visible()
    expect(page.locator("#member-kwame")).to_be_visible()
    page.get_by_role("button", name="Remove Kwame Mensah from the team").click()
    expect(page.locator("#member-kwame")).to_have_count(0)


def test_the_edit_page_fits_a_phone(page, live_server, delivery):
    login(page, live_server, "lena")
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/teams/delivery/edit/")
    expect(page.get_by_role("button", name="Save charter")).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"]


def test_a_lead_of_another_team_is_refused(page, live_server, delivery):
    other = TeamFactory(name="Platform", slug="platform")
    MembershipFactory(team=other, user=UserFactory(username="pat"), role=Membership.Role.LEAD)
    login(page, live_server, "pat")
    page.goto(f"{live_server.url}/teams/delivery/")
    expect(page.get_by_role("button", name="Edit team")).to_have_count(0)
    response = page.goto(f"{live_server.url}/teams/delivery/edit/")
    assert response.status == 403


def test_a_principle_may_also_be_dragged_by_its_handle(page, live_server, delivery):
    login(page, live_server, "lena")
    page.goto(f"{live_server.url}/teams/delivery/edit/")
    handles = page.locator("#list-principles [data-items] .drag-handle")
    handles.nth(2).drag_to(handles.nth(0))
    assert _items(page, "principles")[0] == "Write it down"
    # The labels follow the new order.
    expect(page.get_by_role("textbox", name="Principle 1", exact=True)).to_have_value(
        "Write it down"
    )
    page.get_by_role("button", name="Save charter").click()
    expect(page.get_by_role("status").filter(has_text="Charter saved.")).to_be_visible()
    assert Team.objects.get(slug="delivery").principles[0] == "Write it down"

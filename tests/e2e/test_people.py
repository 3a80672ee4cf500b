"""Person pages and the people directory, in the browser."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.tests.factories import UserFactory
from handbook.models import Membership
from handbook.tests.factories import MembershipFactory, TeamFactory
from tests.support import person_with_duties

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}


def test_a_name_on_a_team_page_opens_the_person_page_with_its_sections(logged_in_page, live_server):
    made = person_with_duties(now=timezone.now())
    doing, waiting, _ = made["tickets"]
    page = logged_in_page()
    page.goto(f"{live_server.url}/teams/delivery/")
    page.locator("#members").get_by_role("link", name="Inês Duarte").click()

    expect(page).to_have_url(re.compile(r"/people/ines/$"))
    expect(page.get_by_role("heading", name="Inês Duarte", level=1)).to_be_visible()
    shifts = page.get_by_role("region", name="Shifts")
    expect(shifts).to_contain_text("Delivery support")
    expect(shifts).to_contain_text("Primary")
    tickets = page.get_by_role("region", name="Assigned tickets")
    expect(tickets.get_by_role("link", name=re.compile(doing.key))).to_be_visible()
    expect(tickets).to_contain_text(waiting.key)
    duties = page.get_by_role("region", name="Release duties")
    expect(duties.get_by_role("link", name=f"Release {made['release'].version}")).to_be_visible()
    expect(page.get_by_role("region", name="Teams and roles")).to_contain_text("Delivery · Lead")

    for size in (PHONE, DESKTOP):
        page.set_viewport_size(size)
        expect(shifts).to_be_visible()
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        assert scroll_width <= size["width"], f"the person page scrolls sideways at {size}"

    # The ticket's own page links the assignee back to the person page.
    tickets.get_by_role("link", name=re.compile(doing.key)).click()
    page.get_by_role("link", name="Inês Duarte").first.click()
    expect(page).to_have_url(re.compile(r"/people/ines/$"))


def test_the_directory_filters_work_by_keyboard(logged_in_page, live_server):
    delivery = TeamFactory(slug="delivery", name="Delivery")
    platform = TeamFactory(slug="platform", name="Platform")
    for username, name, team, role in (
        ("rosa", "Rosa Lind", delivery, Membership.Role.LEAD),
        ("tariq", "Tariq Aziz", delivery, Membership.Role.ENGINEER),
        ("mei", "Mei Chen", platform, Membership.Role.LEAD),
    ):
        MembershipFactory(
            team=team, role=role, user=UserFactory(username=username, display_name=name)
        )
    page = logged_in_page()
    page.goto(f"{live_server.url}/people/")
    rows = page.locator("#people-rows")
    expect(rows).to_contain_text("Mei Chen")

    page.get_by_label("Name").focus()
    page.keyboard.press("Tab")
    team = page.get_by_label("Team")
    expect(team).to_be_focused()
    page.keyboard.press("ArrowDown")  # "All teams" -> Delivery, as a closed select does
    expect(team).to_have_value("delivery")
    expect(rows).not_to_contain_text("Mei Chen")
    expect(rows).to_contain_text("Rosa Lind")
    expect(page).to_have_url(re.compile(r"team=delivery"))

    page.keyboard.press("Tab")
    expect(page.get_by_label("Role")).to_be_focused()
    page.keyboard.press("ArrowDown")  # Engineer
    expect(rows).not_to_contain_text("Rosa Lind")
    expect(rows).to_contain_text("Tariq Aziz")

    # Typing a name narrows it further; the Filter button submits by Enter too.
    page.get_by_label("Name").focus()
    page.keyboard.type("zzz")
    expect(rows).to_contain_text("Nobody matches these filters.")
    page.get_by_role("button", name="Filter").focus()
    with page.expect_response(re.compile(r"/people/\?q=zzz")):
        page.keyboard.press("Enter")
    expect(rows).to_contain_text("Nobody matches these filters.")
    rows.get_by_role("link", name="Show everyone").focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/people/$"))
    expect(page.locator("#people-rows")).to_contain_text("Mei Chen")

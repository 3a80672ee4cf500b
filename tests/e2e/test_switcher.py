"""The quick switcher in a browser, by keyboard only: Ctrl+K, a mistyped team name, arrow
down, Enter; Escape gives the focus back. With SHOTS=/tmp/shots-switch set, screenshots of
the open switcher are saved as <SHOTS>-<width>.png."""

import os
import re

import pytest
from django.db import connection
from playwright.sync_api import expect

from handbook.tests.factories import MembershipFactory, TeamFactory, make_page

pytestmark = pytest.mark.browser


def _world():
    platform = TeamFactory(name="Platform Engineering", slug="platform")
    TeamFactory(name="Delivery", slug="delivery")
    MembershipFactory(team=platform, user__display_name="Plato Jones", user__username="pjones")
    make_page("eng/platform", "# Platform\n", title="Platform handbook", team=platform)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="typos need pg_trgm")
def test_ctrl_k_a_typo_arrow_down_and_enter_open_the_team_page(logged_in_page, live_server):
    _world()
    page = logged_in_page()
    page.keyboard.press("Control+k")
    combobox = page.get_by_role("combobox", name="Jump to", exact=True)
    expect(combobox).to_be_focused()
    page.keyboard.type("platfrm")
    listbox = page.get_by_role("listbox", name="Matches")
    expect(listbox.get_by_role("option", name=re.compile("Platform Engineering"))).to_be_visible()
    # The pages come first: the team is the option after the page.
    options = listbox.get_by_role("option")
    expect(options.first).to_contain_text("Platform handbook")
    page.keyboard.press("ArrowDown")
    expect(options.first).to_have_attribute("aria-selected", "true")
    page.keyboard.press("ArrowDown")
    second = options.nth(1)
    expect(second).to_have_attribute("aria-selected", "true")
    expect(second).to_contain_text("Platform Engineering")
    expect(combobox).to_have_attribute("aria-activedescendant", second.get_attribute("id"))
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/teams/platform/$"))
    expect(page.get_by_role("heading", name="Platform Engineering", level=1)).to_be_visible()


def test_the_jump_button_opens_it_and_escape_gives_the_focus_back(logged_in_page):
    _world()
    page = logged_in_page()
    button = page.get_by_role("button", name=re.compile("Jump to"))
    button.focus()
    page.keyboard.press("Enter")
    combobox = page.get_by_role("combobox")
    expect(combobox).to_be_focused()
    page.keyboard.type("deliv")
    expect(page.get_by_role("option", name=re.compile("Delivery"))).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.locator("#switcher")).not_to_be_visible()
    expect(button).to_be_focused()


@pytest.mark.parametrize("width", [1366, 390])
def test_the_open_switcher_fits_the_screen(logged_in_page, width):
    _world()
    page = logged_in_page()
    page.set_viewport_size({"width": width, "height": 800})
    button = page.get_by_role("button", name=re.compile("Jump to"))
    expect(button).to_be_visible()  # in the header, also on a phone, beside the menu button
    box = button.bounding_box()
    assert box["x"] + box["width"] <= width
    header = page.locator(".site-header").bounding_box()
    assert header["height"] < 120  # one row: the brand, Jump to, (Menu)
    if os.environ.get("SHOTS"):
        page.screenshot(path=f"{os.environ['SHOTS']}-header-{width}.png")
    button.click()
    page.keyboard.type("pla")
    expect(page.get_by_role("option").first).to_be_visible()
    dialog = page.locator("#switcher article").bounding_box()
    assert dialog["x"] >= 0 and dialog["x"] + dialog["width"] <= width
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width
    if os.environ.get("SHOTS"):
        page.screenshot(path=f"{os.environ['SHOTS']}-{width}.png")

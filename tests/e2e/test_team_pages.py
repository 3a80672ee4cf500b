import re

import pytest
from playwright.sync_api import expect

from handbook.models import Membership
from handbook.tests.factories import MembershipFactory, TeamFactory

pytestmark = pytest.mark.browser


def test_log_in_open_a_team_page_and_see_its_members(logged_in_page, live_server):
    team = TeamFactory(name="Sustained Engineering", slug="sustained-engineering")
    MembershipFactory(team=team, user__display_name="Rosa Lind", role=Membership.Role.LEAD)
    MembershipFactory(team=team, user__display_name="Tariq Aziz")
    TeamFactory(name="Delivery", slug="delivery")

    page = logged_in_page()
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Teams").click()
    expect(page.get_by_role("heading", name="Teams")).to_be_visible()
    page.get_by_role("link", name="Sustained Engineering").click()

    expect(page).to_have_url(re.compile(r"/teams/sustained-engineering/$"))
    expect(page.get_by_role("heading", name="Sustained Engineering", level=1)).to_be_visible()
    members = page.locator("#members")
    expect(members.get_by_role("row")).to_have_count(3)  # header + two people
    expect(members).to_contain_text("Rosa Lind")
    expect(members).to_contain_text("Lead")
    expect(members).to_contain_text("Tariq Aziz")


def test_a_wrong_password_shows_an_error_on_the_form(page, live_server, transactional_db):
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Username").fill("nobody")
    page.get_by_label("Password").fill("wrong")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("alert")).to_contain_text("correct username and password")
    expect(page).to_have_url(re.compile(r"/login/$"))


def test_the_team_filter_narrows_the_list_by_keyboard(logged_in_page):
    TeamFactory(name="Delivery")
    TeamFactory(name="Platform")
    page = logged_in_page()
    page.goto(page.url + "teams/")
    page.keyboard.press("Tab")  # the skip link
    search = page.get_by_role("searchbox", name="Filter teams")
    search.focus()
    page.keyboard.type("plat")
    expect(page.locator("#team-rows")).not_to_contain_text("Delivery")
    expect(page.locator("#team-rows")).to_contain_text("Platform")
    expect(page).to_have_url(re.compile(r"\?q=plat$"))


def test_static_assets_load(logged_in_page, live_server):
    page = logged_in_page()
    failed = []
    # The browser asks for the favicon by itself and may drop that request when the page
    # reloads under it (net::ERR_ABORTED): that one is not a failure of ours.
    page.on(
        "requestfailed",
        lambda request: (
            None
            if request.url.endswith("/favicon.svg") and "ABORTED" in (request.failure or "")
            else failed.append(f"{request.url} {request.failure}")
        ),
    )
    responses = []
    page.on("response", lambda response: responses.append((response.url, response.status)))
    page.reload()
    page.wait_for_load_state("networkidle")
    assert not failed
    static = {url.rsplit("/", 1)[-1]: status for url, status in responses if "/static/" in url}
    assert static.get("pico.min.css") == 200
    assert static.get("bosun.css") == 200
    # htmx is served by django-htmx and is loaded: the filter box relies on it
    assert page.evaluate("typeof window.htmx") == "object"

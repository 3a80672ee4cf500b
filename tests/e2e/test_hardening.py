"""Browser tests of what a new user met: the phone layout, meeting times, "Mark reviewed",
error pages, the editor's guard and shortcut, two people editing one page, and the
Content-Security-Policy on pages that run scripts (every browser test fails on a violation,
see conftest.csp_violations)."""

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from dateutil.rrule import rrulestr
from django.utils import timezone
from icalendar import Calendar
from playwright.sync_api import expect

from accounts.models import User
from accounts.tests.factories import UserFactory
from handbook.models import Meeting, Membership, Page
from handbook.tests.factories import ContactRouteFactory, MembershipFactory, TeamFactory, make_page
from tests.e2e.helpers import login

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}

WIDE_TABLE = (
    "# Release checklist\n\n"
    "| Step | Owner | When | How | Where it is written down | What to check before moving on |\n"
    "|---|---|---|---|---|---|\n"
    + "| Cut the branch | release-manager | Monday 09:00 | `git switch -c release-2026.12` |"
    " handbook/releases/branching.md | every pipeline on the branch is green |\n" * 6
)


def _scroll_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def test_on_a_phone_no_main_page_scrolls_sideways_and_the_menu_folds(logged_in_page, live_server):
    team = TeamFactory(name="Delivery", slug="delivery", mission="Ship every release on time.")
    for name in ("Inês Duarte", "Kwame Mensah", "Valeria Cruz"):
        MembershipFactory(team=team, user__display_name=name, role=Membership.Role.ENGINEER)
    ContactRouteFactory(team=team)
    Meeting.objects.create(
        team=team,
        name="Planning",
        recurrence="FREQ=WEEKLY;BYDAY=TU",
        start=datetime(2026, 1, 6, 9, tzinfo=UTC),
        timezone="Europe/Berlin",
    )
    make_page("eng/delivery/checklist", WIDE_TABLE, title="Release checklist", team=team)
    page = logged_in_page()
    page.set_viewport_size(PHONE)

    for path in (
        "/",
        "/teams/",
        "/people/",
        "/teams/delivery/",
        "/handbook/eng/delivery/checklist",
        "/handbook/?q=branch",
        "/handbook/",
    ):
        page.goto(f"{live_server.url}{path}")
        expect(page.locator("main")).to_be_visible()
        assert _scroll_width(page) <= PHONE["width"], f"{path} scrolls sideways"

    # The wide table scrolls inside its own box instead.
    page.goto(f"{live_server.url}/handbook/eng/delivery/checklist")
    table = page.locator(".markdown-body table")
    assert table.evaluate("t => t.scrollWidth > t.clientWidth")
    assert table.evaluate("t => getComputedStyle(t).overflowX") == "auto"

    # The menu folds behind a button; opening it shows the search and "Log out".
    menu = page.locator("#main-menu")
    button = page.get_by_role("button", name="Menu")
    expect(menu).to_be_hidden()
    expect(button).to_have_attribute("aria-expanded", "false")
    button.click()
    expect(button).to_have_attribute("aria-expanded", "true")
    expect(menu.get_by_role("searchbox", name="Quick search")).to_be_visible()
    expect(menu.get_by_role("button", name="Log out")).to_be_visible()
    assert _scroll_width(page) <= PHONE["width"]
    page.keyboard.press("Escape")
    expect(menu).to_be_hidden()
    expect(button).to_be_focused()

    # On a desktop the menu is simply there, with no button.
    page.set_viewport_size({"width": 1366, "height": 900})
    expect(menu.get_by_role("link", name="Handbook")).to_be_visible()
    expect(button).to_be_hidden()


def test_the_meeting_time_on_the_team_page_matches_the_ical_file(logged_in_page, live_server):
    team = TeamFactory(name="Delivery", slug="delivery")
    berlin = ZoneInfo("Europe/Berlin")
    Meeting.objects.create(
        team=team,
        name="Planning",
        recurrence="FREQ=WEEKLY;BYDAY=TU",
        start=datetime(2026, 1, 6, 10, tzinfo=berlin),  # 10:00 in Berlin, 09:00 UTC in winter
        timezone="Europe/Berlin",
    )
    page = logged_in_page(timezone="America/New_York")
    page.goto(f"{live_server.url}/teams/delivery/")

    first = page.locator("#meetings time.meeting-time").first
    shown_at = datetime.fromisoformat(first.get_attribute("datetime"))

    feed = page.request.get(f"{live_server.url}/teams/delivery/meetings.ics")
    assert feed.ok
    event = Calendar.from_ical(feed.body()).walk("VEVENT")[0]
    dtstart = event.decoded("dtstart")
    assert dtstart.tzinfo.key == "Europe/Berlin" and (dtstart.hour, dtstart.minute) == (10, 0)
    rule = rrulestr(event["rrule"].to_ical().decode(), dtstart=dtstart.replace(tzinfo=None))
    local_now = timezone.now().astimezone(berlin).replace(tzinfo=None)
    next_from_feed = rule.after(local_now).replace(tzinfo=berlin)

    assert shown_at == next_from_feed
    day = f"{next_from_feed:%a} {next_from_feed.day} {next_from_feed:%b}"
    expect(first).to_have_text(f"{day}, 10:00 Europe/Berlin")
    in_new_york = next_from_feed.astimezone(ZoneInfo("America/New_York"))
    viewer = page.locator("#meetings .viewer-time").first
    expect(viewer).to_have_text(f"({in_new_york:%a %H:%M} your time)")


def test_mark_reviewed_works_with_the_date_it_proposes(logged_in_page, live_server):
    team = TeamFactory(name="Delivery", slug="delivery")
    make_page(
        "eng/delivery/old",
        "# Old\n\nStill true?\n",
        title="Old",
        team=team,
        review_by=timezone.localdate() - timedelta(days=3),
    )
    page = logged_in_page(username="reviewer")
    MembershipFactory(team=team, user=User.objects.get(username="reviewer"))
    page.goto(f"{live_server.url}/handbook/eng/delivery/old")

    banner = page.get_by_role("status").filter(has_text="may be out of date")
    proposed = banner.get_by_label("Next review").input_value()
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", proposed), proposed
    banner.get_by_role("button", name="Mark reviewed").click()

    expect(page.get_by_role("status").filter(has_text="Marked as reviewed.")).to_be_visible()
    expect(page.get_by_text("may be out of date")).to_have_count(0)
    assert Page.objects.get(path="eng/delivery/old").review_by.isoformat() == proposed


def test_403_and_404_pages_carry_the_site_navigation(logged_in_page, live_server):
    owners = TeamFactory(name="Delivery", slug="delivery")
    make_page("eng/delivery/private", "# Ours\n", title="Ours", team=owners)
    page = logged_in_page()  # a member of no team

    response = page.goto(f"{live_server.url}/teams/no-such-team/")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Nothing at this address")
    expect(page.get_by_text("No such team.")).to_be_visible()
    main_menu = page.get_by_role("navigation", name="Main")
    expect(main_menu.get_by_role("link", name="Handbook")).to_be_visible()
    expect(page.get_by_role("searchbox", name="Search the handbook instead")).to_be_visible()

    response = page.goto(f"{live_server.url}/handbook/-/edit/eng/delivery/private")
    assert response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("You may not do this")
    expect(page.get_by_role("main")).to_contain_text("Delivery")  # says whose page it is
    expect(main_menu.get_by_role("link", name="Teams")).to_be_visible()


def test_the_editor_asks_before_cancel_and_saves_with_ctrl_s(logged_in_page, live_server):
    team = TeamFactory(name="Delivery", slug="delivery")
    make_page("eng/delivery/notes", "# Notes\n\nFirst line.\n", title="Notes", team=team)
    page = logged_in_page(username="writer")
    MembershipFactory(team=team, user=User.objects.get(username="writer"))
    page.goto(f"{live_server.url}/handbook/-/edit/eng/delivery/notes")

    # Nothing typed yet: Cancel leaves without asking.
    page.get_by_role("button", name="Cancel").click()
    expect(page).to_have_url(f"{live_server.url}/handbook/eng/delivery/notes")
    page.go_back()

    editor = page.get_by_label("Markdown")
    editor.focus()
    page.keyboard.press("Control+End")
    page.keyboard.type("Second line, typed.\n")
    asked = []

    def refuse(dialog):
        asked.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", refuse)
    page.get_by_role("button", name="Cancel").click()
    assert asked and "Leave without saving" in asked[0]
    expect(page).to_have_url(f"{live_server.url}/handbook/-/edit/eng/delivery/notes")
    expect(editor).to_have_value(re.compile("Second line, typed."))

    page.keyboard.press("Control+s")
    expect(page).to_have_url(f"{live_server.url}/handbook/eng/delivery/notes")
    expect(page.get_by_role("status").filter(has_text="Page saved.")).to_be_visible()
    assert "Second line, typed." in Page.objects.get(path="eng/delivery/notes").markdown


def test_two_people_editing_one_page_lose_nothing(page, browser, live_server, transactional_db):
    team = TeamFactory(name="Delivery", slug="delivery")
    text = "# Plan\n\nIntro.\n\n## Monday\n\nPlanning.\n\n## Friday\n\nRetro.\n"
    make_page("eng/delivery/plan", text, title="Plan", team=team)
    for username in ("ana", "ben"):
        MembershipFactory(team=team, user=UserFactory(username=username))
    edit = f"{live_server.url}/handbook/-/edit/eng/delivery/plan"

    ana = page
    login(ana, live_server, "ana")
    ana.goto(edit)
    ben_context = browser.new_context()
    ben = ben_context.new_page()
    login(ben, live_server, "ben")
    ben.goto(edit)

    ana.get_by_label("Markdown").fill(text.replace("Planning.", "Planning, with the PM."))
    ana.get_by_role("button", name="Save page").click()
    expect(ana.get_by_role("status").filter(has_text="Page saved.")).to_be_visible()

    ben_text = text.replace("Retro.", "Retro, then lunch.")
    ben.get_by_label("Markdown").fill(ben_text)
    ben.get_by_role("button", name="Save page").click()

    # Nothing saved over Ana's version: the conflict is shown, with Ben's own text kept.
    alert = ben.get_by_role("alert").filter(has_text="Someone saved this page")
    expect(alert).to_be_visible()
    expect(ben.locator("#conflict-mine")).to_have_value(ben_text)
    merged = ben.get_by_label("Markdown")
    expect(merged).to_have_value(re.compile(r"Planning, with the PM\.[\s\S]*Retro, then lunch\."))
    assert "Retro, then lunch." not in Page.objects.get(path="eng/delivery/plan").markdown

    ben.get_by_role("button", name="Save page").click()
    expect(ben.get_by_role("status").filter(has_text="Page saved.")).to_be_visible()
    saved = Page.objects.get(path="eng/delivery/plan").markdown
    assert "Planning, with the PM." in saved and "Retro, then lunch." in saved
    ben_context.close()


def test_pages_with_scripts_run_under_the_content_security_policy(
    page, live_server, transactional_db
):
    from accounts.tests.factories import AdminFactory

    AdminFactory(username="staff")
    TeamFactory(name="Delivery", slug="delivery")
    make_page("eng/delivery/index", "# Delivery\n\n- [x] done\n", title="Delivery")
    login(page, live_server, "staff")

    response = page.goto(f"{live_server.url}/handbook/eng/delivery/index")
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy

    # The API docs (Swagger UI) draw the whole schema with scripts.
    page.goto(f"{live_server.url}/api/v1/docs/")
    expect(page.locator(".swagger-ui .opblock").first).to_be_visible(timeout=15000)
    # The admin, and the account page with its copy buttons.
    page.goto(f"{live_server.url}/admin/handbook/page/")
    expect(page.get_by_role("link", name="eng/delivery/index")).to_be_visible()
    page.goto(f"{live_server.url}/admin/handbook/team/add/")
    expect(page.get_by_role("heading", name="Add team")).to_be_visible()
    page.goto(f"{live_server.url}/account/")
    page.get_by_role("button", name=re.compile("calendar token", re.I)).first.click()
    expect(page.get_by_role("button", name="Copy").first).to_be_visible()
    # htmx's live preview and search run too (the indicator styles come from our CSS).
    page.goto(f"{live_server.url}/handbook/")
    page.get_by_role("main").get_by_role("searchbox").fill("delivery")
    expect(page.locator("#search-results").get_by_role("link", name="Delivery")).to_be_visible()

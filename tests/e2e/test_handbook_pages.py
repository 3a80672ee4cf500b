"""Browser tests of the handbook: search, read, follow links, edit with preview, history,
hostile markdown, broken links, keyboard use and stale pages."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import User
from handbook.tests.factories import MembershipFactory, TeamFactory, make_page

pytestmark = pytest.mark.browser

USERNAME = "dana.reyes"


@pytest.fixture
def member_page(logged_in_page):
    """A logged-in browser page whose user is a member of the Delivery team."""

    def login(team):
        page = logged_in_page(username=USERNAME, display_name="Dana Reyes")
        MembershipFactory(team=team, user=User.objects.get(username=USERNAME))
        return page

    return login


def test_search_open_follow_a_link_edit_with_preview_and_see_history(member_page, live_server):
    team = TeamFactory(name="Delivery", slug="delivery")
    make_page(
        "eng/delivery/index",
        "# Delivery\n\nThe release train leaves every Tuesday.\n\n"
        "Who answers questions is in [our processes](processes.md#support-rotation).\n",
        title="Delivery",
        team=team,
    )
    make_page(
        "eng/delivery/processes",
        "# Processes\n\n## Planning\n\nWe plan on Mondays.\n\n"
        + "Filler paragraph to push the next section below the fold.\n\n" * 40
        + "## Support rotation\n\nOne engineer answers support questions each week.\n",
        title="Delivery processes",
        team=team,
    )
    page = member_page(team)

    # Search from the handbook's own search box, by keyboard, with htmx swapping the results.
    page.goto(f"{live_server.url}/handbook/")
    search = page.get_by_role("main").get_by_role("searchbox", name="Search the handbook")
    search.focus()
    page.keyboard.type("train")
    results = page.locator("#search-results")
    expect(results.get_by_role("heading")).to_have_text("Results for “train”")
    expect(page).to_have_url(re.compile(r"/handbook/\?q=train$"))
    expect(results.get_by_role("listitem")).to_have_count(1)
    expect(results.locator("mark")).to_have_text("train")
    results.get_by_role("link", name="Delivery").click()

    # The page, and its relative link to a section of a sibling page.
    expect(page).to_have_url(f"{live_server.url}/handbook/eng/delivery/index")
    expect(page.get_by_role("heading", name="Delivery", level=1)).to_be_visible()
    page.get_by_role("link", name="our processes").click()
    expect(page).to_have_url(f"{live_server.url}/handbook/eng/delivery/processes#support-rotation")
    heading = page.get_by_role("heading", name=re.compile(r"^Support rotation"), level=2)
    expect(heading).to_be_visible()
    expect(heading).to_be_in_viewport()

    # Edit: the live preview renders the new text before anything is saved.
    page.get_by_role("button", name="Edit", exact=True).click()  # a link styled as a button
    expect(page).to_have_url(f"{live_server.url}/handbook/-/edit/eng/delivery/processes")
    preview = page.locator("#preview")
    expect(preview).to_contain_text("One engineer answers support questions")  # initial render
    editor = page.get_by_label("Markdown")
    editor.focus()
    page.keyboard.press("Control+End")
    page.keyboard.type("\nThe rotation is **mandatory** for everyone.\n")
    expect(preview.locator("strong")).to_have_text("mandatory")
    expect(preview).to_contain_text("The rotation is mandatory for everyone.")
    expect(preview).not_to_contain_text("**")
    expect(page).to_have_url(f"{live_server.url}/handbook/-/edit/eng/delivery/processes")
    page.get_by_role("button", name="Save page").click()

    # Saved: back on the page, with the new text and a status message.
    expect(page).to_have_url(f"{live_server.url}/handbook/eng/delivery/processes")
    expect(page.get_by_role("status").filter(has_text="Page saved.")).to_be_visible()
    body = page.locator(".markdown-body")
    expect(body.locator("strong")).to_have_text("mandatory")
    expect(body).to_contain_text("The rotation is mandatory for everyone.")

    # History: two revisions, the newest by the editor; its changes show the added line.
    page.get_by_role("button", name="History").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("History of “Delivery processes”")
    rows = page.locator("#revisions tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("Dana Reyes")
    expect(rows.last).to_contain_text("Created")
    rows.first.get_by_role("link", name="Show changes").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Changes on")
    diff = page.locator("#diff")
    added = diff.locator(".diff-added", has_text="The rotation is **mandatory** for everyone.")
    expect(added).to_be_visible()
    expect(added).to_contain_text("Added")  # said in words, not only in colour
    expect(diff.locator(".diff-removed")).to_have_count(0)  # nothing was taken away
    expect(page.get_by_text("2 lines added · 0 lines removed")).to_be_visible()
    # The newest revision is what the page says now: nothing to restore.
    expect(page.get_by_role("button", name="Restore this revision")).to_have_count(0)

    # Restore the first revision: the added line goes, as a new revision.
    page.go_back()
    rows.last.get_by_role("link", name="Show changes").click()
    page.get_by_role("button", name="Restore this revision").click()
    expect(page).to_have_url(f"{live_server.url}/handbook/eng/delivery/processes")
    expect(page.get_by_role("status").filter(has_text="Revision restored.")).to_be_visible()
    expect(body).not_to_contain_text("The rotation is mandatory")
    page.get_by_role("button", name="History").click()
    expect(rows).to_have_count(3)
    expect(rows.first).to_contain_text("Restored the revision of")


def test_the_top_navigation_search_finds_a_page(member_page, live_server):
    team = TeamFactory(name="Delivery", slug="delivery")
    make_page("eng/delivery/oncall", "# On call\n\nPager duty starts at nine.\n", team=team)
    make_page("eng/delivery/holidays", "# Holidays\n\nBook them early.\n", team=team)
    page = member_page(team)

    page.get_by_role("navigation", name="Main").get_by_role("searchbox").fill("pager")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/handbook/\?q=pager$"))
    results = page.locator("#search-results")
    expect(results.get_by_role("listitem")).to_have_count(1)
    expect(results).to_contain_text("eng/delivery/oncall")
    expect(results).not_to_contain_text("holidays")


XSS_MARKDOWN = """# Hostile page

<script>window.__xss=1</script>

<img src=x onerror="window.__xss=2">

[click](javascript:window.__xss=3)

<iframe src="javascript:window.__xss=4"></iframe>

<svg onload="window.__xss=5"></svg>

<img src=y onerror="alert('xss')">

<a href="javascript:alert('xss')">raw link</a>

Harmless closing words.
"""


def _assert_inert(page, container, dialogs):
    """Nothing in `container` can run script, and nothing ran."""
    expect(container).to_contain_text("Harmless closing words.")
    for selector in ("script", "iframe", "svg", "object", "embed"):
        expect(container.locator(selector)).to_have_count(0)
    for attribute in ("onerror", "onload", "onclick"):
        expect(container.locator(f"[{attribute}]")).to_have_count(0)
    expect(container.locator('[href^="javascript" i]')).to_have_count(0)
    expect(container.locator('[src^="javascript" i]')).to_have_count(0)
    # Broken images have had their chance to fire onerror by the time the load event is over.
    page.wait_for_load_state("load")
    assert page.evaluate("window.__xss") is None

    # markdown-it leaves `[click](javascript:...)` as text; the raw <a> loses its href.
    for text in ("click", "raw link"):
        link = container.get_by_text(text).first
        expect(link).to_be_visible()
        url = page.url
        link.click()
        assert page.url == url
        assert page.evaluate("window.__xss") is None
    assert dialogs == []


def test_hostile_markdown_runs_no_script_on_the_page_or_in_the_preview(member_page, live_server):
    team = TeamFactory(name="Delivery", slug="delivery")
    make_page("eng/delivery/hostile", XSS_MARKDOWN, title="Hostile", team=team)
    page = member_page(team)
    dialogs = []

    def on_dialog(dialog):
        if dialog.type == "beforeunload":  # the editor asks before unsaved text is left
            dialog.accept()
            return
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)

    page.goto(f"{live_server.url}/handbook/eng/delivery/hostile")
    expect(page.get_by_role("heading", name=re.compile("^Hostile page"))).to_be_visible()
    _assert_inert(page, page.locator(".markdown-body"), dialogs)

    # The same markdown rendered by the live preview (on load), then typed anew.
    page.goto(f"{live_server.url}/handbook/-/edit/eng/delivery/hostile")
    preview = page.locator("#preview")
    _assert_inert(page, preview, dialogs)
    editor = page.get_by_label("Markdown")
    editor.fill("")
    editor.focus()
    page.keyboard.type('<img src=z onerror="window.__xss=6">\n\n<b>Typed</b> and done.\n')
    expect(preview.locator("b")).to_have_text("Typed")
    expect(preview.locator("[onerror]")).to_have_count(0)
    page.wait_for_load_state("load")
    assert page.evaluate("window.__xss") is None

    # Search results quote the page's text: still inert.
    page.goto(f"{live_server.url}/handbook/?q=harmless")
    results = page.locator("#search-results")
    expect(results.get_by_role("link", name="Hostile")).to_be_visible()
    expect(results.locator("script, iframe, svg, img, [onerror], [onload]")).to_have_count(0)
    assert page.evaluate("window.__xss") is None
    assert dialogs == []


def test_the_edit_preview_resolves_relative_links_like_the_page(member_page, live_server):
    team = TeamFactory(name="Delivery", slug="delivery")
    make_page("eng/delivery/processes", "# Processes\n\n## Support rotation\n", team=team)
    make_page(
        "eng/delivery/index",
        "# Delivery\n\nSee [our processes](processes.md#support-rotation).\n",
        title="Delivery",
        team=team,
    )
    page = member_page(team)

    page.goto(f"{live_server.url}/handbook/eng/delivery/index")
    link = page.locator(".markdown-body").get_by_role("link", name="our processes")
    expect(link).to_have_attribute("href", "/handbook/eng/delivery/processes#support-rotation")
    expect(link).not_to_have_class(re.compile(r"\bbroken-link\b"))

    page.goto(f"{live_server.url}/handbook/-/edit/eng/delivery/index")
    link = page.locator("#preview").get_by_role("link", name="our processes")
    expect(link).to_be_visible()
    expect(link).not_to_have_class(re.compile(r"\bbroken-link\b"), timeout=2000)
    expect(link).to_have_attribute(
        "href", "/handbook/eng/delivery/processes#support-rotation", timeout=2000
    )


def test_a_broken_link_is_flagged_on_the_page(member_page, live_server):
    team = TeamFactory(name="Delivery", slug="delivery")
    make_page("eng/delivery/here", "# Here\n\n", title="Here", team=team)
    make_page(
        "eng/delivery/links",
        "# Links\n\nThis one is [gone](missing.md), this one [works](here.md).\n",
        title="Links",
        team=team,
    )
    page = member_page(team)

    page.goto(f"{live_server.url}/handbook/eng/delivery/links")
    banner = page.locator(".banner-broken")
    expect(banner).to_be_visible()
    expect(banner).to_contain_text("1 broken link on this page is marked like this")
    gone = page.locator(".markdown-body").get_by_role("link", name="gone")
    expect(gone).to_have_class(re.compile(r"\bbroken-link\b"))
    expect(gone).to_have_attribute("title", re.compile("no page eng/delivery/missing"))
    works = page.locator(".markdown-body").get_by_role("link", name="works")
    expect(works).not_to_have_class(re.compile(r"\bbroken-link\b"))
    works.click()
    expect(page).to_have_url(f"{live_server.url}/handbook/eng/delivery/here")
    expect(page.locator(".banner-broken")).to_have_count(0)


def test_the_skip_link_is_the_first_tab_stop_and_jumps_to_the_content(member_page, live_server):
    team = TeamFactory(name="Delivery", slug="delivery")
    make_page("eng/delivery/guide", "# Guide\n\nRead [this](#guide).\n", title="Guide", team=team)
    page = member_page(team)

    page.goto(f"{live_server.url}/handbook/eng/delivery/guide")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()  # shown on focus, not left off-screen
    page.keyboard.press("Enter")
    page.wait_for_function("location.hash === '#main'")
    expect(page).to_have_url(f"{live_server.url}/handbook/eng/delivery/guide#main")
    # The next Tab continues inside the main content, not in the header's navigation.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('#main') !== null")
    assert page.evaluate("document.activeElement.closest('header') === null")


def test_marking_a_stale_page_reviewed_removes_the_banner(member_page, live_server):
    team = TeamFactory(name="Delivery", slug="delivery")
    today = timezone.localdate()
    make_page(
        "eng/delivery/runbook",
        "# Runbook\n\nRestart the thing.\n",
        title="Runbook",
        team=team,
        review_by=today - timedelta(days=3),
    )
    page = member_page(team)

    page.goto(f"{live_server.url}/handbook/eng/delivery/runbook")
    banner = page.locator(".banner-stale")
    expect(banner).to_contain_text("This page may be out of date.")
    expect(banner).to_contain_text(f"due for review on {(today - timedelta(days=3)):%-d %b %Y}")
    next_review = today + timedelta(days=90)
    banner.get_by_label("Next review").fill(next_review.isoformat())
    banner.get_by_role("button", name="Mark reviewed").click()

    expect(page.get_by_role("status").filter(has_text="Marked as reviewed.")).to_be_visible()
    expect(page.locator(".banner-stale")).to_have_count(0)
    expect(page.get_by_text("may be out of date")).to_have_count(0)
    expect(page.locator(".page-meta")).to_contain_text(f"Review by {next_review:%-d %b %Y}")

"""Browser test of the releases' pages: the month calendar, the next month (htmx, by
keyboard, with the address following), a release's page and a checklist item ticked by
keyboard, still ticked after a reload. Both pages are looked at at a laptop's and a phone's
width (the page itself never wider than the screen: the month grid scrolls inside its own
focusable box); with SHOTS=/tmp/shots-releases set, screenshots are saved as
<SHOTS>-<page>-<width>.png.

Pages run on the real clock (a live server thread has no time machine): the train is planned
from today, and what the page should show is worked out here from today."""

import os
from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.tests.factories import UserFactory
from handbook.models import Membership
from handbook.tests.factories import MembershipFactory, TeamFactory
from releases import services
from releases.models import ChecklistItem, ChecklistTemplateItem, Release
from releases.tests.factories import ON_OR_BEFORE_16TH, make_train
from tests.e2e.helpers import login

pytestmark = pytest.mark.browser

BERLIN = ZoneInfo("Europe/Berlin")  # the people's zone (UserFactory) and the train's
WIDTHS = {"1366": (1366, 900), "390": (390, 844)}


def _next_month(day: date) -> date:
    return (day.replace(day=1) + timedelta(days=32)).replace(day=1)


@pytest.fixture
def releases(transactional_db):
    team = TeamFactory(name="Delivery", slug="delivery")
    rita = UserFactory(username="rita", display_name="Rita Release")
    MembershipFactory(team=team, user=rita, role=Membership.Role.ENGINEER)
    train = make_train(
        team=team, rule=ON_OR_BEFORE_16TH, name="Self-managed", first_version="18.0.0"
    )
    cloud = make_train(
        team=team, rule="FREQ=WEEKLY;BYDAY=TH", name="Cloud", kind="cloud", first_version="5.0.0"
    )
    ChecklistTemplateItem.objects.create(train=train, title="Cut the branch", position=0)
    ChecklistTemplateItem.objects.create(train=train, title="Announce it", position=1)
    today = timezone.now().astimezone(BERLIN).date()
    until = _next_month(_next_month(today)) - timedelta(days=1)
    services.train_plan(train=train, since=today.replace(day=1), until=until)
    services.train_plan(train=cloud, since=today.replace(day=1), until=until)
    following = _next_month(today)
    release = Release.objects.get(
        train=train, release_date__year=following.year, release_date__month=following.month
    )
    return today, release


def _shots(page, name):
    for width, size in WIDTHS.items():
        page.set_viewport_size({"width": size[0], "height": size[1]})
        # Nothing wider than the screen: a wide part scrolls inside its own box.
        assert page.evaluate("document.documentElement.scrollWidth") <= size[0], (name, width)
        if os.environ.get("SHOTS"):
            page.screenshot(path=f"{os.environ['SHOTS']}-{name}-{width}.png", full_page=True)
    page.set_viewport_size({"width": 1366, "height": 900})


def test_the_calendar_leads_to_a_release_whose_checklist_is_ticked_by_keyboard(
    page, live_server, releases
):
    today, release = releases
    following = _next_month(today)
    login(page, live_server, "rita")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Releases").click()
    expect(page.get_by_role("heading", name="Releases", level=1)).to_be_visible()
    expect(page.locator("#month-heading")).to_have_text(f"{today:%B %Y}")
    grid = page.get_by_role("table", name=f"Releases and milestones in {today:%B %Y}")
    expect(grid).to_be_visible()
    expect(grid.locator("thead th")).to_have_text(["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"])
    expect(grid.locator('[aria-current="date"]')).to_have_attribute("data-date", today.isoformat())
    expect(page.get_by_role("heading", name="Upcoming deadlines")).to_be_visible()
    _shots(page, "calendar")

    # By keyboard, with htmx: only the calendar is fetched (the page is not reloaded), the
    # address follows, and the focus stays on the link for the next month.
    page.evaluate("window.sameDocument = true")
    page.get_by_role("link", name=f"{following:%B %Y} →").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#month-heading")).to_have_text(f"{following:%B %Y}")
    expect(page).to_have_url(f"{live_server.url}/releases/?month={following:%Y-%m}")
    assert page.evaluate("window.sameDocument") is True
    after = _next_month(following)
    expect(page.get_by_role("link", name=f"{after:%B %Y} →")).to_be_focused()
    cell = page.locator(f'td[data-date="{release.release_date.isoformat()}"]')
    link = cell.get_by_role("link", name=f"{release.version} Self-managed")
    expect(link).to_be_visible()
    expect(cell).to_contain_text("Self-managed")  # the kind in words too
    link.click()

    expect(page.get_by_role("heading", name=f"Self-managed {release.version}")).to_be_visible()
    expect(page.get_by_role("heading", name="Milestones")).to_be_visible()
    announce = page.get_by_role("checkbox", name="Announce it")
    expect(announce).to_have_attribute("aria-checked", "false")
    announce.focus()
    page.keyboard.press("Space")
    expect(page.get_by_role("status")).to_contain_text("“Announce it” ticked.")
    ticked = page.get_by_role("checkbox", name="Announce it")
    expect(ticked).to_have_attribute("aria-checked", "true")
    expect(page.locator("#checklist")).to_contain_text("ticked by Rita Release")
    # The swap keeps the focus on the box ticked: a second Space unticks it.
    expect(ticked).to_be_focused()
    _shots(page, "release")

    page.reload()
    expect(page.get_by_role("checkbox", name="Announce it")).to_have_attribute(
        "aria-checked", "true"
    )
    item = ChecklistItem.objects.get(release=release, title="Announce it")
    assert item.done_by.username == "rita" and item.done_at is not None
    expect(page.get_by_role("checkbox", name="Cut the branch")).to_have_attribute(
        "aria-checked", "false"
    )

"""Browser tests of the rota pages: who is on call now and the coming weeks, an override added
through the page and seen the same by the page, the API and the calendar feed, the page by
keyboard alone, and what someone from another team is (not) offered.

Pages run on the real clock (a live server thread has no time machine): the rota starts weeks
before now, and what the page should say is worked out here from now, not by the engine."""

import re
from datetime import date, datetime, time, timedelta
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from icalendar import Calendar
from playwright.sync_api import expect

from accounts.services import calendar_token_create_or_rotate
from accounts.tests.factories import UserFactory
from handbook.models import Membership
from handbook.tests.factories import MembershipFactory, TeamFactory
from rotations.models import Override
from rotations.tests.factories import make_rotation, role
from tests.e2e.helpers import login

pytestmark = pytest.mark.browser

BERLIN = ZoneInfo("Europe/Berlin")
HANDOFF = time(9)  # Mondays, Europe/Berlin
WEEK = timedelta(weeks=1)
LOCAL_INPUT = "%Y-%m-%dT%H:%M"


def _first_monday_on_or_after(day: date) -> date:
    return day + timedelta(days=(7 - day.weekday()) % 7)


class Rota:
    """SRE's support rota: Primary rotates Ana and Ben weekly, Backup is Carl; Dana (an
    engineer of the team) is in no role, Lena leads the team."""

    def __init__(self):
        self.team = TeamFactory(name="SRE", slug="sre")
        self.lead = UserFactory(username="lena", display_name="Lena Lead")
        MembershipFactory(team=self.team, user=self.lead, role=Membership.Role.LEAD)
        self.ana = UserFactory(username="ana", display_name="Ana Alves")
        self.ben = UserFactory(username="ben", display_name="Ben Brook")
        self.carl = UserFactory(username="carl", display_name="Carl Casey")
        self.dana = UserFactory(username="dana", display_name="Dana Dale")
        MembershipFactory(team=self.team, user=self.dana)
        today = timezone.now().astimezone(BERLIN).date()
        self.start = today - timedelta(weeks=8)
        self.rotation = make_rotation(
            team=self.team,
            name="Support",
            roles=[
                role("Primary", [self.ana, self.ben], start=self.start),
                role("Backup", [self.carl], start=self.start),
            ],
        )
        self.first_handoff = datetime.combine(
            _first_monday_on_or_after(self.start), HANDOFF, tzinfo=BERLIN
        )

    def primary_at(self, moment: datetime):
        """Who the rota (no override) puts on Primary at `moment`, and until when."""
        local = moment.astimezone(BERLIN).replace(tzinfo=None)
        weeks = (local - self.first_handoff.replace(tzinfo=None)) // WEEK
        person = (self.ana, self.ben)[weeks % 2]
        until = datetime.combine(
            self.first_handoff.date() + (weeks + 1) * WEEK, HANDOFF, tzinfo=BERLIN
        )
        return person, until

    @property
    def url(self):
        return f"/rotations/{self.rotation.pk}/"


@pytest.fixture
def rota(transactional_db):
    return Rota()


def _card(page, name):
    return page.locator("#rota-live").get_by_role("article", name=name)


def test_the_rota_page_shows_who_is_on_call_and_the_coming_weeks(page, live_server, rota):
    now = timezone.now()
    primary, until = rota.primary_at(now)
    login(page, live_server, "dana")
    page.goto(f"{live_server.url}{rota.url}")
    expect(page.get_by_role("heading", name="Support", level=1)).to_be_visible()

    card = _card(page, "Primary")
    expect(card).to_contain_text(primary.name)
    expect(card.get_by_role("link", name=primary.email)).to_have_attribute(
        "href", f"mailto:{primary.email}"
    )
    expect(card).to_contain_text(f"@{primary.username}")
    shown_until = datetime.fromisoformat(card.locator("time").get_attribute("datetime"))
    assert shown_until == until
    expect(card).to_contain_text(f"until {until:%a} {until.day} {until:%b}, 09:00")
    backup = _card(page, "Backup")
    expect(backup).to_contain_text("Carl Casey")
    expect(backup.get_by_role("link", name="carl@example.com")).to_be_visible()

    grid = page.get_by_role("table", name=re.compile("Who holds each role"))
    headers = grid.locator("thead th")
    expect(headers).to_have_text(["Week of", "Primary", "Backup"])
    rows = grid.locator("tbody tr")
    expect(rows).to_have_count(12)
    monday = now.astimezone(BERLIN).date() - timedelta(days=now.astimezone(BERLIN).weekday())
    for week in range(12):
        row = rows.nth(week)
        week_of = monday + week * WEEK
        expect(row.get_by_role("rowheader")).to_have_text(f"{week_of.day} {week_of:%b}")
        # From the Monday handoff on, the week is the person the rota puts on Primary then.
        holder, _ = rota.primary_at(datetime.combine(week_of, time(12), tzinfo=BERLIN))
        expect(row.locator("td").nth(0)).to_contain_text(holder.name)
        expect(row.locator("td").nth(1)).to_contain_text("Carl Casey")


def _api(page, live_server, path, **query):
    response = page.request.get(f"{live_server.url}{path}?{urlencode(query)}")
    assert response.status == 200, response.text()
    return response.json()


def _utc(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def test_an_override_added_on_the_page_is_what_the_api_and_the_feed_say(page, live_server, rota):
    # Dana covers Primary from now (this minute, in the rota's zone) for two days.
    start = timezone.now().astimezone(BERLIN).replace(second=0, microsecond=0)
    end = start + timedelta(days=2)
    login(page, live_server, "lena")
    page.goto(f"{live_server.url}{rota.url}")
    form = page.locator("#override-form")
    form.get_by_label("Role").select_option(label="Primary")
    form.get_by_label("Who covers").select_option(label="Dana Dale (dana)")
    form.get_by_label("From").fill(start.strftime(LOCAL_INPUT))
    form.get_by_label("Until").fill(end.strftime(LOCAL_INPUT))
    form.get_by_label("Reason").fill("Ana's holiday")
    form.get_by_role("button", name="Add override").click()

    # The page: the message, Dana on call for Primary (covering) until the override ends,
    # and the override in the list.
    live = page.locator("#rota-live")
    expect(live.get_by_role("status")).to_contain_text("Dana Dale covers Primary: override added")
    card = _card(page, "Primary")
    expect(card).to_contain_text("Dana Dale")
    expect(card).to_contain_text("covering")
    expect(card.get_by_role("link", name="dana@example.com")).to_be_visible()
    assert datetime.fromisoformat(card.locator("time").get_attribute("datetime")) == end
    row = page.locator("#override-list tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Dana Dale")
    expect(row).to_contain_text(f"{start:%a} {start.day} {start:%b}, {start:%H:%M}")
    expect(row).to_contain_text(f"{end:%a} {end.day} {end:%b}, {end:%H:%M}")
    expect(row).to_contain_text("Ana's holiday")
    [override] = Override.objects.all()
    assert (override.user, override.start, override.end) == (rota.dana, start, end)
    # After a reload too (not only in the swapped part).
    page.reload()
    expect(_card(page, "Primary")).to_contain_text("Dana Dale")
    expect(page.locator("#rota-grid tbody tr").first).to_contain_text("Dana Dale (covering)")

    # The API, with the page's session: Dana an hour from now; and the shifts have her
    # stretch over exactly the override, between the rota's.
    api = f"/api/v1/rotations/{rota.rotation.pk}"
    soon = start + timedelta(hours=1)
    oncall = _api(page, live_server, f"{api}/oncall/", at=soon.isoformat())
    primary = next(entry for entry in oncall["roles"] if entry["role"] == "Primary")
    assert (primary["username"], primary["source"]) == ("dana", "override")
    assert (_utc(primary["start"]), _utc(primary["end"])) == (start, end)
    before, _ = rota.primary_at(start - timedelta(minutes=1))
    after, _ = rota.primary_at(end + timedelta(minutes=1))
    shifts = _api(
        page,
        live_server,
        f"{api}/shifts/",
        start=(start - timedelta(hours=1)).isoformat(),
        end=(end + timedelta(hours=1)).isoformat(),
    )
    stretches = [
        (entry["username"], _utc(entry["start"]), _utc(entry["end"]))
        for entry in shifts
        if entry["role"] == "Primary"
    ]
    assert ("dana", start, end) in stretches
    assert stretches[0][0] == before.username
    assert stretches[-1][0] == after.username

    # The rota's feed, read as a calendar app does (a token, no session).
    token = calendar_token_create_or_rotate(user=rota.lead).token
    feed = page.context.request.get(
        f"{live_server.url}{rota.url}shifts.ics?{urlencode({'token': token})}",
        headers={"Cookie": ""},
    )
    assert feed.status == 200
    events = [
        event
        for event in Calendar.from_ical(feed.body()).walk("VEVENT")
        if str(event["summary"]) == "Primary: Dana Dale (covering)"
    ]
    assert [(e.decoded("dtstart"), e.decoded("dtend")) for e in events] == [(start, end)]


def test_an_override_with_a_mistake_shows_why_on_the_form(page, live_server, rota):
    login(page, live_server, "lena")
    page.goto(f"{live_server.url}{rota.url}")
    form = page.locator("#override-form")
    form.get_by_label("Who covers").select_option(label="Dana Dale (dana)")
    tomorrow = timezone.now().astimezone(BERLIN) + timedelta(days=1)
    form.get_by_label("From").fill(tomorrow.strftime(LOCAL_INPUT))
    form.get_by_label("Until").fill((tomorrow - timedelta(hours=2)).strftime(LOCAL_INPUT))
    form.get_by_role("button", name="Add override").click()
    error = page.locator("#override-form").get_by_role("alert")
    expect(error).to_have_text("The override must end after it starts.")
    # What was typed stays, to be corrected.
    expect(page.locator("#override-form").get_by_label("Who covers")).to_have_value("dana")
    assert not Override.objects.exists()


def _tab_to(page, predicate: str, *, limit=60):
    """Press Tab until the focused element satisfies the JS `predicate` (of `el`)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"(() => {{ const el = document.activeElement; return {predicate}; }})()"):
            return
    raise AssertionError(f"Tab never reached an element where {predicate}")


def _type_date_time(page, moment: datetime):
    """Type into the focused datetime-local input as a person does (Chromium, en-US: month,
    day, a six-digit year field, so a key to move on, then hour, minute, AM/PM)."""
    page.keyboard.type(moment.strftime("%m%d%Y"))
    page.keyboard.press("ArrowRight")
    page.keyboard.type(moment.strftime("%I%M"))
    page.keyboard.type(moment.strftime("%p")[0])


def test_the_grid_and_the_override_form_work_by_keyboard_alone(page, live_server, rota):
    login(page, live_server, "dana")
    page.goto(f"{live_server.url}{rota.url}")

    # The grid is a table with a caption, column and row headers; its box takes the focus
    # (on a phone it scrolls sideways, by arrow keys once focused).
    grid = page.get_by_role("table", name=re.compile("Who holds each role"))
    expect(grid.get_by_role("columnheader")).to_have_count(3)
    expect(grid.get_by_role("rowheader")).to_have_count(12)
    _tab_to(
        page,
        "el.id === 'rota-live' || el.closest('section')?.id === 'overrides' || "
        "el.getAttribute('role') === 'region'",
    )
    region = page.get_by_role("region", name="Rota grid")
    expect(region).to_be_focused()

    # The override form: Tab to each field, type, Enter.
    start = (timezone.now().astimezone(BERLIN) + timedelta(days=1)).replace(
        hour=10, minute=30, second=0, microsecond=0
    )
    end = start + timedelta(days=1, hours=8)
    _tab_to(page, "el.id === 'id_role'")
    page.keyboard.type("Primary")
    page.keyboard.press("Tab")
    expect(page.locator("#id_person")).to_be_focused()
    page.keyboard.type("Dana")
    page.keyboard.press("Tab")
    expect(page.locator("#id_start")).to_be_focused()
    _type_date_time(page, start)
    _tab_to(page, "el.id === 'id_end'")
    _type_date_time(page, end)
    _tab_to(page, "el.id === 'id_reason'")
    page.keyboard.type("Swap with Ben")
    page.keyboard.press("Enter")

    expect(page.locator("#rota-live").get_by_role("status")).to_contain_text("override added")
    row = page.locator("#override-list tbody tr")
    expect(row).to_contain_text("Dana Dale")
    expect(row).to_contain_text("Swap with Ben")
    [override] = Override.objects.all()
    assert (override.role.name, override.user, override.start, override.end) == (
        "Primary",
        rota.dana,
        start,
        end,
    )

    # Cancelling it, by keyboard too.
    _tab_to(page, "el.getAttribute('aria-label')?.startsWith('Cancel the override of Dana')")
    page.keyboard.press("Enter")
    message = page.locator("#rota-live").get_by_role("status")
    expect(message).to_contain_text("Override cancelled")
    # The button is gone with the override: the focus is on the message, not back at the top.
    expect(message).to_be_focused()
    expect(page.locator("#override-list")).to_have_count(0)
    override.refresh_from_db()
    assert override.cancelled_at is not None


def test_someone_from_another_team_is_offered_no_override_form(page, live_server, rota):
    outsider = UserFactory(username="olga", display_name="Olga Other")
    MembershipFactory(team=TeamFactory(name="Payments"), user=outsider)
    Override.objects.create(
        role=rota.rotation.roles.get(name="Primary"),
        user=rota.dana,
        start=timezone.now() + timedelta(days=1),
        end=timezone.now() + timedelta(days=2),
    )
    login(page, live_server, "olga")
    page.goto(f"{live_server.url}{rota.url}")
    expect(_card(page, "Primary")).to_be_visible()
    expect(page.locator("#override-list")).to_contain_text("Dana Dale")
    expect(page.locator("#override-form")).to_have_count(0)
    expect(page.get_by_role("button", name=re.compile("Add override|Cancel"))).to_have_count(0)
    expect(page.get_by_role("link", name="Edit rota")).to_have_count(0)


PHONE = {"width": 390, "height": 844}


def test_on_a_phone_the_rota_pages_do_not_scroll_sideways(page, live_server, rota):
    Override.objects.create(
        role=rota.rotation.roles.get(name="Primary"),
        user=rota.dana,
        start=timezone.now() + timedelta(days=1),
        end=timezone.now() + timedelta(days=2),
        reason="Ana's holiday",
    )
    login(page, live_server, "ana")
    page.set_viewport_size(PHONE)
    for path in (rota.url, "/rotations/", "/rotations/me/"):
        page.goto(f"{live_server.url}{path}")
        expect(page.locator("main h1")).to_be_visible()
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"{path} scrolls sideways ({width}px)"
    # Who is on call is on screen, not beyond the table's right edge.
    page.goto(f"{live_server.url}/rotations/")
    on_call = page.locator("#oncall-now tbody tr").first.locator("td").nth(2)
    expect(on_call).to_contain_text("@")
    box = on_call.bounding_box()
    assert box["x"] + box["width"] / 2 < PHONE["width"], "who is on call is off screen"


def test_a_rota_without_roles_says_so_and_offers_no_empty_grid_or_form(page, live_server, rota):
    nights = make_rotation(team=rota.team, name="Nights", roles=[])
    login(page, live_server, "lena")
    page.goto(f"{live_server.url}/rotations/{nights.pk}/")
    expect(page.locator("#rota-live")).to_contain_text("This rota has no roles yet.")
    expect(page.get_by_role("link", name="Add one")).to_be_visible()
    expect(page.locator("#rota-grid")).to_have_count(0)
    expect(page.locator("#override-form")).to_have_count(0)

"""The releases' pages: the month calendar (days, navigation, its htmx part, a fixed number of
queries) and a release's page (milestones overdue or done, ticking the checklist plainly and
with htmx, who may, unknown versions)."""

import re
from datetime import UTC, date, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.tests.factories import UserFactory
from handbook.tests.factories import MembershipFactory
from releases import services
from releases.models import ChecklistItem, ChecklistTemplateItem, Release

from .factories import ON_OR_BEFORE_16TH, make_train

pytestmark = pytest.mark.django_db
NOW = datetime(2027, 7, 5, 10, tzinfo=UTC)  # a Monday


@pytest.fixture
def release():
    train = make_train(rule=ON_OR_BEFORE_16TH, name="Self-managed", first_version="17.2.0")
    ChecklistTemplateItem.objects.create(
        train=train, title="Cut the branch", milestone_name="Code freeze", position=0
    )
    ChecklistTemplateItem.objects.create(train=train, title="Announce", position=1)
    services.train_plan(train=train, since=date(2027, 7, 1), until=date(2027, 7, 31), now=NOW)
    return Release.objects.get(train=train)


@pytest.fixture
def member(release):
    person = UserFactory(username="mia", display_name="Mia Member")
    MembershipFactory(team=release.train.team, user=person)
    return person


@pytest.fixture
def member_client(client, member):
    client.force_login(member)
    return client


def _cell(html: str, day: date) -> str:
    found = re.search(rf'data-date="{day.isoformat()}".*?</td>', html, re.S)
    assert found, f"no cell for {day}"
    return found[0]


def test_the_calendar_shows_the_release_and_its_milestones_on_their_days(member_client, release):
    answer = member_client.get("/releases/?month=2027-07")
    assert answer.status_code == 200
    html = answer.content.decode()
    assert "<caption" in html and "July 2027" in html
    day = _cell(html, release.release_date)
    assert release.version in day and release.train.name in day
    assert 'class="event event-release kind-self-managed"' in day
    assert "Self-managed</small>" in day  # the kind in words, not colour alone
    assert f'href="/releases/{release.version}/"' in day
    june = member_client.get("/releases/?month=2027-06").content.decode()
    for milestone in release.milestones.exclude(offset_business_days=0):
        cell = _cell(html if milestone.due.month == 7 else june, milestone.due)
        assert milestone.name in cell and release.version in cell, milestone.name
    # Weeks from Monday: June 28 opens the first row of July 2027.
    assert re.search(r'<tbody>\s*<tr>\s*<td class="day-outside" data-date="2027-06-28"', html)


def test_the_calendar_links_the_months_around_it_with_and_without_htmx(member_client, release):
    html = member_client.get("/releases/?month=2027-01").content.decode()
    assert 'href="?month=2026-12"' in html and 'href="?month=2027-02"' in html
    assert 'href="/releases/metrics/"' in html and 'href="/releases/calendar.ics"' in html
    assert 'hx-get="?month=2027-02"' in html and 'hx-push-url="true"' in html
    part = member_client.get("/releases/?month=2027-07", headers={"HX-Request": "true"})
    text = part.content.decode()
    assert text.lstrip().startswith('<section id="release-calendar"')
    assert "<html" not in text and "Upcoming deadlines" not in text
    assert release.version in text


def test_the_current_month_is_the_viewers_and_a_bad_month_is_a_400(
    member_client, member, release, time_machine
):
    time_machine.move_to(NOW, tick=False)
    html = member_client.get("/releases/").content.decode()
    assert '<h2 id="month-heading">July 2027</h2>' in html
    assert 'aria-current="date"' in _cell(html, date(2027, 7, 5))
    # The coming deadlines: not done, from today on, soonest first.
    upcoming = html.split('id="upcoming-heading"')[1]
    names = re.findall(r'#milestones">([^<]+) · ', upcoming)
    assert names == ["Release approval", "Release"]  # Code freeze was on the 2nd
    # Late on July 31st in UTC is August 1st in Auckland: the viewer's month is August.
    member.timezone = "Pacific/Auckland"
    member.save(update_fields=["timezone"])
    time_machine.move_to(datetime(2027, 7, 31, 20, tzinfo=UTC), tick=False)
    html = member_client.get("/releases/").content.decode()
    assert '<h2 id="month-heading">August 2027</h2>' in html
    for bad in ("2027-13", "nonsense", "1500-01"):
        answer = member_client.get(f"/releases/?month={bad}")
        assert answer.status_code == 400
        assert "is not a month" in answer.content.decode()


def test_the_calendar_says_so_when_there_is_no_train(client):
    client.force_login(UserFactory())
    html = client.get("/releases/").content.decode()
    assert "No release train yet" in html


def test_the_calendar_takes_the_same_queries_for_one_or_ten_releases(member_client, release):
    def count(month):
        with CaptureQueriesContext(connection) as queries:
            assert member_client.get(f"/releases/?month={month}").status_code == 200
        return len(queries)

    other = make_train(kind="cloud")
    services.release_create(train=other, version="99.0.0", release_date=date(2027, 9, 6))
    one = count("2027-09")
    for n, day in enumerate((7, 8, 9, 10, 13, 14, 15, 16, 17), start=1):
        services.release_create(train=other, version=f"99.{n}.0", release_date=date(2027, 9, day))
    assert Release.objects.filter(release_date__month=9).count() >= 10
    assert count("2027-09") == one


def test_the_release_page_shows_milestones_overdue_or_open(member_client, release, time_machine):
    time_machine.move_to(NOW, tick=False)
    freeze = release.milestones.get(name="Code freeze")
    rc1 = release.milestones.get(name="RC1")
    assert freeze.due < date(2027, 7, 5) and rc1.due < freeze.due
    services.milestone_set_done(milestone=rc1, done=True, now=NOW)
    html = member_client.get(f"/releases/{release.version}/").content.decode()
    row = re.search(rf'id="milestone-{freeze.pk}".*?</tr>', html, re.S)[0]
    assert "state-overdue" in row and "Overdue" in row
    row = re.search(rf'id="milestone-{rc1.pk}".*?</tr>', html, re.S)[0]
    assert "Done" in row and "Overdue" not in row
    release_row = re.search(r'<th scope="row">Release <small>T-0.*?</tr>', html, re.S)[0]
    assert "Open" in release_row
    assert "No slip" in html and "Self-managed 17.2.0" in html


def test_ticking_an_item_plainly_records_who_and_when(member_client, member, release, time_machine):
    time_machine.move_to(NOW, tick=False)
    item = release.checklist.get(title="Announce")
    url = f"/releases/{release.version}/checklist/{item.pk}/"
    answer = member_client.post(url, {"done": "1"})
    assert answer.status_code == 302
    assert answer["Location"] == f"/releases/{release.version}/#checklist"
    item.refresh_from_db()
    assert item.done_by == member and item.done_at == NOW
    html = member_client.get(f"/releases/{release.version}/").content.decode()
    assert "ticked by Mia Member" in html
    member_client.post(url, {"done": "0"})
    item.refresh_from_db()
    assert item.done_at is None and item.done_by is None


def test_ticking_with_htmx_answers_the_checklist_part(member_client, member, release):
    item = release.checklist.get(title="Cut the branch")
    answer = member_client.post(
        f"/releases/{release.version}/checklist/{item.pk}/",
        {"done": "1"},
        headers={"HX-Request": "true"},
    )
    assert answer.status_code == 200
    text = answer.content.decode()
    assert text.lstrip().startswith('<section id="checklist"')
    assert "ticked by Mia Member" in text and 'aria-checked="true"' in text
    assert "<html" not in text
    milestone = release.milestones.get(name="Code freeze")
    answer = member_client.post(
        f"/releases/{release.version}/milestones/{milestone.pk}/",
        {"done": "1"},
        headers={"HX-Request": "true"},
    )
    assert answer.content.decode().lstrip().startswith('<section id="milestones"')
    milestone.refresh_from_db()
    assert milestone.done_by == member


def test_another_teams_member_sees_no_forms_and_gets_403(client, release):
    outsider = UserFactory()
    MembershipFactory(user=outsider)
    client.force_login(outsider)
    html = client.get(f"/releases/{release.version}/").content.decode()
    assert "/checklist/" not in html and "/milestones/" not in html.split("Checklist")[0][-2000:]
    assert '<form method="post" action="/releases/' not in html
    item = release.checklist.first()
    answer = client.post(f"/releases/{release.version}/checklist/{item.pk}/", {"done": "1"})
    assert answer.status_code == 403
    assert ChecklistItem.objects.get(pk=item.pk).done_at is None
    milestone = release.milestones.first()
    answer = client.post(f"/releases/{release.version}/milestones/{milestone.pk}/", {"done": "1"})
    assert answer.status_code == 403
    milestone.refresh_from_db()
    assert milestone.done_at is None


def test_an_unknown_version_or_item_is_a_404(member_client, release):
    assert member_client.get("/releases/1.2.3/").status_code == 404
    assert member_client.get("/releases/not-a-version/").status_code == 404
    other = make_train(first_version="40.0.0")
    services.train_plan(train=other, since=date(2027, 7, 1), until=date(2027, 7, 31), now=NOW)
    theirs = ChecklistItem.objects.filter(release__train=other).first()
    foreign = release.milestones.model.objects.filter(release__train=other).first()
    url = f"/releases/{release.version}/milestones/{foreign.pk}/"
    assert member_client.post(url, {"done": "1"}).status_code == 404
    if theirs is not None:
        url = f"/releases/{release.version}/checklist/{theirs.pk}/"
        assert member_client.post(url, {"done": "1"}).status_code == 404


def test_the_release_page_names_the_manager_or_says_none_is_set(member_client, member, release):
    html = member_client.get(f"/releases/{release.version}/").content.decode()
    assert "Not set" in html
    services.release_update(release=release, manager=member)
    html = member_client.get(f"/releases/{release.version}/").content.decode()
    link = f'<a href="/people/{member.username}/" class="person-link">Mia Member</a>'
    assert f"<dt>Release manager</dt><dd>{link}</dd>" in html


def test_with_no_manager_set_the_page_names_the_one_the_rota_proposes(member_client, release):
    from rotations.tests.factories import make_rotation, role

    ada = UserFactory(username="ada", display_name="Ada Able")
    # The rota arrives after planning: the release has no manager, the page proposes Ada.
    make_rotation(
        team=release.train.team,
        name="Delivery",
        roles=[role("Release Manager", [ada], start=date(2027, 1, 4))],
    )
    assert Release.objects.get(pk=release.pk).manager is None
    html = member_client.get(f"/releases/{release.version}/").content.decode()
    assert "the rota proposes <strong><a" in html and "Ada Able</a></strong>" in html

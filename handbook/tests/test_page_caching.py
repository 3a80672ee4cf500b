"""Cached pages, live blocks and rights: reused while true, dropped the moment they are not."""

import pytest
from django.core.cache import cache

from handbook import services
from handbook.models import Membership, Page
from handbook.pages import render_cached
from handbook.tests.factories import MembershipFactory, TeamFactory, make_page

pytestmark = pytest.mark.django_db

# Nothing read inside a transaction that changed data is cached (it may yet be rolled back),
# and every test runs inside one unless it commits for real: tests of caching must commit.
CACHES_ACTIVE = pytest.mark.django_db(transaction=True)


@CACHES_ACTIVE
def test_live_member_block_follows_the_team_and_the_cache_notices(team_member):
    _, team = team_member
    page = make_page("eng/members", "{{generator:team_members.delivery}}")
    first = render_cached(page)
    assert "team_members" in first.generators
    newcomer = MembershipFactory(
        team=team, role=Membership.Role.PM, user__display_name="Zed Newcomer"
    )
    assert "Zed Newcomer" in render_cached(page).html
    newcomer.delete()
    assert "Zed Newcomer" not in render_cached(page).html


@CACHES_ACTIVE
def test_the_member_block_answers_to_the_name_git_handbooks_use(member_client, team_member):
    user, _ = team_member
    user.display_name = "Noor Haddad"
    user.save()
    make_page("eng/imported", "## Members\n\n{{generator:product_team.delivery}}\n")
    html = member_client.get("/handbook/eng/imported").content.decode()
    assert "Unknown live block" not in html
    assert "<td>Noor Haddad</td>" in html


@CACHES_ACTIVE
def test_the_contents_list_follows_headings_that_live_blocks_write(member_client, team_member):
    from handbook import generators
    from handbook.models import Team

    _, team = team_member

    @generators.register("team_heading", depends_on=("handbook.Team",))
    def team_heading(slug):
        return f"## {Team.objects.get(slug=slug).name}"

    try:
        team.name = "First crew"
        team.save()
        make_page("eng/live-toc", "# Live\n\n## One\n\n{{generator:team_heading.delivery}}\n")
        toc = '<li class="toc-2"><a href="#{}">{}</a></li>'
        html = member_client.get("/handbook/eng/live-toc").content.decode()
        assert toc.format("one", "One") in html and toc.format("first-crew", "First crew") in html
        team.name = "Renamed crew"
        team.save()
        html = member_client.get("/handbook/eng/live-toc").content.decode()
        assert toc.format("renamed-crew", "Renamed crew") in html
    finally:
        generators._registry.pop("team_heading")


@CACHES_ACTIVE
def test_cached_rendering_is_reused_until_the_page_changes(team_member, django_assert_num_queries):
    page = make_page("eng/cached", "# Cached\n\n[x](other.md)")
    render_cached(page)
    with django_assert_num_queries(0):
        render_cached(page)
    cache.clear()
    with django_assert_num_queries(2):  # the link lookup: pages, then redirects
        render_cached(page)


@CACHES_ACTIVE
def test_a_warm_page_view_reads_only_the_person_and_their_rights(
    member_client, team_member, django_assert_num_queries
):
    _, team = team_member
    make_page("eng/warm", "# Warm\n\n[x](elsewhere.md)\n", team=team)
    member_client.get("/handbook/eng/warm")
    # the user; the edit check is cached under the versions of memberships and permissions
    with django_assert_num_queries(1):
        response = member_client.get("/handbook/eng/warm")
    assert "Warm" in response.content.decode()
    services.page_save(path="eng/warm", title="Warm", markdown="# Warmer\n", team=team)
    assert "Warmer" in member_client.get("/handbook/eng/warm").content.decode()


@pytest.mark.parametrize("way_in", ["member", "own permission", "group permission", "none"])
def test_edit_rights_come_from_the_owning_team_or_the_change_permission(client, user, way_in):
    from django.contrib.auth.models import Group, Permission

    team = TeamFactory()
    make_page("eng/owned", "# Owned\n", team=team)
    change_page = Permission.objects.get(content_type__app_label="handbook", codename="change_page")
    if way_in == "member":
        MembershipFactory(team=team, user=user)
    elif way_in == "own permission":
        user.user_permissions.add(change_page)
    elif way_in == "group permission":
        editors = Group.objects.create(name="Handbook editors")
        editors.permissions.add(change_page)
        user.groups.add(editors)
    MembershipFactory(user=user)  # a member of some other team all the same
    client.force_login(user)
    html = client.get("/handbook/eng/owned").content.decode()
    edit = client.get("/handbook/-/edit/eng/owned")
    if way_in == "none":
        assert ">Edit</a>" not in html and edit.status_code == 403
    else:
        assert ">Edit</a>" in html and edit.status_code == 200


@CACHES_ACTIVE
@pytest.mark.parametrize("way_in", ["member", "own permission", "group permission"])
def test_taking_away_edit_rights_shows_on_the_next_view(
    client, user, way_in, django_capture_on_commit_callbacks
):
    """Edit rights are cached per person and team; every way of losing them must show."""
    from django.contrib.auth.models import Group, Permission

    team = TeamFactory()
    make_page("eng/owned", "# Owned\n", team=team)
    change_page = Permission.objects.get(content_type__app_label="handbook", codename="change_page")
    editors = Group.objects.create(name="Handbook editors")
    editors.permissions.add(change_page)
    revoke = {
        "member": lambda: services.membership_remove(team=team, user=user),
        "own permission": lambda: user.user_permissions.remove(change_page),
        "group permission": lambda: editors.user_set.remove(user),
    }[way_in]
    if way_in == "member":
        MembershipFactory(team=team, user=user)
    elif way_in == "own permission":
        user.user_permissions.add(change_page)
    else:
        user.groups.add(editors)
    client.force_login(user)
    assert ">Edit</a>" in client.get("/handbook/eng/owned").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        revoke()
    assert ">Edit</a>" not in client.get("/handbook/eng/owned").content.decode()
    assert client.get("/handbook/-/edit/eng/owned").status_code == 403


@CACHES_ACTIVE
def test_a_deleted_group_takes_its_rights_along(client, user):
    from django.contrib.auth.models import Group, Permission

    make_page("eng/owned", "# Owned\n", team=TeamFactory())
    editors = Group.objects.create(name="Handbook editors")
    editors.permissions.add(
        Permission.objects.get(content_type__app_label="handbook", codename="change_page")
    )
    user.groups.add(editors)
    client.force_login(user)
    assert ">Edit</a>" in client.get("/handbook/eng/owned").content.decode()
    editors.delete()
    assert ">Edit</a>" not in client.get("/handbook/eng/owned").content.decode()


@CACHES_ACTIVE
def test_cached_page_views_never_outlive_a_flushed_cache(member_client, team_member):
    """Processes keep their own copies of rendered pages and rows under data versions: after
    the shared cache is flushed (or evicts a version), versions start again somewhere new,
    so those copies are never taken for current."""
    from django.core.cache import caches

    _, team = team_member
    page = make_page("eng/flush", "# Before\n", team=team)
    assert "Before" in member_client.get("/handbook/eng/flush").content.decode()
    # Changed behind the services' back (a restored backup, say), then the cache flushed.
    Page.objects.filter(pk=page.pk).update(markdown="# After\n", title="After the restore")
    caches["default"].clear()
    html = member_client.get("/handbook/eng/flush").content.decode()
    assert "After the restore" in html and '<h1 id="after"' in html


def test_deploy_checks_want_a_cache_shared_by_every_process(settings):
    from handbook.checks import shared_cache_check

    assert shared_cache_check(None) == []  # the tests run on Redis
    settings.CACHES = {
        **settings.CACHES,
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    }
    assert [warning.id for warning in shared_cache_check(None)] == ["bosun.W001"]


@CACHES_ACTIVE
def test_rights_seen_inside_a_transaction_that_rolls_back_are_not_kept(user):
    from django.db import transaction

    from handbook.permissions import page_can_edit

    team = TeamFactory()
    page = make_page("eng/owned", "# Owned\n", team=team)
    assert not page_can_edit(user=user, page=page)

    class Abandoned(Exception):
        pass

    with pytest.raises(Abandoned), transaction.atomic():
        services.membership_set(team=team, user=user, role=Membership.Role.ENGINEER)
        assert page_can_edit(user=user, page=page)  # its own uncommitted membership
        raise Abandoned
    assert not page_can_edit(user=user, page=page)


@CACHES_ACTIVE
def test_joining_a_team_through_its_people_shows_on_the_next_view(client, user):
    team = TeamFactory()
    make_page("eng/owned", "# Owned\n", team=team)
    client.force_login(user)
    assert ">Edit</a>" not in client.get("/handbook/eng/owned").content.decode()
    team.people.add(user, through_defaults={"role": Membership.Role.ENGINEER})
    assert ">Edit</a>" in client.get("/handbook/eng/owned").content.decode()


@CACHES_ACTIVE
def test_a_kept_page_body_carries_each_readers_token_rights_and_time_zone(team_member):
    """The body of a page view is kept whole for readers with the same rights, day and zone:
    the next member gets it without a rendering, with their own CSRF token in its form."""
    import datetime
    import re

    from django.test import Client
    from django.utils import timezone

    from accounts.tests.factories import UserFactory
    from handbook.pages import page_rows_changed

    _, team = team_member
    make_page("eng/due", "# Due\n\nCheck me.\n", team=team)
    Page.objects.filter(path="eng/due").update(
        review_by=datetime.date(2020, 1, 1),
        updated_at=datetime.datetime(2030, 1, 1, 23, 30, tzinfo=datetime.UTC),
    )
    page_rows_changed()
    first, second = UserFactory(), UserFactory()
    for person in (first, second):
        MembershipFactory(team=team, user=person)
    readers = []
    for person in (first, second):
        reader = Client(enforce_csrf_checks=True)
        reader.force_login(person)
        readers.append(reader)
    assert "Mark reviewed" in readers[0].get("/handbook/eng/due").content.decode()

    readers[1].get("/handbook/")  # the second reader's session and rights, read once
    rendered = []
    original = render_cached

    def counting(page, **kwargs):
        rendered.append(page.path)
        return original(page, **kwargs)

    import handbook.views.pages as views

    views.render_cached, saved = counting, views.render_cached
    try:
        html = readers[1].get("/handbook/eng/due").content.decode()
    finally:
        views.render_cached = saved
    assert rendered == []  # the kept body
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    next_review = (timezone.localdate() + datetime.timedelta(days=30)).isoformat()
    answer = readers[1].post(
        "/handbook/-/review/eng/due", {"csrfmiddlewaretoken": token, "review_by": next_review}
    )
    assert answer.status_code == 302
    assert Page.objects.get(path="eng/due").review_by.isoformat() == next_review

    # Someone outside the team gets a body of their own, without the editors' buttons.
    outsider = Client()
    outsider.force_login(UserFactory())
    html = outsider.get("/handbook/eng/due").content.decode()
    assert "Due" in html and ">Edit</a>" not in html

    # Dates are in the reader's own zone: a save at 23:30 UTC is the next day in Tokyo.
    make_page("eng/zone", "# Zone\n", team=team)
    late = datetime.datetime(2030, 1, 1, 23, 30, tzinfo=datetime.UTC)
    Page.objects.filter(path="eng/zone").update(updated_at=late)
    Page.history.filter(path="eng/zone").update(history_date=late)
    page_rows_changed()
    dates = []
    for zone in ("UTC", "Asia/Tokyo"):
        reader = Client()
        reader.force_login(UserFactory(timezone=zone))
        meta = reader.get("/handbook/eng/zone").content.decode().split('class="page-meta"')[1]
        dates.append(re.search(r"Updated <time[^>]*>([^<]+)</time>", meta)[1])
    assert dates == ["1 Jan 2030", "2 Jan 2030"]

from datetime import date, timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from handbook import services
from handbook.models import Membership, Page, PageLink
from handbook.pages import render_cached
from handbook.tests.factories import MembershipFactory, TeamFactory, make_page

pytestmark = pytest.mark.django_db

# Nothing read inside a transaction that changed data is cached (it may yet be rolled back),
# and every test runs inside one unless it commits for real: tests of caching must commit.
CACHES_ACTIVE = pytest.mark.django_db(transaction=True)


@pytest.fixture
def team_member(user):
    team = TeamFactory(slug="delivery")
    MembershipFactory(team=team, user=user)
    return user, team


@pytest.fixture
def member_client(client, team_member):
    client.force_login(team_member[0])
    return client


def test_a_page_renders_with_breadcrumbs_toc_and_tree(member_client, team_member):
    _, team = team_member
    make_page("engineering/index", "# Engineering\n", title="Engineering")
    make_page(
        "engineering/delivery/processes",
        "# Processes\n\n## Support rotation\n\nText.\n\n## Triage\n\nMore.\n\n## Escalation\n",
        title="Processes",
        team=team,
    )
    html = member_client.get("/handbook/engineering/delivery/processes").content.decode()
    assert '<h2 id="support-rotation"' in html
    assert 'href="#triage"' in html  # table of contents
    assert ">Engineering</a>" in html  # breadcrumb to the folder's index page
    assert "Owned by" in html


def test_a_relative_link_resolves_to_the_target_page_and_broken_ones_are_flagged(member_client):
    make_page("eng/support", "# Support\n\n## What to include\n")
    make_page(
        "eng/index",
        "[good](support.md#what-to-include) [bad anchor](support.md#nope) [gone](missing.md)",
    )
    html = member_client.get("/handbook/eng/index").content.decode()
    assert 'href="/handbook/eng/support#what-to-include"' in html
    assert html.count("broken-link") >= 2
    assert "2 broken links on this page" in html
    assert set(PageLink.objects.filter(broken=True).values_list("href", flat=True)) == {
        "support.md#nope",
        "missing.md",
    }


def test_creating_the_missing_page_heals_links_to_it():
    source = make_page("eng/index", "[later](later.md)")
    assert source.links.get().broken
    make_page("eng/later", "# Later\n")
    assert not source.links.get().broken


def test_moving_a_page_redirects_the_old_url_and_rewrites_links_on_request(
    member_client, team_member
):
    _user, team = team_member
    target = make_page("eng/old-name", "# Target\n", team=team)
    source = make_page("eng/index", "See [it](old-name.md).", team=team)
    response = member_client.post(
        "/handbook/-/move/eng/old-name", {"new_path": "eng/guides/new-name"}
    )
    assert response.status_code == 200
    assert "Rewrite those links" in response.content.decode()
    assert member_client.get("/handbook/eng/old-name").url == "/handbook/eng/guides/new-name"
    assert not source.links.get().broken  # the redirect keeps it working

    member_client.post("/handbook/-/move/eng/guides/new-name", {"rewrite_from": "eng/old-name"})
    source.refresh_from_db()
    assert source.markdown == "See [it](guides/new-name.md)."
    assert source.links.get().target_path == "eng/guides/new-name"
    target.refresh_from_db()
    assert target.path == "eng/guides/new-name"


def test_saving_the_same_content_records_no_revision(team_member):
    user, team = team_member
    page = make_page("eng/x", "# X\n", team=team, user=user)
    _, changed = services.page_save(path="eng/x", title="x", markdown="# X\n", team=team, user=user)
    assert not changed
    assert page.history.count() == 1
    services.page_save(path="eng/x", title="x", markdown="# X2\n", team=team, user=user)
    assert page.history.count() == 2
    assert page.history.first().history_user == user


def test_editing_with_preview_and_history(member_client, team_member):
    _user, team = team_member
    make_page("eng/guide", "# Guide\n", team=team)
    preview = member_client.post(
        "/handbook/-/preview",
        {"path": "eng/guide", "markdown": "**bold** <script>x()</script>"},
        headers={"HX-Request": "true"},
    )
    assert "<strong>bold</strong>" in preview.content.decode()
    assert "<script" not in preview.content.decode()
    assert Page.objects.get(path="eng/guide").markdown == "# Guide\n"  # preview saves nothing

    saved = member_client.post(
        "/handbook/-/edit/eng/guide",
        {"title": "Guide", "team": team.pk, "markdown": "# Guide\n\nNew text.\n", "review_by": ""},
    )
    assert saved.status_code == 302
    history = member_client.get("/handbook/-/history/eng/guide").content.decode()
    assert history.count("Show changes") == 2
    revision = Page.objects.get(path="eng/guide").history.first()
    diff = member_client.get(f"/handbook/-/diff/{revision.history_id}/eng/guide").content.decode()
    assert "New&nbsp;text." in diff  # difflib's table keeps spaces as &nbsp;
    assert 'class="diff_add"' in diff


def test_a_bad_path_is_a_form_error_not_a_crash(member_client, team_member):
    _, team = team_member
    response = member_client.post(
        "/handbook/-/new", {"path": "Bad Path/x.md", "title": "x", "team": team.pk, "markdown": ""}
    )
    assert response.status_code == 200
    assert "lowercase folder and page names" in response.content.decode()
    assert not Page.objects.exists()


def test_people_outside_the_owning_team_cannot_edit_on_any_path(client, user, admin_api, api):
    other = TeamFactory(slug="other")
    make_page("other/page", "# Page\n", team=other)
    client.force_login(user)
    assert client.get("/handbook/other/page").status_code == 200  # reading is open
    assert client.get("/handbook/-/edit/other/page").status_code == 403
    assert (
        client.post("/handbook/-/edit/other/page", {"title": "x", "markdown": "y"}).status_code
        == 403
    )
    assert (
        client.post("/handbook/-/preview", {"path": "other/page", "markdown": "x"}).status_code
        == 403
    )
    assert client.post("/handbook/-/move/other/page", {"new_path": "x/y"}).status_code == 403
    assert (
        client.post("/handbook/-/review/other/page", {"review_by": "2030-01-01"}).status_code == 403
    )
    assert (
        api.put(
            "/api/v1/pages/other/page", {"title": "x", "markdown": "y"}, format="json"
        ).status_code
        == 403
    )
    assert Page.objects.get(path="other/page").markdown == "# Page\n"
    assert (
        admin_api.put(
            "/api/v1/pages/other/page", {"title": "x", "markdown": "y"}, format="json"
        ).status_code
        == 200
    )


def test_a_missing_page_is_a_404_that_offers_to_create_it(member_client):
    response = member_client.get("/handbook/eng/nothing-here")
    assert response.status_code == 404
    assert "Create it" in response.content.decode()


def test_stale_page_shows_a_banner_and_can_be_marked_reviewed(member_client, team_member):
    _, team = team_member
    make_page("eng/old", "# Old\n", team=team, review_by=date(2020, 1, 1))
    html = member_client.get("/handbook/eng/old").content.decode()
    assert "may be out of date" in html
    next_review = timezone.localdate() + timedelta(days=90)
    member_client.post("/handbook/-/review/eng/old", {"review_by": next_review.isoformat()})
    page = Page.objects.get(path="eng/old")
    assert page.review_by == next_review
    assert page.reviewed_at is not None
    assert "may be out of date" not in member_client.get("/handbook/eng/old").content.decode()


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


def test_unknown_generators_render_a_warning_not_a_crash(member_client):
    make_page("eng/gen", "{{generator:nope}}\n\n{{generator:team_members.no-such-team}}")
    html = member_client.get("/handbook/eng/gen").content.decode()
    assert "Unknown live block" in html
    assert "no team" in html


@CACHES_ACTIVE
def test_cached_rendering_is_reused_until_the_page_changes(team_member, django_assert_num_queries):
    page = make_page("eng/cached", "# Cached\n\n[x](other.md)")
    render_cached(page)
    with django_assert_num_queries(0):
        render_cached(page)
    cache.clear()
    with django_assert_num_queries(2):  # the link lookup: pages, then redirects
        render_cached(page)


def _page_with_links(n):
    make_page("eng/target", "# Target\n\n## Part\n")
    body = "\n".join(f"- [link {i}](target.md#part) [miss {i}](gone-{i}.md)" for i in range(n))
    return make_page("eng/many", f"# Many\n\n{body}\n")


@pytest.mark.parametrize("n_links", [5, 500])
def test_page_view_query_count_does_not_grow_with_links(
    member_client, django_assert_num_queries, n_links
):
    _page_with_links(n_links)
    cache.clear()
    # session (read from the database: the cache was just emptied), user, page, rendering's
    # link lookup (pages, then redirects), the page list for navigation and breadcrumbs, and
    # the edit check (the change permission; the page has no owning team)
    with django_assert_num_queries(7):
        response = member_client.get("/handbook/eng/many")
    assert response.status_code == 200


@pytest.mark.parametrize("n_pages", [3, 30])
def test_search_query_count_does_not_grow_with_results(
    member_client, django_assert_num_queries, n_pages
):
    for i in range(n_pages):
        make_page(f"eng/rota-{i}", f"# Rota {i}\n\nThe support rotation hands off weekly.\n")
    # user, the page list for navigation, and the search: full-text and title matches, the
    # ranked pages, then the quotes for those shown
    with django_assert_num_queries(6):
        response = member_client.get("/handbook/?q=rotation")
    shown = response.content.decode().count('<p class="snippet">')
    assert shown == min(n_pages, 20)  # the page shows the top 20, each quoted


def test_search_ranks_title_over_body_and_tolerates_typos(api):
    make_page("eng/a", "# Other\n\nWe mention escalation once in the body.\n", title="Holidays")
    make_page("eng/b", "# Escalation\n\nHow to escalate.\n", title="Escalation policy")
    results = api.get("/api/v1/pages/?q=escalation").json()["results"]
    assert [r["path"] for r in results][:2] == ["eng/b", "eng/a"]
    assert "<mark>" in results[0]["snippet"]
    typo = api.get("/api/v1/pages/?q=escalaton").json()["results"]
    assert typo and typo[0]["path"] == "eng/b"


def test_pages_api_detail_and_put(admin_api, api):
    created = admin_api.put(
        "/api/v1/pages/eng/api-page",
        {"title": "API page", "markdown": "# API\n\n## One\n\n[x](nowhere.md)"},
        format="json",
    )
    assert created.status_code == 201, created.json()
    body = api.get("/api/v1/pages/eng/api-page").json()
    assert body["title"] == "API page"
    assert body["toc"][1] == {"level": 2, "title": "One", "anchor": "one"}
    assert body["links"] == [{"href": "nowhere.md", "target": "eng/nowhere", "broken": True}]
    assert "<h2" in body["html"]
    updated = admin_api.put(
        "/api/v1/pages/eng/api-page", {"title": "API page", "markdown": "# API v2\n"}, format="json"
    )
    assert updated.status_code == 200
    assert Page.objects.get(path="eng/api-page").history.count() == 2
    bad = admin_api.put("/api/v1/pages/Not Valid", {"title": "x", "markdown": ""}, format="json")
    assert bad.status_code == 400
    assert "path" in bad.json()


def test_broken_links_page_lists_only_the_team_pages(member_client, team_member):
    _, team = team_member
    make_page("eng/mine", "[gone](gone.md)", team=team)
    make_page("eng/theirs", "[gone too](gone2.md)", team=TeamFactory())
    html = member_client.get(f"/teams/{team.slug}/broken-links/").content.decode()
    assert "gone.md" in html
    assert "gone2.md" not in html


def test_search_snippets_quote_the_text_not_the_markdown(api):
    make_page("eng/s", "# S\n\n| a | b |\n|---|---|\n| **bold** rotation | x |\n")
    snippet = api.get("/api/v1/pages/?q=rotation").json()["results"][0]["snippet"]
    assert "<mark>rotation</mark>" in snippet
    assert "**" not in snippet
    assert "|" not in snippet


def test_a_nul_byte_in_a_page_path_is_a_404_not_a_500(admin_api):
    assert admin_api.get("/api/v1/pages/eng/a%00b").status_code == 404
    put = admin_api.put("/api/v1/pages/eng/a%00b", {"title": "x", "markdown": ""}, format="json")
    assert put.status_code == 404
    assert put.json() == {"detail": "Not found."}


def test_a_nul_byte_in_a_search_is_a_clear_400_not_a_500(member_client, api):
    page = member_client.get("/handbook/?q=a%00b")
    assert page.status_code == 400
    assert "Null characters are not allowed." in page.content.decode()
    partial = member_client.get("/handbook/?q=a%00b", headers={"HX-Request": "true"})
    assert partial.status_code == 400 and "<html" not in partial.content.decode()
    response = api.get("/api/v1/pages/?q=a%00b")
    assert response.status_code == 400 and "q" in response.json()


def test_a_nul_byte_in_a_page_url_is_a_404(member_client):
    assert member_client.get("/handbook/eng/a%00b").status_code == 404


def test_navigation_tree_expands_only_along_the_current_path(
    team_member, django_capture_on_commit_callbacks
):
    from handbook.selectors import page_navigation

    make_page("eng/index", "# Eng\n", title="Engineering")
    make_page("eng/delivery/index", "# Delivery\n", title="Delivery")
    make_page("eng/delivery/processes", "# P\n", title="Processes")
    make_page("eng/set/workflow", "# W\n", title="Workflow")
    navigation = page_navigation(current="eng/delivery/processes")
    assert [c["title"] for c in navigation["breadcrumbs"]] == ["Engineering", "Delivery"]
    eng = navigation["tree"][0]
    assert eng["page"]["title"] == "Engineering"
    delivery, set_folder = eng["children"]
    assert [c["page"]["title"] for c in delivery["children"]] == ["Processes"]
    assert set_folder["children"] == [] and set_folder["collapsed"]

    with django_capture_on_commit_callbacks(execute=True):
        services.page_save(path="eng/delivery/processes", title="Our processes", markdown="# P\n")
    tree = page_navigation(current="eng/delivery/processes")["tree"]
    assert tree[0]["children"][0]["children"][0]["page"]["title"] == "Our processes"


def test_plain_search_fallback_finds_and_marks_the_words():
    from handbook.selectors.search import _page_search_plain, _plain_snippet

    make_page("eng/a", "# A\n\nThe <b>rota</b> hands off on Monday.\n", title="Rota basics")
    make_page("eng/b", "# B\n\nNothing relevant.\n", title="Other")
    results = _page_search_plain(Page.objects.all(), "rota", 10)
    assert [page.path for page in results] == ["eng/a"]
    for page in results:
        page.snippet = _plain_snippet(page.plain_text, "rota")
    assert "<mark>rota</mark>" in results[0].snippet.lower()
    assert "<b>" not in results[0].snippet


def test_plain_snippets_cut_at_word_boundaries():
    from handbook.selectors.search import _plain_snippet

    text = " ".join(f"word{i}" for i in range(60)) + " escalation " + "tail " * 40
    snippet = _plain_snippet(text, "escalation")
    assert snippet.startswith("… word") and snippet.endswith(" …")
    words = snippet.removeprefix("… ").removesuffix(" …").split()
    assert all(w.startswith(("word", "<mark>", "tail")) for w in words)
    assert "<mark>escalation</mark>" in snippet
    assert _plain_snippet("short text", "absent") == "short text"


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


def test_search_api_pages_through_ranked_results(api):
    for i in range(5):
        make_page(f"eng/r{i}", f"# R{i}\n\nRotation notes {i}.\n")
    first = api.get("/api/v1/pages/?q=rotation&page_size=2").json()
    assert len(first["results"]) == 2 and first["next"]
    seen = [r["path"] for r in first["results"]]
    url = first["next"]
    while url:
        body = api.get(url).json()
        seen += [r["path"] for r in body["results"]]
        url = body["next"]
    assert sorted(seen) == [f"eng/r{i}" for i in range(5)]


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


def test_handbook_pages_keep_the_main_menu(member_client):
    make_page("eng/menu", "# Menu\n")
    for url in ("/handbook/eng/menu", "/handbook/", "/handbook/?q=menu"):
        html = member_client.get(url).content.decode()
        assert '<a href="/">Teams</a>' in html, url
        assert '<a href="/handbook/" aria-current="page">Handbook</a>' in html, url


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


@pytest.mark.parametrize(
    "word, query, marked",
    [
        ("escalation", "escalation", "<mark>escalation</mark> ladder"),
        ("policy", "policy", "<mark>policy</mark> ladder"),  # stem "polici" starts no word
        ("escalation", '"escalation ladder"', "<mark>escalation</mark> <mark>ladder</mark>"),
    ],
)
def test_a_long_page_is_quoted_around_a_match_far_down(api, word, query, marked):
    # "because" and "use" in the filler: a stem inside another word must not move the quote
    filler = "\n\n".join(f"Paragraph {i} is here because of its use." for i in range(600))
    make_page("eng/long", f"# Long\n\n{filler}\n\nFinally the {word} ladder.\n")
    (result,) = api.get("/api/v1/pages/", {"q": query}).json()["results"]
    assert marked in result["snippet"]


def test_search_vectors_stay_in_the_table_row():
    """Ranking reads every match's vector; kept in the row, it costs no TOAST lookups."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attstorage FROM pg_attribute "
            "WHERE attrelid = 'handbook_page'::regclass AND attname = 'search_vector'"
        )
        assert cursor.fetchone() == ("m",)


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

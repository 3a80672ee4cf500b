from datetime import date, timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from handbook import services
from handbook.models import Page, PageLink
from handbook.tests.factories import TeamFactory, make_page

pytestmark = pytest.mark.django_db


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
    assert '<li class="diff-line diff-added">' in diff
    assert "<ins>New text.</ins>" in diff
    assert "2 lines added" in diff


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


def test_unknown_generators_render_a_warning_not_a_crash(member_client):
    make_page("eng/gen", "{{generator:nope}}\n\n{{generator:team_members.no-such-team}}")
    html = member_client.get("/handbook/eng/gen").content.decode()
    assert "Unknown live block" in html
    assert "no team" in html


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
    # the edit check (the change permission; the page has no owning team), and who last
    # changed and reviewed it (its history, twice)
    with django_assert_num_queries(9):
        response = member_client.get("/handbook/eng/many")
    assert response.status_code == 200


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


def test_a_nul_byte_in_a_page_path_is_a_404_not_a_500(admin_api):
    assert admin_api.get("/api/v1/pages/eng/a%00b").status_code == 404
    put = admin_api.put("/api/v1/pages/eng/a%00b", {"title": "x", "markdown": ""}, format="json")
    assert put.status_code == 404
    assert put.json() == {"detail": "Not found."}


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


def test_handbook_pages_keep_the_main_menu(member_client):
    make_page("eng/menu", "# Menu\n")
    for url in ("/handbook/eng/menu", "/handbook/", "/handbook/?q=menu"):
        html = member_client.get(url).content.decode()
        assert '<a href="/teams/">Teams</a>' in html, url
        assert '<a href="/handbook/" aria-current="page">Handbook</a>' in html, url


@pytest.mark.parametrize(
    "extra, field",
    [
        ({"team": ""}, "team"),  # DRF would read "" as null
        ({"version": "0"}, "version"),
        ({"version": 0.0}, "version"),
        ({"review_by": "20300101"}, "review_by"),
        ({"review_by": "2030-1-1"}, "review_by"),
        ({"title": "t" * 200 + " "}, "title"),
    ],
)
def test_a_page_value_the_schema_forbids_is_a_400_naming_it(admin_api, extra, field):
    body = {"title": "T", "markdown": "x", **extra}
    response = admin_api.put("/api/v1/pages/eng/strict", body, format="json")
    assert response.status_code == 400
    assert list(response.json()) == [field]
    assert not Page.objects.filter(path="eng/strict").exists()


def test_if_match_star_writes_whatever_version_is_there(admin_api):
    make_page("eng/star", "# Old\n")
    response = admin_api.put(
        "/api/v1/pages/eng/star",
        {"title": "Star", "markdown": "# New\n"},
        HTTP_IF_MATCH="*",
        format="json",
    )
    assert response.status_code == 200
    assert response["ETag"] == f'"{response.json()["version"]}"'


def test_the_page_list_has_rank_and_snippet_only_with_q(api):
    make_page("eng/listed", "# Listed\n\nRotation.\n")
    plain = api.get("/api/v1/pages/").json()["results"][0]
    assert "rank" not in plain and "snippet" not in plain
    searched = api.get("/api/v1/pages/?q=rotation").json()["results"][0]
    assert {"rank", "snippet"} <= set(searched)


def test_rewriting_links_after_a_move_finds_links_written_with_non_ascii_characters(
    team_member,
):
    user, team = team_member
    target = make_page("eng/old-name", "# Target\n\n## Über uns\n", team=team)
    source = make_page(
        "eng/index",
        'See [it](old-name.md#über-uns), [again](<old-name.md#über-uns> "Über") and '
        '<a href="old-name.md#über-uns">here</a>.',
        team=team,
    )
    assert {link.href for link in source.links.all()} == {
        "old-name.md#%C3%BCber-uns",  # as the renderer stores the Markdown links
        "old-name.md#über-uns",  # the raw HTML one
    }
    moved = services.page_move(page=target, new_path="eng/guides/new-name", user=user)
    done = services.page_links_rewrite(page=moved, old_path="eng/old-name", user=user)
    assert done.rewritten == [source]
    source.refresh_from_db()
    assert source.markdown == (
        'See [it](guides/new-name.md#über-uns), [again](<guides/new-name.md#über-uns> "Über")'
        ' and <a href="guides/new-name.md#über-uns">here</a>.'
    )
    assert {link.target_path for link in source.links.all()} == {"eng/guides/new-name"}
    assert not any(link.broken for link in source.links.all())

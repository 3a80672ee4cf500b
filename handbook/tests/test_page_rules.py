"""Rules about whose pages and addresses are whose: link rewriting, handing a page to another
team, old addresses and folders of another team, and two people editing one page."""

import pytest
from django.test import Client

from accounts.tests.factories import AdminFactory, UserFactory
from handbook import services
from handbook.models import Page, PageRedirect
from handbook.tests.factories import MembershipFactory, TeamFactory, make_page

pytestmark = pytest.mark.django_db


@pytest.fixture
def teams():
    """Team A owns the folder a/ and a page moved from a/old to a/new; team B owns b/."""
    a, b = TeamFactory(slug="team-a", name="Team A"), TeamFactory(slug="team-b", name="Team B")
    make_page("a/index", "# A\n", team=a)
    make_page("b/index", "# B\n", team=b)
    moved = make_page("a/old", "# Moved\n", team=a)
    services.page_move(page=moved, new_path="a/new")
    return a, b


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _member(team):
    return MembershipFactory(team=team).user


def _snapshot(team):
    return {
        page.path: (page.markdown, page.version, page.updated_at)
        for page in Page.objects.filter(team=team)
    }


# Link rewriting


def test_another_team_cannot_rewrite_links_to_an_address_of_theirs(teams):
    a, b = teams
    make_page("a/guide", "See [the moved page](old.md).\n", team=a)
    b_page = make_page("b/page", "# Mine\n", team=b)
    services.page_move(page=b_page, new_path="b/mine")
    before = _snapshot(a)

    response = _client(_member(b)).post(
        "/handbook/-/move/b/mine", {"rewrite_from": "a/old"}, follow=True
    )

    assert "is not an old address of b/mine" in response.content.decode()
    assert _snapshot(a) == before


def test_rewriting_a_pages_own_address_leaves_other_teams_pages_to_their_owners(teams):
    a, b = teams
    a_guide = make_page("a/guide", "See [theirs](../b/old.md).\n", team=a)
    b_guide = make_page("b/guide", "See [ours](old.md).\n", team=b)
    b_page = make_page("b/old", "# Ours\n", team=b)
    services.page_move(page=b_page, new_path="b/renamed")
    before = _snapshot(a)

    response = _client(_member(b)).post("/handbook/-/move/b/renamed", {"rewrite_from": "b/old"})

    body = response.content.decode()
    assert "Left for their owners" in body and "a/guide" in body
    assert _snapshot(a) == before
    a_guide.refresh_from_db()
    assert a_guide.markdown == "See [theirs](../b/old.md).\n"  # still works through the redirect
    b_guide.refresh_from_db()
    assert b_guide.markdown == "See [ours](renamed.md).\n"


def test_the_owner_rewrites_links_to_its_own_old_address(teams):
    a, _b = teams
    guide = make_page("a/guide", "See [the moved page](old.md).\n", team=a)
    _client(_member(a)).post("/handbook/-/move/a/new", {"rewrite_from": "a/old"})
    guide.refresh_from_db()
    assert guide.markdown == "See [the moved page](new.md).\n"


# Handing a page to another team


def test_only_an_admin_or_a_member_of_both_teams_hands_a_page_over(teams, token_client):
    a, b = teams
    page = make_page("a/charter", "# Charter\n", team=a)
    only_a = _member(a)
    form = {"title": "Charter", "markdown": "# Charter\n", "team": b.pk, "base_version": 1}

    response = _client(only_a).post("/handbook/-/edit/a/charter", form)
    assert response.status_code == 200
    assert "member of both teams" in response.content.decode()
    body = {"title": "Charter", "markdown": "# Charter\n", "team": "team-b"}
    api = token_client(only_a).put("/api/v1/pages/a/charter", body, format="json")
    assert api.status_code == 403
    page.refresh_from_db()
    assert (page.team, page.version) == (a, 1)

    both = _member(a)
    MembershipFactory(team=b, user=both)
    assert token_client(both).put("/api/v1/pages/a/charter", body, format="json").status_code == 200
    page.refresh_from_db()
    assert page.team == b
    admin_body = {**body, "team": "team-a"}
    admin = token_client(AdminFactory())
    assert admin.put("/api/v1/pages/a/charter", admin_body, format="json").status_code == 200


# Addresses that belong to another team


@pytest.mark.parametrize("address", ["a/old", "a/fresh", "a/deep/er"])
def test_another_team_cannot_take_an_address_of_team_a(teams, token_client, address):
    _a, b = teams
    intruder = _member(b)
    body = {"title": "Squat", "markdown": "# Squat\n", "team": "team-b"}

    put = token_client(intruder).put(f"/api/v1/pages/{address}", body, format="json")
    assert put.status_code == 403
    assert "Team A" in put.json()["detail"]

    created = _client(intruder).post(
        "/handbook/-/new",
        {"path": address, "title": "Squat", "markdown": "# Squat\n", "team": b.pk},
    )
    assert created.status_code == 200
    assert "belongs to Team A" in created.content.decode()

    make_page("b/mine", "# Mine\n", team=b)
    moved = _client(intruder).post("/handbook/-/move/b/mine", {"new_path": address})
    assert "belongs to Team A" in moved.content.decode()

    assert not Page.objects.filter(path=address).exists()
    assert Page.objects.filter(path="b/mine").exists()
    assert _client(intruder).get("/handbook/a/old").url == "/handbook/a/new"


def test_team_a_and_an_admin_may_use_team_a_addresses(teams, token_client):
    a, _b = teams
    body = {"title": "Fresh", "markdown": "# Fresh\n", "team": "team-a"}
    assert (
        token_client(_member(a)).put("/api/v1/pages/a/fresh", body, format="json").status_code
        == 201
    )
    admin = token_client(AdminFactory())
    assert admin.put("/api/v1/pages/a/old", body, format="json").status_code == 201
    # The admin chose to stand a page on the old address: the redirect gives way to it.
    assert Page.objects.get(path="a/old").team == a
    moved = make_page("a/other", "# Other\n", team=a)
    _client(_member(a)).post("/handbook/-/move/a/other", {"new_path": "a/elsewhere"})
    moved.refresh_from_db()
    assert moved.path == "a/elsewhere"


def test_a_page_may_move_back_onto_its_own_old_address(teams):
    a, _b = teams
    page = Page.objects.get(path="a/new")
    _client(_member(a)).post("/handbook/-/move/a/new", {"new_path": "a/old"})
    page.refresh_from_db()
    assert page.path == "a/old"
    assert PageRedirect.objects.get(old_path="a/new").page == page
    assert not PageRedirect.objects.filter(old_path="a/old").exists()


# Two people editing one page


def _form(page, markdown, *, version):
    return {
        "title": page.title,
        "markdown": markdown,
        "team": page.team_id,
        "base_version": version,
    }


def test_a_save_over_a_newer_revision_shows_the_conflict_and_keeps_both_texts(teams):
    a, _b = teams
    page = make_page("a/notes", "one\ntwo\nthree\nfour\nfive\n", title="Notes", team=a)
    first, second = _client(_member(a)), _client(_member(a))

    saved = first.post(
        "/handbook/-/edit/a/notes", _form(page, "ONE\ntwo\nthree\nfour\nfive\n", version=1)
    )
    assert saved.status_code == 302
    clash = second.post(
        "/handbook/-/edit/a/notes", _form(page, "one\ntwo\nthree\nfour\nFIVE\n", version=1)
    )

    assert clash.status_code == 409
    body = clash.content.decode()
    assert "ONE\ntwo\nthree\nfour\nFIVE" in body  # merged: the changes do not overlap
    page.refresh_from_db()
    assert page.markdown == "ONE\ntwo\nthree\nfour\nfive\n"  # nothing saved over it
    assert page.version == 2


def test_overlapping_changes_are_marked_and_the_typed_text_kept(teams):
    a, _b = teams
    page = make_page("a/notes", "line\n", title="Notes", team=a)
    first, second = _client(_member(a)), _client(_member(a))
    first.post("/handbook/-/edit/a/notes", _form(page, "theirs\n", version=1))
    clash = second.post("/handbook/-/edit/a/notes", _form(page, "mine\n", version=1))
    assert clash.status_code == 409
    body = clash.content.decode()
    assert "mine" in body and "theirs" in body
    assert clash.context["conflict"]["mine"]["markdown"] == "mine\n"  # as typed
    page.refresh_from_db()
    assert page.markdown == "theirs\n"


def test_the_api_refuses_a_stale_version_or_if_match_with_the_current_page(teams, token_client):
    a, _b = teams
    make_page("a/notes", "first\n", title="Notes", team=a)
    client = token_client(_member(a))
    got = client.get("/api/v1/pages/a/notes")
    assert got["ETag"] == '"1"' and got.json()["version"] == 1

    body = {"title": "Notes", "markdown": "second\n", "team": "team-a", "version": 1}
    put = client.put("/api/v1/pages/a/notes", body, format="json")
    assert put.status_code == 200 and put["ETag"] == '"2"'

    stale = client.put("/api/v1/pages/a/notes", {**body, "markdown": "lost?\n"}, format="json")
    assert stale.status_code == 409
    assert stale.json()["current"]["markdown"] == "second\n"
    assert stale.json()["current"]["version"] == 2

    body.pop("version")
    if_match = client.put(
        "/api/v1/pages/a/notes", {**body, "markdown": "lost?\n"}, format="json", HTTP_IF_MATCH='"1"'
    )
    assert if_match.status_code == 409
    fresh = client.put("/api/v1/pages/a/notes", body, format="json", HTTP_IF_MATCH='"2"')
    assert fresh.status_code == 200
    assert Page.objects.get(path="a/notes").markdown == "second\n"


def test_people_outside_both_teams_are_not_told_about_versions_they_cannot_write(
    teams, token_client
):
    a, _b = teams
    make_page("a/notes", "first\n", title="Notes", team=a)
    outsider = token_client(UserFactory())
    body = {"title": "Notes", "markdown": "x\n", "team": "team-a", "version": 1}
    assert outsider.put("/api/v1/pages/a/notes", body, format="json").status_code == 403

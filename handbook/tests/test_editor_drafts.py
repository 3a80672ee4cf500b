"""Autosaved drafts (one per person and page) and the change summary kept in the history."""

import pytest
from django.test import Client

from accounts.tests.factories import UserFactory
from handbook.models import Page, PageDraft
from handbook.tests.factories import MembershipFactory, TeamFactory, make_page

pytestmark = pytest.mark.django_db


@pytest.fixture
def page(team_member):
    _, team = team_member
    return make_page("eng/delivery/processes", "# Processes\n\nAs saved.\n", team=team)


def _autosave(client, page, markdown, **fields):
    return client.post(
        f"/handbook/-/draft/{page.path}",
        {"title": page.title, "markdown": markdown, "base_version": page.version, **fields},
    )


def test_autosave_keeps_one_draft_per_person_and_page(member_client, team_member, page):
    assert _autosave(member_client, page, "First words").status_code == 200
    response = _autosave(member_client, page, "Second words")
    assert response.status_code == 200
    assert response.json()["message"].startswith("Draft saved at ")
    draft = PageDraft.objects.get()
    assert (draft.user, draft.page, draft.markdown) == (team_member[0], page, "Second words")
    assert Page.objects.get(pk=page.pk).markdown == "# Processes\n\nAs saved.\n"


def test_the_editor_brings_the_draft_back_with_a_notice(member_client, page):
    _autosave(member_client, page, "Half-written text", change_summary="Tidy up")
    html = member_client.get(f"/handbook/-/edit/{page.path}").content.decode()
    assert "You have an unsaved draft from" in html
    assert ">Half-written text</textarea>" in html
    assert 'value="Tidy up"' in html
    assert "Discard draft" in html


def test_nobody_else_sees_a_persons_draft(member_client, team_member, page):
    _autosave(member_client, page, "Only mine")
    colleague = UserFactory()
    MembershipFactory(team=team_member[1], user=colleague)
    other = Client()
    other.force_login(colleague)
    html = other.get(f"/handbook/-/edit/{page.path}").content.decode()
    assert "Only mine" not in html
    assert "unsaved draft" not in html
    # Their discard throws away their own draft (none), never someone else's.
    other.post(f"/handbook/-/discard-draft/{page.path}")
    assert PageDraft.objects.count() == 1


def test_discarding_the_draft_opens_the_page_as_saved(member_client, page):
    _autosave(member_client, page, "Throw me away")
    response = member_client.post(f"/handbook/-/discard-draft/{page.path}", follow=True)
    assert response.redirect_chain[-1][0] == f"/handbook/-/edit/{page.path}"
    html = response.content.decode()
    assert "Draft discarded." in html
    assert "Throw me away" not in html
    assert "As saved." in html
    assert not PageDraft.objects.exists()


def test_saving_the_page_deletes_the_draft(member_client, team_member, page):
    _autosave(member_client, page, "Autosaved then saved")
    response = member_client.post(
        f"/handbook/-/edit/{page.path}",
        {
            "title": page.title,
            "team": team_member[1].pk,
            "markdown": "Autosaved then saved",
            "base_version": page.version,
        },
    )
    assert response.status_code == 302
    assert not PageDraft.objects.exists()


def test_a_draft_started_from_an_older_version_says_so(member_client, team_member, page):
    _autosave(member_client, page, "# Processes\n\nAs saved.\n\nMine at the end.\n")
    make_page(
        page.path, "# Processes (renamed)\n\nAs saved.\n", title=page.title, team=team_member[1]
    )
    html = member_client.get(f"/handbook/-/edit/{page.path}").content.decode()
    assert "the page has been saved by someone since" in html


def test_a_new_page_has_one_draft_per_person(member_client, team_member):
    for path in ("eng/new", "eng/newer"):
        response = member_client.post(
            "/handbook/-/draft",
            {"path": path, "title": "New", "markdown": "Fresh", "team": team_member[1].pk},
        )
        assert response.status_code == 200
    draft = PageDraft.objects.get()
    assert (draft.page, draft.path, draft.team) == (None, "eng/newer", team_member[1])
    html = member_client.get("/handbook/-/new").content.decode()
    assert "You have an unsaved draft from" in html
    assert 'value="eng/newer"' in html
    response = member_client.post(
        "/handbook/-/new",
        {"path": "eng/newer", "title": "New", "team": team_member[1].pk, "markdown": "Fresh"},
    )
    assert response.status_code == 302
    assert not PageDraft.objects.exists()


def test_drafts_only_of_pages_one_may_edit(client, page):
    stranger = UserFactory()
    MembershipFactory(team=TeamFactory(), user=stranger)
    client.force_login(stranger)
    assert _autosave(client, page, "Not mine to write").status_code == 403
    assert client.post(f"/handbook/-/discard-draft/{page.path}").status_code == 403
    assert not PageDraft.objects.exists()


def test_a_bad_autosave_is_a_400_naming_the_field(member_client, page):
    response = _autosave(member_client, page, "x", base_version="-1")
    assert response.status_code == 400
    assert list(response.json()) == ["base_version"]


def test_the_change_summary_is_kept_in_the_history_and_shown(member_client, team_member, page):
    response = member_client.post(
        f"/handbook/-/edit/{page.path}",
        {
            "title": page.title,
            "team": team_member[1].pk,
            "markdown": "# Processes\n\nChanged.\n",
            "base_version": page.version,
            "change_summary": "Explain the new triage rule",
        },
    )
    assert response.status_code == 302
    assert page.history.first().history_change_reason == "Explain the new triage rule"
    html = member_client.get(f"/handbook/-/history/{page.path}").content.decode()
    assert "<td>Explain the new triage rule</td>" in html


def test_a_too_long_change_summary_is_a_form_error(member_client, team_member, page):
    response = member_client.post(
        f"/handbook/-/edit/{page.path}",
        {
            "title": page.title,
            "team": team_member[1].pk,
            "markdown": "Changed",
            "base_version": page.version,
            "change_summary": "x" * 101,
        },
    )
    assert response.status_code == 200
    assert "at most 100 characters" in response.content.decode()
    assert Page.objects.get(pk=page.pk).version == page.version


def test_the_api_keeps_a_change_summary_too(token_client, team_member, page):
    api = token_client(team_member[0])
    response = api.put(
        f"/api/v1/pages/{page.path}",
        {"title": "Processes", "markdown": "Via the API", "change_summary": "Synced from git"},
        format="json",
    )
    assert response.status_code == 200
    assert page.history.first().history_change_reason == "Synced from git"
    response = api.put(
        f"/api/v1/pages/{page.path}",
        {"title": "Processes", "markdown": "Again", "change_summary": "x" * 101},
        format="json",
    )
    assert response.status_code == 400
    assert list(response.json()) == ["change_summary"]
    schema = api.get("/api/v1/schema/?format=json").json()
    field = schema["components"]["schemas"]["PageInputRequest"]["properties"]["change_summary"]
    assert (field["type"], field["maxLength"]) == ("string", 100)

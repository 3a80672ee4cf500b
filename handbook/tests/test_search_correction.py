"""Typo-tolerant search: mistyped words corrected against the handbook's own words, the
dictionary kept with the pages, and the search filtered by team."""

import importlib

import pytest
from django.apps import apps
from django.db import connection

from accounts.models import User
from accounts.tests.factories import UserFactory
from handbook.models import SearchWord, Team
from handbook.selectors import search_correction, text_words
from handbook.services import page_delete, search_words_rebuild
from handbook.tests.factories import TeamFactory, make_page

pytestmark = pytest.mark.django_db


def _handbook():
    make_page(
        "eng/releases",
        "# Cutting a release\n\nEvery release is tagged on Tuesday and announced.\n",
        title="Release checklist",
    )
    make_page("eng/rota", "# On call\n\nThe support rotation hands off weekly.\n", title="Rota")
    make_page("eng/holidays", "# Time off\n\nBook holidays a month ahead.\n", title="Holidays")


def test_the_dictionary_holds_the_words_of_saved_pages():
    _handbook()
    words = set(SearchWord.objects.values_list("word", flat=True))
    assert {"release", "checklist", "tuesday", "rotation", "holidays"} <= words
    assert "on" not in words  # shorter than three letters
    assert text_words("Relés x9 and_snake 2026 ok") == {"relés", "and", "snake"}


def test_pruning_drops_the_words_of_deleted_pages_only():
    _handbook()
    page_delete(page=make_page("eng/tmp", "# Zanzibar\n", title="Quixotic"))
    assert SearchWord.objects.filter(word="quixotic").exists()  # deletion stays cheap
    removed = search_words_rebuild()
    assert removed >= 2
    words = set(SearchWord.objects.values_list("word", flat=True))
    assert "quixotic" not in words and "zanzibar" not in words
    assert {"release", "rotation"} <= words
    assert search_words_rebuild() == 0


def _words() -> set[str]:
    return set(SearchWord.objects.values_list("word", flat=True))


def test_the_dictionary_holds_the_words_of_active_peoples_names():
    person = UserFactory(username="qzamora", display_name="Quentin Zamora", first_name="Quin")
    assert {"qzamora", "quentin", "zamora", "quin"} <= _words()
    # Saving other fields alone (a login) adds nothing, even a changed name.
    person.display_name = "Xavier Zamora"
    person.save(update_fields=["last_login"])
    assert "xavier" not in _words()
    person.save()
    assert "xavier" in _words()
    # Pruning keeps the words of active people and drops those of deactivated ones.
    gone = UserFactory(display_name="Ulrike Vasquez")
    gone.is_active = False
    gone.save()
    search_words_rebuild()
    assert {"xavier", "zamora"} <= _words()
    assert "ulrike" not in _words() and "vasquez" not in _words()


def test_the_dictionary_holds_the_words_of_team_names():
    team = TeamFactory(slug="wombat-desk", name="Burrow keepers")
    assert {"wombat", "desk", "burrow", "keepers"} <= _words()
    team.name = "Tunnel keepers"
    team.save()
    search_words_rebuild()
    assert {"tunnel", "keepers", "wombat"} <= _words() and "burrow" not in _words()


def test_the_migration_adds_the_words_of_the_people_already_there():
    migration = importlib.import_module("handbook.migrations.0012_switcher_search_words")
    User.objects.bulk_create([User(username="bulk1", display_name="Ottoline Brabazon")])
    Team.objects.bulk_create([Team(slug="quokka-ops", name="Marsupial crew")])
    assert "brabazon" not in _words() and "quokka" not in _words()  # no signal in bulk
    migration.add_name_words(apps, None)
    assert {"ottoline", "brabazon", "bulk", "quokka", "ops", "marsupial", "crew"} <= _words()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_trgm is PostgreSQL's")
def test_a_mistyped_word_is_corrected_to_the_most_similar_handbook_word():
    _handbook()
    correction = search_correction(query="relese")
    assert correction.corrected is True
    assert correction.searched_for == "release"
    assert correction.original == "relese"
    # Only the unknown word changes; operators and excluded words stay as typed.
    mixed = search_correction(query="Relese checklist -holidys")
    assert mixed.searched_for == "release checklist -holidys"


def test_a_known_word_is_left_alone(django_assert_num_queries):
    _handbook()
    with django_assert_num_queries(1 if connection.vendor == "postgresql" else 0):
        correction = search_correction(query="rotation holidays")
    assert correction.corrected is False
    assert correction.searched_for == "rotation holidays"


def test_a_word_like_no_other_is_searched_as_typed_without_an_error(api):
    _handbook()
    assert search_correction(query="xqzvw").corrected is False
    assert search_correction(query="42 !!").corrected is False  # no words: no query at all
    response = api.get("/api/v1/pages/?q=xqzvw")
    assert response.status_code == 200
    body = response.json()
    assert body["results"] == []
    assert body["searched_for"] == "xqzvw" and body["corrected"] is False


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_trgm is PostgreSQL's")
def test_api_search_with_a_typo_ranks_the_pages_about_it_first(api):
    _handbook()
    make_page("eng/misc", "# Misc\n\nNothing about shipping here.\n", title="Relay settings")
    body = api.get("/api/v1/pages/?q=relese").json()
    assert body["searched_for"] == "release"
    assert body["corrected"] is True
    paths = [result["path"] for result in body["results"]]
    assert paths[0] == "eng/releases"
    assert "eng/holidays" not in paths and "eng/rota" not in paths
    assert "<mark>" in body["results"][0]["snippet"]
    # Asked for the words as typed, nothing is corrected.
    verbatim = api.get("/api/v1/pages/?q=relese&verbatim=true").json()
    assert verbatim["corrected"] is False and verbatim["searched_for"] == "relese"
    # A list without `q` has no such fields.
    assert "searched_for" not in api.get("/api/v1/pages/").json()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_trgm is PostgreSQL's")
def test_search_page_says_what_it_searched_for_and_offers_the_words_as_typed(member_client):
    _handbook()
    html = member_client.get("/handbook/?q=relese").content.decode()
    assert "Showing results for “release”" in html
    assert "Release checklist" in html
    assert 'href="/handbook/?q=relese&amp;verbatim=1"' in html
    typed = member_client.get("/handbook/?q=relese&verbatim=1").content.decode()
    assert "Showing results for" not in typed
    assert "No page matches “relese”" in typed


def test_search_filters_by_team_and_refuses_an_unknown_one(api, member_client):
    delivery = TeamFactory(slug="shipping", name="Shipping")
    make_page("eng/a", "# A\n\nThe release train.\n", title="Release train", team=delivery)
    make_page("eng/b", "# B\n\nAnother release note.\n", title="Release notes")
    only = api.get("/api/v1/pages/?q=release&team=shipping").json()["results"]
    assert [result["path"] for result in only] == ["eng/a"]
    unknown = api.get("/api/v1/pages/?q=release&team=nope")
    assert unknown.status_code == 400 and "team" in unknown.json()
    assert api.get("/api/v1/pages/?team=").status_code == 400
    html = member_client.get("/handbook/?q=release&team=shipping").content.decode()
    results = html[html.index('id="search-results"') : html.index("</section>")]
    assert "Release train" in results and "Release notes" not in results
    partial = member_client.get(
        "/handbook/?q=release&team=", headers={"HX-Request": "true"}
    )  # the team list left at "All teams"
    assert partial["HX-Push-Url"] == "/handbook/?q=release"
    assert "Release notes" in partial.content.decode()
    refused = member_client.get("/handbook/?q=release&team=nope")
    assert refused.status_code == 400
    assert "No team has this slug." in refused.content.decode()

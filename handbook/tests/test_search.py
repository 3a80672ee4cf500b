"""Search: ranking, typos, snippets, paging and the plain fallback."""

import pytest

from handbook.models import Page
from handbook.tests.factories import make_page

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("n_pages, queries", [(3, 9), (30, 8)])
def test_search_query_count_does_not_grow_with_results(
    member_client, django_assert_num_queries, n_pages, queries
):
    for i in range(n_pages):
        make_page(f"eng/rota-{i}", f"# Rota {i}\n\nThe support rotation hands off weekly.\n")
    # user, the page list for navigation, the teams to filter by, and the search: the typed
    # words checked against the dictionary, the pages naming them in a title or heading,
    # then (too few of those: "rotation" is in the body only) the pages matching anywhere,
    # then (still too few to fill the 21 asked for) the title matches by word similarity;
    # the ranked pages, then the quotes for those shown. Fewer pages never cost more.
    with django_assert_num_queries(queries):
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


def test_search_snippets_quote_the_text_not_the_markdown(api):
    make_page("eng/s", "# S\n\n| a | b |\n|---|---|\n| **bold** rotation | x |\n")
    snippet = api.get("/api/v1/pages/?q=rotation").json()["results"][0]["snippet"]
    assert "<mark>rotation</mark>" in snippet
    assert "**" not in snippet
    assert "|" not in snippet


def test_a_nul_byte_in_a_search_is_a_clear_400_not_a_500(member_client, api):
    page = member_client.get("/handbook/?q=a%00b")
    assert page.status_code == 400
    assert "Null characters are not allowed." in page.content.decode()
    partial = member_client.get("/handbook/?q=a%00b", headers={"HX-Request": "true"})
    assert partial.status_code == 400 and "<html" not in partial.content.decode()
    response = api.get("/api/v1/pages/?q=a%00b")
    assert response.status_code == 400 and "q" in response.json()


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


def test_a_page_naming_the_word_in_a_heading_beats_a_crowd_mentioning_it(api, monkeypatch):
    """At scale only so many matches are ranked: the pages with the word in their title or
    a heading are looked for first, so a crowd of passing mentions cannot push them out."""
    from handbook.selectors import search

    monkeypatch.setattr(search, "RANKED_CANDIDATES", 4)
    for i in range(10):
        make_page(f"eng/m{i}", f"# Notes {i}\n\nA deadline comes up here, deadline {i}.\n")
    make_page("eng/z-title", "# Plan\n\nAbout the year.\n", title="Deadline calendar")
    make_page("eng/z-heading", "# Plan\n\n## Deadlines\n\nSee the calendar.\n")
    results = api.get("/api/v1/pages/?q=deadline").json()["results"]
    assert [r["path"] for r in results][:2] == ["eng/z-title", "eng/z-heading"]
    # the body-only pages still fill the rest, as far as the cap reaches
    assert len(results) == 2 + 4
    assert all(r["path"].startswith("eng/m") for r in results[2:])


def test_paging_that_reaches_the_similar_titles_shows_each_page_once(api):
    """Asking for a later page ranks more matches, and may then reach the titles that are
    only like the words; those come after the full-text matches, though they score higher,
    so no page is shown twice or skipped."""
    for i in range(3):
        make_page(f"eng/b{i}", f"# Notes {i}\n\nThe budget again.\n")
    make_page("eng/t", "# Plan\n\nNothing more.\n", title="Budgetary plan")
    seen = []
    url = "/api/v1/pages/?q=budget&page_size=2"
    while url:
        body = api.get(url).json()
        seen += [r["path"] for r in body["results"]]
        url = body["next"]
    assert seen == ["eng/b0", "eng/b1", "eng/b2", "eng/t"]

"""The quick switcher's endpoint: prefix, then word, then typo-tolerant matches over every
kind, a bounded answer in at most five queries a kind, login required."""

import pytest
from django.db import connection

from accounts.models import User
from accounts.tests.factories import UserFactory
from handbook.selectors.switcher import name_matches, switcher_kinds
from handbook.services import person_words_add
from handbook.switcher import people_find
from handbook.tests.factories import MembershipFactory, TeamFactory, make_page
from rotations.tests.factories import make_rotation
from tickets.tests.factories import make_board

pytestmark = pytest.mark.django_db

POSTGRES = connection.vendor == "postgresql"


@pytest.fixture
def member_client(client, user):
    client.force_login(user)
    return client


def _world(extra: int = 0):
    delivery = TeamFactory(slug="delivery", name="Delivery")
    TeamFactory(slug="platform", name="Platform Engineering")
    make_page("eng/onboarding", "# Welcome\n", title="Onboarding guide", team=delivery)
    make_page("eng/holidays", "# Time off\n", title="Holidays")
    margaret = UserFactory(username="mhamilton", display_name="Margaret Hamilton")
    MembershipFactory(team=delivery, user=margaret)
    UserFactory(username="gone", display_name="Margaret Gone", is_active=False)  # not shown
    UserFactory(username="loner", display_name="Lone Wolf")  # in no team: shown all the same
    make_rotation(team=delivery, name="Delivery support")
    make_board(team=delivery, name="Delivery queue", key_prefix="DEL")
    for i in range(extra):
        team = TeamFactory(slug=f"extra-{i}", name=f"Extra delivery {i}")
        make_page(f"extra/p{i}", "# P\n", title=f"Delivery notes {i}", team=team)
        MembershipFactory(team=team, user=UserFactory(display_name=f"Delivery Person {i}"))
        make_rotation(team=team, name=f"Delivery rota {i}")
        make_board(team=team, name=f"Delivery board {i}")


def _switch(client, query):
    response = client.get("/switch/", {"q": query})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return response.json()


def _found(body):
    return [(result["kind"], result["label"]) for g in body["groups"] for result in g["results"]]


def _pages(body):
    return [label for kind, label in _found(body) if kind == "page"]


def test_every_app_registers_its_kinds():
    assert [kind.name for kind in switcher_kinds()] == [
        "page",
        "team",
        "person",
        "rota",
        "board",
        "train",
        "release",
    ]


def test_switcher_finds_pages_teams_people_rotas_and_boards_by_prefix(member_client):
    _world()
    found = _found(_switch(member_client, "deliv"))
    assert ("team", "Delivery") in found
    assert ("rota", "Delivery support") in found
    assert ("board", "Delivery queue") in found
    assert ("page", "Onboarding guide") in _found(_switch(member_client, "onb"))
    assert ("board", "Delivery queue") in _found(_switch(member_client, "del"))  # key prefix
    people = _switch(member_client, "margaret")["groups"]
    assert [g["kind"] for g in people] == ["person"]
    (person,) = people[0]["results"]
    assert person == {
        "kind": "person",
        "label": "Margaret Hamilton",
        "detail": "mhamilton",
        "url": "/people/mhamilton/",
    }
    assert _switch(member_client, "lone")["groups"][0]["results"][0]["url"] == "/people/loner/"
    # A word of the name counts as a prefix too: "Engineering" of "Platform Engineering".
    assert ("team", "Platform Engineering") in _found(_switch(member_client, "engin"))


def test_prefix_matches_come_before_word_prefixes_then_typos(member_client):
    _world()
    TeamFactory(slug="web-delivery", name="Web delivery")
    TeamFactory(slug="redelivery", name="Redelivery")
    teams = [label for kind, label in _found(_switch(member_client, "delivery")) if kind == "team"]
    expected = ["Delivery", "Web delivery"] + (["Redelivery"] if POSTGRES else [])
    assert teams == expected


@pytest.mark.skipif(not POSTGRES, reason="trigrams are PostgreSQL's; SQLite matches prefixes")
def test_switcher_tolerates_typos(member_client):
    _world()
    assert ("team", "Delivery") in _found(_switch(member_client, "delivry"))
    assert ("team", "Platform Engineering") in _found(_switch(member_client, "platfrm"))
    assert ("page", "Onboarding guide") in _found(_switch(member_client, "onbording"))
    assert ("person", "Margaret Hamilton") in _found(_switch(member_client, "hamiltn"))
    assert _switch(member_client, "xqzvw")["groups"] == []


def test_an_empty_query_finds_nothing_without_reading_anything(
    member_client, django_assert_num_queries
):
    _world()
    with django_assert_num_queries(1):  # the session's user
        assert _switch(member_client, "   ")["groups"] == []


# On PostgreSQL the large kinds (pages, teams, people) read one query per step they need
# (name_matches): names starting with the words, then names with a word starting with them,
# then the dictionary words like the query's and names starting with those or with them at a
# word start, each only while the ones before found fewer than five. With no extra rows all
# three need every step for "delivery" (none has five names starting with it), but the
# dictionary has no word like it but itself (rota and board names are not in it): three
# queries. With 12 extra each, pages and people have five starting with it (one query);
# teams have one ("Delivery") and the others at a word start ("Extra delivery 3"): two. The
# small kinds (rotas, boards, trains, releases) and SQLite rank in one query a kind.
@pytest.mark.parametrize(
    ("extra", "per_kind_postgres"), [(0, [3, 3, 3, 1, 1, 1, 1]), (12, [1, 2, 1, 1, 1, 1, 1])]
)
def test_switcher_answers_at_most_five_a_kind_in_at_most_five_queries_each(
    member_client, django_assert_num_queries, extra, per_kind_postgres
):
    _world(extra)
    per_kind = per_kind_postgres if POSTGRES else [1] * len(switcher_kinds())
    # the session's user, then the queries of each kind whatever the number of rows
    with django_assert_num_queries(1 + sum(per_kind)):
        body = _switch(member_client, "delivery")
    sizes = {group["kind"]: len(group["results"]) for group in body["groups"]}
    assert all(size <= 5 for size in sizes.values())
    if extra:
        assert sizes == {"page": 5, "team": 5, "person": 5, "rota": 5, "board": 5}


@pytest.mark.skipif(not POSTGRES, reason="trigrams are PostgreSQL's; SQLite matches prefixes")
def test_a_mistyped_name_among_many_alike_finds_the_ones_meant_first(django_assert_num_queries):
    for n in range(40):
        UserFactory(display_name=f"Engineer {n}")
    # names starting with "enginer 1", names with it at a word start, the dictionary's words
    # like "enginer", names starting with "engineer 1" (in order: five, so no more)
    with django_assert_num_queries(4):
        found = [match.label for match in people_find("enginer 1", 5)]
    assert found == ["Engineer 1", "Engineer 10", "Engineer 11", "Engineer 12", "Engineer 13"]
    # one name starts with "engineer 7": names with it at a word start are looked for too,
    # among those names alone, not every "Engineer <n>"
    with django_assert_num_queries(5):
        found = [match.label for match in people_find("enginer 7", 5)]
    assert found == ["Engineer 7"]


@pytest.mark.skipif(not POSTGRES, reason="trigrams are PostgreSQL's; SQLite matches prefixes")
def test_a_mistyped_name_is_found_through_the_dictionary_of_name_words():
    # A bulk insert sends no signal: the name's words are not in the dictionary yet.
    (person,) = User.objects.bulk_create([User(username="qz", display_name="Quentin Zamora")])
    assert people_find("zamorra", 5) == []
    assert [match.label for match in people_find("zamo", 5)] == ["Quentin Zamora"]  # no typo
    person_words_add(people=[person])
    assert [match.label for match in people_find("zamorra", 5)] == ["Quentin Zamora"]


def test_names_starting_with_the_words_come_first_alphabetically_then_words_then_typos(
    member_client,
):
    make_page("ops/drill", "# D\n", title="Major incident drill")
    make_page("ops/review-b", "# R\n", title="incident review B")
    make_page("ops/review-a", "# R\n", title="Incident review A")
    make_page("ops/postmortem", "# P\n", title="Inciident postmortem")
    make_page("ops/holidays", "# H\n", title="Holidays")
    pages = _pages(_switch(member_client, "incident"))
    expected = ["Incident review A", "incident review B", "Major incident drill"]
    assert pages == expected + (["Inciident postmortem"] if POSTGRES else [])


@pytest.mark.skipif(not POSTGRES, reason="SQLite matches words after a space or a hyphen")
def test_punctuation_between_words_counts_as_a_space(member_client):
    make_page("org/scale-team", "# S\n", title="Scale-team notes")
    make_page("org/other", "# O\n", title="Other notes")
    assert _pages(_switch(member_client, "team notes")) == ["Scale-team notes"]
    assert _pages(_switch(member_client, "scale team")) == ["Scale-team notes"]


@pytest.mark.skipif(not POSTGRES, reason="trigrams are PostgreSQL's; SQLite matches prefixes")
def test_a_typo_shows_when_nothing_starts_with_the_words(member_client):
    make_page("ops/incidents", "# I\n", title="Incident handling")
    make_page("ops/holidays", "# H\n", title="Holidays")
    assert _pages(_switch(member_client, "incidnt")) == ["Incident handling"]
    # A word of one letter is looked for at word starts too (no trigram to compare).
    assert _pages(_switch(member_client, "h")) == ["Holidays", "Incident handling"]


def test_anonymous_is_sent_to_log_in(client):
    response = client.get("/switch/", {"q": "delivery"})
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_a_long_or_odd_query_is_no_error(member_client):
    _world()
    assert _switch(member_client, "%_\\" * 50)["groups"] == []
    assert _switch(member_client, "a\x00b")["groups"] == []
    assert ("team", "Delivery") in _found(_switch(member_client, "deli\x00very"))
    assert member_client.post("/switch/", {"q": "x"}).status_code == 405


def test_a_statement_kept_for_one_queryset_serves_no_other_and_runs_with_each_query():
    UserFactory(username="alma.a", display_name="Alma Active")
    UserFactory(username="alma.b", display_name="Alma Away", is_active=False)

    def names(queryset, query):
        rows = name_matches(
            queryset,
            fields=["display_name"],
            query=query,
            values=["display_name"],
            limit=5,
            large=True,
        )
        return [found.display_name for found in rows]

    # The same shape but for a filter's value: each its own statement.
    assert names(User.objects.filter(is_active=True), "alma") == ["Alma Active"]
    assert names(User.objects.filter(is_active=False), "alma") == ["Alma Away"]
    # The same statements again, with other words: a prefix, then a word start.
    assert names(User.objects.filter(is_active=True), "alm") == ["Alma Active"]
    assert names(User.objects.filter(is_active=False), "away") == ["Alma Away"]

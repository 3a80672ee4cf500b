"""Scenario: the quick switcher and typo-tolerant search, over the handbook bench's 10,000
pages plus 300 teams, 3,000 people, 300 rotas and 300 boards on PostgreSQL.

Prints p50/p95 of the switcher (`switcher_search`, in process, and GET /switch/ over HTTP)
and of a search with mistyped words (`page_search_corrected`, and the pages API), with the
floor of the same run. Targets: switcher p95 <= 30 ms; typo search p95 <= 50 ms (as search).
"""

import random
import sys
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_handbook import PAGES, WORDS, merged, seed_pages, vacuum_tables
from common import (
    bench_user_token,
    ensure_bench_database,
    gunicorn,
    load,
    measure_floor,
    print_figures,
    session_cookie,
    setup_django,
    timed,
)

TEAMS = 300
PEOPLE = 3_000
ROTAS = 300
BOARDS = 300
# Prefixes, a whole word, typos of a term and of a name, and a word nothing is like.
SWITCHER_QUERIES = ["rel", "secur", "kanbn", "platfrm", "margret", "deliv team", "zzqx"]
# Each has a word that no page uses, so each is corrected first.
TYPO_QUERIES = ["relese", "escalaton", "securty patch", "deadlin reminder", "rollbak"]
FIRST = ["Margaret", "Ada", "Grace", "Linus", "Barbara", "Ken", "Radia", "Dennis", "Frances"]
LAST = ["Hamilton", "Lovelace", "Hopper", "Torvalds", "Liskov", "Thompson", "Perlman", "Allen"]


def seed_directory():
    """Teams, people in them, rotas and boards with names from the handbook's terms."""
    from accounts.models import User
    from handbook.models import Membership, Team
    from handbook.services import person_words_add
    from rotations.models import Rotation
    from tickets.models import Board

    if Team.objects.filter(slug__startswith="bench-team-").count() >= TEAMS:
        return
    rng = random.Random(7)
    teams = Team.objects.bulk_create(
        Team(slug=f"bench-team-{i}", name=f"{rng.choice(WORDS).capitalize()} team {i}")
        for i in range(TEAMS)
    )
    people = User.objects.bulk_create(
        User(
            username=f"bench.person{i}",
            display_name=f"{rng.choice(FIRST)} {rng.choice(LAST)} {i}",
        )
        for i in range(PEOPLE)
    )
    # A bulk insert sends no signal: add the names' words as a save of each would have.
    person_words_add(people=people)
    Membership.objects.bulk_create(
        Membership(team=teams[i % TEAMS], user=person) for i, person in enumerate(people)
    )
    Rotation.objects.bulk_create(
        Rotation(team=teams[i], name=f"{rng.choice(WORDS).capitalize()} rota {i}", timezone="UTC")
        for i in range(ROTAS)
    )
    Board.objects.bulk_create(
        Board(
            team=teams[i], name=f"{rng.choice(WORDS).capitalize()} board {i}", key_prefix=f"BB{i}"
        )
        for i in range(BOARDS)
    )


VOCABULARY = 40_000
SYLLABLES = [a + b for a in "bdfgklmnprstvz" for b in "aeiou"]


def pad_dictionary():
    """Made-up words of three syllables (e.g. "kavopu") up to VOCABULARY words in all."""
    from handbook.models import SearchWord

    missing = VOCABULARY - SearchWord.objects.count()
    if missing <= 0:
        return
    rng = random.Random(11)
    words = {"".join(rng.choice(SYLLABLES) for _ in range(3)) for _ in range(missing * 2)}
    SearchWord.objects.bulk_create(
        [SearchWord(word=word) for word in sorted(words)[:missing]],
        batch_size=5000,
        ignore_conflicts=True,
    )


def main():
    ensure_bench_database()
    token = bench_user_token()
    setup_django()

    from django.db import connection

    from handbook.models import Page, SearchWord
    from handbook.selectors import page_search_corrected, search_correction
    from handbook.selectors.switcher import switcher_search
    from handbook.services import search_words_rebuild

    seed_pages()
    seed_directory()
    # The bench's pages are inserted in bulk, not saved one by one: fill the dictionary; then
    # pad it to a large handbook's vocabulary with made-up words.
    search_words_rebuild()
    pad_dictionary()
    vacuum_tables()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE handbook_searchword")
    print(f"pages: {Page.objects.count()}; dictionary: {SearchWord.objects.count()} words")
    for query in TYPO_QUERIES:
        print(f"  {query!r} searches for {search_correction(query=query).searched_for!r}")

    switcher = timed(lambda: switcher_search(query=random.choice(SWITCHER_QUERIES)), repeat=300)
    print_figures("switcher, 5 kinds (selector, in process)", switcher)
    worst = max(
        (timed(lambda q=q: switcher_search(query=q), repeat=40) for q in SWITCHER_QUERIES),
        key=lambda result: result["p95_ms"],
    )
    print_figures("switcher, worst query (selector)", worst)
    typo = timed(
        lambda: page_search_corrected(query=random.choice(TYPO_QUERIES), limit=21), repeat=200
    )
    print_figures(f"typo search over {PAGES:,} pages (selector)", typo)
    correction = timed(lambda: search_correction(query=random.choice(TYPO_QUERIES)), repeat=300)
    print_figures("  of which the correction", correction)

    from accounts.models import User

    User.objects.get_or_create(username="bench.reader")
    cookie = session_cookie("bench.reader")
    with gunicorn(workers=2) as (host, port):
        floor = measure_floor(host, port, token, requests=1000, concurrency=2)
        print_figures("floor: GET /api/v1/auth/me/", floor)
        switch = merged(
            [
                load(
                    host,
                    port,
                    f"/switch/?q={quote(query)}",
                    headers={"Cookie": cookie},
                    requests=100,
                    concurrency=1,
                    warmup=3,
                )
                for query in SWITCHER_QUERIES
            ]
        )
        print_figures("GET /switch/ (p95 = worst query)", switch, floor)
        api = merged(
            [
                load(
                    host,
                    port,
                    f"/api/v1/pages/?q={quote(query)}",
                    headers={"Authorization": f"Token {token}"},
                    requests=100,
                    concurrency=1,
                    warmup=3,
                )
                for query in TYPO_QUERIES
            ]
        )
        print_figures("typo search API (p95 = worst query)", api, floor)


if __name__ == "__main__":
    main()

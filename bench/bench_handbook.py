"""Scenario: the handbook. Rendering a 200 KB page cold and cached, the cached page view over
HTTP against the floor, and search p50/p95 over 10,000 generated pages on PostgreSQL.

Targets (issue 3): cached view <= 1.5x the floor; search p95 <= 50 ms.
"""

import random
import sys
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent))

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

PAGES = 10_000
ROUNDS = 5
WORDS = [
    "release",
    "rotation",
    "handoff",
    "escalation",
    "incident",
    "pipeline",
    "triage",
    "backlog",
    "freeze",
    "candidate",
    "security",
    "patch",
    "monthly",
    "cloud",
    "review",
    "metrics",
    "kanban",
    "support",
    "primary",
    "backup",
    "lead",
    "owner",
    "deadline",
    "reminder",
    "calendar",
    "deploy",
    "rollback",
    "hotfix",
    "customer",
    "quality",
    "automation",
]
QUERIES = ["rotation", "security patch", "incident", "deadline reminder", "escalaton", "kanban"]


# Filler vocabulary: 3,000 made-up words, so that each handbook term above turns up in a few
# percent of the pages, as in a real handbook, not in every one.
FILLER = [
    f"{a}{b}{c}"
    for a in ("ba", "ko", "ri", "mu", "te", "sa")
    for b in ("lo", "ven", "dar", "mik", "pus")
    for c in range(100)
]


# Each handbook term turns up in about 4% of the pages, and one word ("team") in about a
# fifth of them: the worst case a ranked search meets in a real handbook.
COMMON = "team"
CORPUS = "c3"  # change to regenerate the pages when the recipe changes


def _word(rng):
    draw = rng.random()
    if draw < 0.001:
        return COMMON
    if draw < 0.006:
        return rng.choice(WORDS)
    return rng.choice(FILLER)


def _paragraph(rng, words=60):
    return " ".join(_word(rng) for _ in range(words)).capitalize() + "."


def seed_pages():
    """10,000 pages under bench/, inserted in bulk with their search vectors."""
    from django.contrib.postgres.search import SearchVector
    from django.db.models import F

    from handbook.models import Page

    existing = Page.objects.filter(path__startswith="bench/gen/").count()
    if existing >= PAGES and Page.objects.filter(title__startswith=f"{CORPUS} ").exists():
        return
    rng = random.Random(42)
    Page.objects.filter(path__startswith="bench/gen/").delete()
    batch = []
    for i in range(PAGES):
        title = f"{CORPUS} {rng.choice(WORDS)} {rng.choice(FILLER)} guide {i}"
        body = "\n\n".join(
            f"## {rng.choice(WORDS).capitalize()}\n\n{_paragraph(rng)}" for _ in range(4)
        )
        batch.append(Page(path=f"bench/gen/{i // 100}/page-{i}", title=title, markdown=body))
    Page.objects.bulk_create(batch, batch_size=1000)
    Page.objects.filter(path__startswith="bench/gen/").update(
        plain_text=F("markdown"),
        search_vector=SearchVector(F("title"), weight="A", config="english")
        + SearchVector(F("markdown"), weight="C", config="english"),
    )


def vacuum_tables():
    """Leave the bench database's tables as autovacuum would between bursts of writes: no
    dead row versions (a migration or a re-seed rewrites every row), GIN indexes' pending
    entries merged (a bulk insert leaves up to 4 MB of them, read by every search until then)
    and fresh planner statistics (without them the planner takes 10,000 people for one)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def big_markdown(target_bytes=200_000):
    rng = random.Random(7)
    parts = ["# A very long runbook\n"]
    section = 0
    while sum(len(p) for p in parts) < target_bytes:
        section += 1
        parts.append(f"\n## Section {section}\n\n{_paragraph(rng, 80)}\n")
        parts.append("\n| Step | Owner | Notes |\n|---|---|---|\n")
        parts += [
            f"| {n} | `@{rng.choice(WORDS)}` | <ul><li>{_paragraph(rng, 8)}</li></ul> |\n"
            for n in range(5)
        ]
        parts.append(f"\n- [x] {_paragraph(rng, 6)}\n- [ ] [next](page-{section}.md#part)\n")
    return "".join(parts)


def main():
    ensure_bench_database()
    token = bench_user_token()
    setup_django()

    from handbook import pages, services
    from handbook.models import Page
    from handbook.selectors import page_search

    seed_pages()
    markdown = big_markdown()
    page, _ = services.page_save(path="bench/big", title="Big page", markdown=markdown)
    vacuum_tables()
    page = Page.objects.get(pk=page.pk)
    print(f"pages: {Page.objects.count()}; big page: {len(markdown.encode()) / 1024:.0f} KiB")

    print_figures(
        "render 200 KB page, cold (in process)",
        timed(lambda: pages.render(markdown=page.markdown, path=page.path), repeat=10),
    )
    pages.render_cached(page)
    print_figures(
        "render 200 KB page, cached (in process)",
        timed(lambda: pages.render_cached(page), repeat=50),
    )

    from django.contrib.postgres.search import SearchQuery

    for query in [*QUERIES, COMMON]:
        matches = Page.objects.filter(
            search_vector=SearchQuery(query, search_type="websearch", config="english")
        ).count()
        print(f"  query {query!r}: {matches} matching pages")
    search = timed(lambda: page_search(query=random.choice(QUERIES)), repeat=200)
    print_figures(f"search over {PAGES:,} pages (selector, in process)", search)
    common = timed(lambda: page_search(query=COMMON), repeat=30)
    print_figures(f"search for {COMMON!r}, on ~1 page in 5 (worst case)", common)

    # Pages are read as an ordinary person (no team, no permissions): the common case, and
    # the one whose rights take a query.
    from accounts.models import User

    User.objects.get_or_create(username="bench.reader")
    cookie = session_cookie("bench.reader")
    with gunicorn(workers=2) as (host, port):
        floor = measure_floor(host, port, token, requests=1000, concurrency=2)
        print_figures("floor: GET /api/v1/auth/me/", floor)
        small = services.page_save(
            path="bench/small", title="Small", markdown="# Small\n\nHello.\n"
        )[0]
        for label, path in (
            ("cached view, small page, as a reader", small.path),
            ("cached view, 200 KB page, as a reader", page.path),
        ):
            # This machine's speed drifts within a run: the view and the floor take turns,
            # and the ratio reported is the median of the rounds' ratios.
            rounds = [
                (
                    measure_floor(host, port, token, requests=200, concurrency=2, warmup=5),
                    load(
                        host,
                        port,
                        f"/handbook/{path}",
                        headers={"Cookie": cookie},
                        requests=200,
                        concurrency=2,
                        warmup=5,
                    ),
                )
                for _ in range(ROUNDS)
            ]
            ratios = sorted(view["p50_ms"] / floor["p50_ms"] for floor, view in rounds)
            views = merged([view for _, view in rounds])
            print_figures(f"{label}: GET /handbook/{path}", views)
            print(
                f"{'':<44} p50 {ratios[len(ratios) // 2]:.2f}x the floor (median of {ROUNDS}"
                f" interleaved rounds; {ratios[0]:.2f}x to {ratios[-1]:.2f}x)",
                flush=True,
            )
        api_search = searches(host, port, "/api/v1/pages/?q=", {"Authorization": f"Token {token}"})
        print_figures(f"search API over {PAGES:,} pages (p95 = worst query)", api_search, floor)
        html_search = searches(host, port, "/handbook/?q=", {"Cookie": cookie})
        print_figures("search page, HTML (p95 = worst query)", html_search, floor)


def searches(host, port, prefix: str, headers: dict) -> dict:
    """Each query of QUERIES in turn, one connection at a time; merged figures."""
    results = [
        load(
            host,
            port,
            f"{prefix}{quote(query)}",
            headers=headers,
            requests=100,
            concurrency=1,
            warmup=3,
        )
        for query in QUERIES
    ]
    return merged(results)


def merged(results: list[dict]) -> dict:
    """Figures over several queries: the median p50, and the worst query's p95."""
    return {
        "p50_ms": sorted(r["p50_ms"] for r in results)[len(results) // 2],
        "p95_ms": max(r["p95_ms"] for r in results),
    }


if __name__ == "__main__":
    main()

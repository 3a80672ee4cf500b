"""Scenario: the handbook of a 10,000-engineer organisation. 100,000 pages written as a tree of
Markdown files for 500 teams (front matter naming the owner, headings, tables, links to
neighbours and to headings), loaded in bulk; the importer (as `manage.py handbook_import`
runs it) timed on whole teams of that tree and its pace given for the whole; then, at that
size, the cached page view over HTTP against the floor, search p95 through the API and the
quick switcher's p95 over HTTP.

Targets (the handbook-as-a-product issue): the cached page view <= 1.3x the floor; search
p95 <= 50 ms; switcher p95 <= 30 ms; the import of the whole tree <= 5 minutes.

SCALE_PAGES (default 100,000) makes a smaller run for a try-out: the figures say how many
pages they were measured at.
"""

import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_handbook import FILLER, WORDS, _paragraph, merged, vacuum_tables
from common import (
    bench_user_token,
    ensure_bench_database,
    gunicorn,
    interleaved,
    load,
    measure_floor,
    print_figures,
    session_cookie,
    setup_django,
)

PAGES = int(os.environ.get("SCALE_PAGES", "100000"))
TEAMS = 500
SECTIONS = 10  # per team, each with an index.md
PAGES_PER_TEAM = max(PAGES // TEAMS, SECTIONS)
ENGINEERS = 10_000
PREFIX = "org"
# Files in a team's part of the tree: its index, and each section's index and pages.
FILES_PER_TEAM = 1 + SECTIONS * (PAGES_PER_TEAM // SECTIONS)
# Files of the tree the importer is timed on (whole teams): by default the whole tree (about
# four minutes here, plus writing the files and removing the pages again); fewer for a
# try-out, whose pace is then given for the whole tree.
IMPORT_SAMPLE = int(os.environ.get("SCALE_IMPORT_FILES", str(TEAMS * FILES_PER_TEAM)))
RECIPE = "s1"  # change to import the tree again when the recipe changes
SEARCHES = ["rotation", "security patch", "incident", "deadline reminder", "relese", "kanban"]
SWITCHES = ["team 42", "rotat", "scale-team-4", "enginer 77", "incidnt", "kanban"]


def team_slug(n: int) -> str:
    return f"scale-team-{n}"


def seed_people():
    """500 teams and 10,000 engineers, 20 to a team, inserted in bulk once."""
    from accounts.models import User
    from handbook.models import Membership, Team
    from handbook.services import person_words_add

    if Team.objects.filter(slug__startswith="scale-team-").count() >= TEAMS:
        return
    teams = Team.objects.bulk_create(
        [Team(slug=team_slug(n), name=f"Scale team {n}") for n in range(TEAMS)],
        ignore_conflicts=True,
    )
    teams = list(Team.objects.filter(slug__startswith="scale-team-").order_by("pk"))
    User.objects.bulk_create(
        [
            User(username=f"scale.engineer.{n}", display_name=f"Engineer {n}", password="!")
            for n in range(ENGINEERS)
        ],
        batch_size=2000,
        ignore_conflicts=True,
    )
    people = User.objects.filter(username__startswith="scale.engineer.").order_by("pk")
    # A bulk insert sends no signal: add the names' words as a save of each would have.
    person_words_add(people=people.only(*User.NAME_FIELDS))
    Membership.objects.bulk_create(
        [Membership(team=teams[n % len(teams)], user=p) for n, p in enumerate(people)],
        batch_size=2000,
        ignore_conflicts=True,
    )


def page_markdown(rng: random.Random, *, team: int, section: int, number: int) -> str:
    """One page of the tree: front matter, a title, three sections, a table, and links to a
    neighbour, to a heading of the section's index and up to the team's index."""
    word = rng.choice(WORDS)
    sibling = (number + 1) % (PAGES_PER_TEAM // SECTIONS)
    parts = [
        f"---\nowner: {team_slug(team)}\n---\n",
        f"# {word.capitalize()} {rng.choice(FILLER)} notes {team}-{section}-{number}\n",
    ]
    for _ in range(3):
        parts.append(f"\n## {rng.choice(WORDS).capitalize()}\n\n{_paragraph(rng, 50)}\n")
    parts.append(
        "\n| Step | Who | Notes |\n|:---|:---:|---:|\n"
        + "".join(f"| {n} | {rng.choice(FILLER)} | {_paragraph(rng, 6)} |\n" for n in range(3))
    )
    parts.append(
        f"\nSee [the next page](page-{sibling}.md), [the overview](index.md#overview) and "
        "[the team](../index.md).\n"
    )
    return "".join(parts)


def tree_pages(teams: range):
    """(relative file path, Markdown) of every page of `teams`: an index.md per team and per
    section, then the section's pages."""
    rng = random.Random(2026)
    per_section = PAGES_PER_TEAM // SECTIONS
    for team in teams:
        slug = team_slug(team)
        yield (
            f"{slug}/index.md",
            f"---\nowner: {slug}\n---\n# Scale team {team}\n\n## Overview\n\n"
            f"{_paragraph(rng, 40)}\n",
        )
        for section in range(SECTIONS):
            yield (
                f"{slug}/section-{section}/index.md",
                f"# Section {section}\n\n## Overview\n\n{_paragraph(rng, 30)}\n",
            )
            for number in range(per_section - 1):
                yield (
                    f"{slug}/section-{section}/page-{number}.md",
                    page_markdown(rng, team=team, section=section, number=number),
                )


def seed_pages() -> int:
    """The whole tree as pages under PREFIX/, inserted in bulk with their owners, search text
    and vectors (as the importer would leave them, less the history), once per recipe; the
    search dictionary rebuilt from them. Returns how many pages are under PREFIX/."""
    from django.contrib.postgres.search import SearchVector
    from django.db.models import F

    from handbook.models import Page, Team
    from handbook.services import search_words_rebuild

    marker = f"{PREFIX}/recipe-{RECIPE}-{PAGES}"
    if not Page.objects.filter(path=marker).exists():
        Page.objects.filter(path__startswith=f"{PREFIX}/").delete()
        teams = {team.slug: team for team in Team.objects.filter(slug__startswith="scale-team-")}
        batch = []
        for relative, markdown in tree_pages(range(TEAMS)):
            path = f"{PREFIX}/{relative.removesuffix('.md')}"
            title = markdown.split("# ", 1)[1].split("\n", 1)[0]
            owner = teams[relative.split("/", 1)[0]]
            batch.append(Page(path=path, title=title, markdown=markdown, team=owner))
            if len(batch) == 5000:
                Page.objects.bulk_create(batch)
                batch = []
        Page.objects.bulk_create([*batch, Page(path=marker, title="Bench marker")])
        Page.objects.filter(path__startswith=f"{PREFIX}/").update(
            plain_text=F("markdown"),
            search_vector=SearchVector(F("title"), weight="A", config="english")
            + SearchVector(F("markdown"), weight="C", config="english"),
        )
        search_words_rebuild()
    return Page.objects.filter(path__startswith=f"{PREFIX}/").count()


def time_import(files: int) -> tuple[int, float]:
    """Import the first `files` files of the tree (whole teams) into a scratch prefix, as
    `manage.py handbook_import` does, and remove them again; (pages, seconds)."""
    from handbook.importer import handbook_import
    from handbook.models import Page

    scratch = f"{PREFIX}-import"
    Page.objects.filter(path__startswith=f"{scratch}/").delete()
    root = Path(tempfile.mkdtemp(prefix="bosun-scale-"))
    try:
        teams = range(min(max(files // FILES_PER_TEAM, 1), TEAMS))
        for relative, markdown in tree_pages(teams):
            (root / relative).parent.mkdir(parents=True, exist_ok=True)
            (root / relative).write_text(markdown)
        started = time.perf_counter()
        report = handbook_import(root=root, prefix=scratch)
        elapsed = time.perf_counter() - started
    finally:
        shutil.rmtree(root, ignore_errors=True)
        Page.objects.filter(path__startswith=f"{scratch}/").delete()
    if report.errors:
        raise RuntimeError(f"import errors: {report.errors[:5]}")
    return len(report.created), elapsed


def main():
    ensure_bench_database()
    token = bench_user_token()
    setup_django()
    from accounts.models import User
    from handbook.models import Page

    seed_people()
    imported = seed_pages()
    vacuum_tables()
    sample, seconds = time_import(IMPORT_SAMPLE)
    vacuum_tables()  # after the import's writes, as autovacuum would
    each = seconds / sample
    whole = "" if sample >= imported - 1 else f" (at the pace of {sample:,} files)"
    print(
        f"import of the whole tree of {imported:,} pages{whole}: {each * imported / 60:.1f} min "
        f"({each * 1000:.2f} ms a page; {sample:,} files imported in {seconds:.0f} s)",
        flush=True,
    )
    print(
        f"pages: {Page.objects.count():,}; teams: {TEAMS}; people: "
        f"{User.objects.filter(username__startswith='scale.engineer.').count():,}",
        flush=True,
    )

    page = Page.objects.filter(path__startswith=f"{PREFIX}/{team_slug(7)}/section-3/").first()
    User.objects.get_or_create(username="bench.reader")
    cookie = session_cookie("bench.reader")
    auth = {"Authorization": f"Token {token}"}
    with gunicorn(workers=2) as (host, port):
        floor = measure_floor(host, port, token, requests=1000, concurrency=2)
        print_figures("floor: GET /api/v1/auth/me/", floor)
        interleaved(
            host,
            port,
            token,
            f"/handbook/{page.path}",
            {"Cookie": cookie},
            label=f"cached page view at {imported:,} pages",
        )
        for label, prefix, headers, queries in (
            ("search API", "/api/v1/pages/?q=", auth, SEARCHES),
            ("quick switcher", "/switch/?q=", {"Cookie": cookie}, SWITCHES),
        ):
            results = [
                load(
                    host,
                    port,
                    f"{prefix}{quote(query)}",
                    headers=headers,
                    requests=60,
                    concurrency=1,
                    warmup=3,
                )
                for query in queries
            ]
            print_figures(
                f"{label} at {imported:,} pages (p95 = worst query)", merged(results), floor
            )


if __name__ == "__main__":
    main()

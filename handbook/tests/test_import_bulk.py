"""New files are created in batches (handbook/importer_bulk.py): the pages must come out as
page_save, one by one, leaves them, at a cost that does not grow with the files."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from handbook import importer
from handbook.importer import handbook_import
from handbook.models import Page, PageLink, SearchWord
from handbook.selectors import page_search
from handbook.services import page_save
from handbook.tests.factories import TeamFactory
from handbook.tests.test_import_export import TREE, write

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree(tmp_path):
    """The import tests' tree, its owner team, and a page with a live block."""
    TeamFactory(slug="platform-crew", name="Platform crew")
    root = tmp_path / "handbook"
    for relative, content in TREE.items():
        write(root, relative, content)
    write(root, "platform/teams.md", "# Teams\n\n{{ generator:team_members.platform-crew }}\n")
    return root


def _one_by_one(monkeypatch):
    monkeypatch.setattr(importer, "bulk_allowed", lambda *, user: False)


def _state(prefix: str) -> dict:
    """What a page is made of, with the prefix taken out of paths, by page."""
    pages = {}
    for page in Page.objects.filter(path__startswith=f"{prefix}/").select_related("team"):
        history = list(page.history.order_by("history_id"))
        pages[page.path.removeprefix(f"{prefix}/")] = {
            "title": page.title,
            "team": page.team_id,
            "review_by": page.review_by,
            "markdown": page.markdown,
            "front_matter": page.front_matter,
            "version": page.version,
            "anchors": page.anchors,
            "plain_text": page.plain_text,
            "vector": _vector_text(page),
            "links": [
                (
                    link.href,
                    (link.target_path or "").removeprefix(f"{prefix}/"),
                    link.anchor,
                    link.broken,
                )
                for link in page.links.order_by("position")
            ],
            "history": [
                (entry.history_type, entry.history_change_reason, entry.front_matter)
                for entry in history
            ],
        }
    return pages


def _vector_text(page) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT search_vector::text FROM handbook_page WHERE id = %s", [page.pk])
        return cursor.fetchone()[0]


def test_pages_created_in_a_batch_are_those_saved_one_by_one(tree, monkeypatch):
    # one link healed by a later file of the tree, one broken for good, one to a heading
    write(tree, "aaa/first.md", "# First\n\nSee [the last](../zzz/last.md#end) and [none](x.md).\n")
    write(tree, "zzz/last.md", "# Last\n\n## End\n\nFin.\n")
    batch = handbook_import(root=tree, prefix="a")
    _one_by_one(monkeypatch)
    single = handbook_import(root=tree, prefix="b")

    assert [p.removeprefix("a/") for p in batch.created] == [
        p.removeprefix("b/") for p in single.created
    ]
    assert batch.warnings == single.warnings and batch.repaired == single.repaired
    assert _state("a") == _state("b")
    first = _state("a")["aaa/first"]["links"]
    assert first == [("../zzz/last.md#end", "zzz/last", "end", False), ("x.md", "aaa/x", "", True)]


def test_a_batch_heals_links_of_pages_already_there(tmp_path):
    page_save(path="a/old", title="Old", markdown="Soon: [the new one](new/page.md).")
    assert PageLink.objects.get(page__path="a/old").broken
    write(tmp_path, "new/page.md", "# Quarterly zeppelin review\n\n## Checklist\n\nHangar.\n")
    report = handbook_import(root=tmp_path, prefix="a")

    assert report.created == ["a/new/page"]
    assert not PageLink.objects.get(page__path="a/old").broken
    # searchable by title and by heading, and its words are in the dictionary for typos
    assert [p.path for p in page_search(query="zeppelin")] == ["a/new/page"]
    assert [p.path for p in page_search(query="checklist")] == ["a/new/page"]
    assert SearchWord.objects.filter(word="hangar").exists()


@pytest.mark.parametrize("files", [5, 40])
def test_creating_a_batch_costs_the_same_queries_for_5_or_40_files(
    tmp_path, files, django_assert_num_queries
):
    for n in range(files):
        write(tmp_path, f"s/p{n}.md", f"# Page {n}\n\n[next](p{n + 1}.md) [team](../index.md)\n")
    with CaptureQueriesContext(connection) as queries:
        report = handbook_import(root=tmp_path, prefix="x")
    assert len(report.created) == files
    statements = [q["sql"] for q in queries.captured_queries if "SAVEPOINT" not in q["sql"]]
    # which paths exist; the pages, their history; the links' targets (and old addresses),
    # the links; other pages' links to the new paths; the words; then the report's broken
    # links (the links, and their targets' pages and old addresses, twice). No owners here:
    # none is named.
    assert len(statements) == 14, "\n".join(s[:100] for s in statements)


def test_a_file_the_database_refuses_is_reported_and_the_rest_still_created(tmp_path):
    write(tmp_path, "a.md", "# A\n\nFine.\n")
    write(tmp_path, "b.md", "# B\n\nA NUL \x00 byte.\n")
    write(tmp_path, "c.md", "# C\n\nFine too.\n")
    report = handbook_import(root=tmp_path, prefix="n")

    assert report.created == ["n/a", "n/c"]
    assert [error.path for error in report.errors] == ["b.md"]
    assert set(Page.objects.values_list("path", flat=True)) == {"n/a", "n/c"}

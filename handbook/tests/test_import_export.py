import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from handbook import services
from handbook.importer import FileProblem, handbook_export, handbook_import
from handbook.models import Page, PageLink
from handbook.selectors import BrokenLink, LinkSuggestion
from handbook.tests.factories import TeamFactory

pytestmark = pytest.mark.django_db

# An em dash and an emoji written as UTF-8 and read back as Mac Roman, as old editors did.
MOJIBAKE = "— 👀".encode().decode("mac_roman")

FRONT_MATTER = """---
title: Platform Crew
owner: platform-crew
review_by: 2031-03-01
# a comment, kept as written
---
"""

INDEX = (
    FRONT_MATTER
    + """# Platform crew charter

We keep the build farm, the deploy pipeline and the release tooling healthy.

<!-- The member list below comes from the people directory. -->

## Contact us

| When | Who, in order | Where |
| --- | --- | --- |
| A deploy is stuck | <ul><li>`@deploy-duty`</li><li>`@platform-leads`</li></ul> | ~platform |
| Anything else | Ask in the channel<br>we answer within a day | ~platform |

## Read more

- How we share support work: [support rotation](processes.md#support-rotation)
- Our [guides](../guides/index.md)
- Back to [the contact table](./#contact-us)
- The [on-call runbook](../runbooks/on-call.md) is still to be written.
"""
)

PROCESSES = f"""# How the platform crew works

## Support rotation

One engineer holds the rota for a week {MOJIBAKE} the lead looks over what came in on Fridays.

> 🚨 A failed production deploy jumps the queue; everything else waits for triage.

## Next steps

- [x] Write down the hand-off checklist
- [ ] Automate the weekly rota reminder

Still stuck? Use [the contact table](index.md#contact-us).
"""

GUIDES = (
    "# Guides\r\n"
    "\r\n"
    "Start with the [platform charter](../platform/index.md).\r\n"
    "Vendor documentation lives at [their site](https://example.com/docs).\r\n"
)

CALENDAR = "Release dates are agreed two weeks ahead; see the [guides](index.md).\n"

TREE = {
    "platform/index.md": INDEX,
    "platform/processes.md": PROCESSES,
    "guides/index.md": GUIDES,
    "guides/Release Calendar.md": CALENDAR,
}

PATHS = {
    "eng/platform/index",
    "eng/platform/processes",
    "eng/guides/index",
    "eng/guides/release-calendar",
}

THE_BROKEN_LINK = BrokenLink(
    "eng/platform/index", "../runbooks/on-call.md", "missing page eng/runbooks/on-call"
)


def write(root, relative, content):
    file = root / relative
    file.parent.mkdir(parents=True, exist_ok=True)
    file.write_bytes(content if isinstance(content, bytes) else content.encode())


@pytest.fixture
def team():
    return TeamFactory(slug="platform-crew", name="Platform crew")


@pytest.fixture
def tree(tmp_path, team):
    root = tmp_path / "handbook"
    for relative, content in TREE.items():
        write(root, relative, content)
    return root


def import_tree(root, **kwargs):
    return handbook_import(root=root, prefix="eng", **kwargs)


def test_import_creates_pages_with_paths_titles_and_owner(tree, team):
    report = import_tree(tree)

    assert set(report.created) == PATHS
    assert report.updated == report.unchanged == report.errors == report.warnings == []
    pages = {page.path: page for page in Page.objects.all()}
    assert set(pages) == PATHS
    index = pages["eng/platform/index"]
    assert index.title == "Platform Crew"  # front matter beats the heading
    assert index.team == team
    assert index.review_by == datetime.date(2031, 3, 1)
    assert index.front_matter == FRONT_MATTER
    assert index.markdown == INDEX.removeprefix(FRONT_MATTER)
    assert pages["eng/platform/processes"].title == "How the platform crew works"
    assert pages["eng/platform/processes"].front_matter == ""
    assert pages["eng/guides/release-calendar"].title == "Release Calendar"
    assert pages["eng/guides/release-calendar"].team is None


def test_import_repairs_mojibake_and_counts_the_file(tree):
    report = import_tree(tree)

    assert report.repaired == ["platform/processes.md"]
    markdown = Page.objects.get(path="eng/platform/processes").markdown
    assert "a week — 👀 the lead" in markdown
    assert MOJIBAKE not in markdown
    # Only the encoding is repaired: every other character stays as written.
    assert markdown == PROCESSES.replace(MOJIBAKE, "— 👀")


def test_import_reports_only_the_broken_link(tree):
    report = import_tree(tree)

    assert report.broken_links == [THE_BROKEN_LINK]
    # The relative links and anchors were read, and judged sound, not merely overlooked.
    sound = set(
        PageLink.objects.filter(page__path="eng/platform/index", broken=False).values_list(
            "href", flat=True
        )
    )
    assert {"processes.md#support-rotation", "../guides/index.md", "./#contact-us"} <= sound
    # Linked to before the target page existed (files import in name order): healed since.
    assert not PageLink.objects.get(page__path="eng/guides/index", target_path__isnull=False).broken


def test_missing_anchor_is_told_apart_from_missing_page(tmp_path):
    write(tmp_path, "a.md", "# A\n\nSee [b](b.md#nowhere) and [c](c.md).\n")
    write(tmp_path, "b.md", "# B\n\n## Somewhere\n")

    report = handbook_import(root=tmp_path)

    assert report.broken_links == [
        BrokenLink(
            "a",
            "b.md#nowhere",
            "missing anchor #nowhere on b",
            # The section most like the one asked for.
            LinkSuggestion(href="b.md#somewhere", path="b", anchor="somewhere"),
        ),
        BrokenLink("a", "c.md", "missing page c"),
    ]


def test_reimport_of_the_same_files_changes_nothing(tree):
    import_tree(tree)

    report = import_tree(tree)

    assert report.created == report.updated == []
    assert set(report.unchanged) == PATHS
    assert report.broken_links == [THE_BROKEN_LINK]
    for page in Page.objects.all():
        assert page.history.count() == 1, page.path


def test_changed_file_updates_only_that_page(tree):
    import_tree(tree)
    write(tree, "platform/processes.md", PROCESSES + "\nHand-offs happen on Monday mornings.\n")

    report = import_tree(tree)

    assert report.updated == ["eng/platform/processes"]
    assert set(report.unchanged) == PATHS - {"eng/platform/processes"}
    revisions = {page.path: page.history.count() for page in Page.objects.all()}
    assert revisions == {path: 2 if path == "eng/platform/processes" else 1 for path in PATHS}


def test_front_matter_is_part_of_the_revision(tree):
    import_tree(tree)
    index = Page.objects.get(path="eng/platform/index")
    assert index.history.get().front_matter == FRONT_MATTER
    edited = FRONT_MATTER.replace("# a comment, kept as written", "# reviewed by the crew")
    write(tree, "platform/index.md", INDEX.replace(FRONT_MATTER, edited))

    report = import_tree(tree)

    assert report.updated == ["eng/platform/index"]
    index.refresh_from_db()
    assert index.front_matter == edited
    assert index.history.count() == 2
    assert index.history.latest().front_matter == edited


def test_export_gives_back_the_imported_bytes(tree, tmp_path):
    originals = {relative: (tree / relative).read_bytes() for relative in TREE}
    import_tree(tree)
    out = tmp_path / "exported"

    assert handbook_export(root=out, prefix="eng") == 4

    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*.md")) == [
        "guides/index.md",
        "guides/release-calendar.md",
        "platform/index.md",
        "platform/processes.md",
    ]
    assert (out / "platform/index.md").read_bytes() == originals["platform/index.md"]
    assert (out / "guides/release-calendar.md").read_bytes() == originals[
        "guides/Release Calendar.md"
    ]
    repaired = originals["platform/processes.md"].decode().replace(MOJIBAKE, "— 👀").encode()
    assert (out / "platform/processes.md").read_bytes() == repaired
    assert (out / "guides/index.md").read_bytes() == originals["guides/index.md"].replace(
        b"\r\n", b"\n"
    )


def test_export_writes_newlines_for_text_edited_in_a_browser(tmp_path):
    services.page_save(path="ops/notes", title="Notes", markdown="# Notes\r\n\r\nOne line.\r\n")

    call_command("export_handbook", str(tmp_path), stdout=StringIO())

    assert (tmp_path / "ops/notes.md").read_bytes() == b"# Notes\n\nOne line.\n"


def test_check_links_fails_until_the_link_is_fixed(tree, team):
    import_tree(tree)
    out = StringIO()

    with pytest.raises(CommandError) as failure:
        call_command("check_links", stdout=out)

    assert failure.value.returncode == 1
    assert "1 broken link" in str(failure.value)
    assert out.getvalue() == (
        "eng/platform/index: ../runbooks/on-call.md (missing page eng/runbooks/on-call)\n"
    )
    with pytest.raises(CommandError):
        call_command("check_links", "--team", team.slug, stdout=StringIO())
    other = TeamFactory()
    out = StringIO()
    call_command("check_links", "--team", other.slug, stdout=out)
    assert out.getvalue() == "No broken links.\n"

    write(tree, "runbooks/on-call.md", "# On call\n\nPage the deploy duty first.\n")
    import_tree(tree)
    out = StringIO()
    call_command("check_links", stdout=out)
    assert out.getvalue() == "No broken links.\n"


def test_file_that_is_not_utf8_is_an_error_and_the_others_import(tree):
    write(tree, "platform/legacy.md", b"# Legacy\n\nCaf\xe9 hours\n")

    report = import_tree(tree)

    assert report.errors == [FileProblem("platform/legacy.md", "Not UTF-8 text (byte 13).")]
    assert set(report.created) == PATHS
    assert not Page.objects.filter(path="eng/platform/legacy").exists()


def test_file_name_that_cannot_be_a_page_path_is_an_error(tree):
    write(tree, "platform/notes (old).md", "# Old notes\n")
    write(tree, "Guides/index.md", "# Guides again\n")

    report = import_tree(tree)

    assert [problem.path for problem in report.errors] == [
        "guides/index.md",
        "platform/notes (old).md",
    ]
    assert "Same page path eng/guides/index as Guides/index.md" in report.errors[0].message
    assert "eng/platform/notes-(old)" in report.errors[1].message
    assert Page.objects.get(path="eng/guides/index").title == "Guides again"
    assert set(report.created) == PATHS


def test_unknown_owner_is_a_warning_not_a_failure(tree):
    write(tree, "platform/index.md", INDEX.replace("owner: platform-crew", "owner: no-such-team"))

    report = import_tree(tree)

    assert report.errors == []
    assert report.warnings == [
        FileProblem("platform/index.md", "No team 'no-such-team'; the page has no owner.")
    ]
    assert Page.objects.get(path="eng/platform/index").team is None


def test_reimport_keeps_the_owner_set_in_the_portal_when_the_file_names_none(tree, team):
    import_tree(tree)
    page = Page.objects.get(path="eng/guides/release-calendar")
    services.page_save(path=page.path, title=page.title, markdown=page.markdown, team=team)

    report = import_tree(tree)

    assert set(report.unchanged) == PATHS
    assert Page.objects.get(path="eng/guides/release-calendar").team == team


def test_dry_run_reports_but_saves_nothing(tree):
    report = import_tree(tree, dry_run=True)

    assert set(report.created) == PATHS
    assert report.repaired == ["platform/processes.md"]
    assert report.broken_links == [THE_BROKEN_LINK]
    assert not Page.objects.exists()


def test_import_command_prints_the_report(tree):
    out = StringIO()

    call_command("import_handbook", str(tree), "--prefix", "eng", stdout=out)

    printed = out.getvalue()
    assert "4 created, 0 updated, 0 unchanged." in printed
    assert "Repaired mojibake: platform/processes.md" in printed
    assert "eng/platform/index: ../runbooks/on-call.md (missing page eng/runbooks/on-call)" in (
        printed
    )


def test_import_command_fails_when_a_file_could_not_be_imported(tree):
    write(tree, "platform/legacy.md", b"\xff\xfe# Legacy\n")
    err = StringIO()

    with pytest.raises(CommandError, match="1 file"):
        call_command("import_handbook", str(tree), stdout=StringIO(), stderr=err)

    assert "Error: platform/legacy.md: Not UTF-8 text (byte 0)." in err.getvalue()
    assert Page.objects.filter(path="platform/index").exists()


def test_link_above_the_root_says_so(tmp_path):
    write(tmp_path, "team/index.md", "# Team\n\nSee [incidents](../../incidents/index.md).\n")

    report = handbook_import(root=tmp_path)

    assert report.broken_links == [
        BrokenLink(
            "team/index",
            "../../incidents/index.md",
            "missing page: the link leads above the handbook's root",
        )
    ]

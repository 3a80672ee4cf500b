"""Markdown rendering of handbook pages: GFM, anchors, TOC and link checking.

Pure functions: the handbook is a dict behind a fake `lookup` that counts its calls.
"""

import re

import pytest

from handbook.rendering import (
    LinkRef,
    PageTarget,
    TocEntry,
    nest_shallow_sublists,
    resolve_href,
)
from handbook.tests.rendering_helpers import HERE, FakeHandbook, anchor_tag, render

# --- resolve_href ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("href", "page_path", "expected"),
    [
        (
            "processes.md#support-rotation",
            HERE,
            ("engineering/delivery/processes", "support-rotation"),
        ),
        # a sibling page resolves against the same folder as the folder's index page
        (
            "processes.md#support-rotation",
            "engineering/delivery/processes",
            ("engineering/delivery/processes", "support-rotation"),
        ),
        ("./processes.md", HERE, ("engineering/delivery/processes", "")),
        ("../../incidents/index.md", HERE, ("incidents/index", "")),
        ("../../incidents/index.md", "engineering/delivery/processes", ("incidents/index", "")),
        ("sub/team/roles.md", HERE, ("engineering/delivery/sub/team/roles", "")),
        (
            "./#triage-steps",
            "engineering/delivery/processes",
            ("engineering/delivery/index", "triage-steps"),
        ),
        ("./", "engineering/delivery/processes", ("engineering/delivery/index", "")),
        (".", "engineering/delivery/processes", ("engineering/delivery/index", "")),
        ("index.md", "engineering/delivery/processes", ("engineering/delivery/index", "")),
        ("index.md#scope", HERE, (HERE, "scope")),
        ("../other/", HERE, ("engineering/other/index", "")),
        ("..", HERE, ("engineering/index", "")),
        # no extension names a folder, as on a git host
        ("../other", HERE, ("engineering/other/index", "")),
        (
            "#escalation",
            "engineering/delivery/processes",
            ("engineering/delivery/processes", "escalation"),
        ),
        ("?plain=1#escalation", HERE, (HERE, "escalation")),
        ("My%20Page.md", HERE, ("engineering/delivery/My Page", "")),
        ("Guide.MD?plain=1#Setup", HERE, ("engineering/delivery/Guide", "Setup")),
        ("caf%C3%A9.md#r%C3%A9sum%C3%A9", HERE, ("engineering/delivery/café", "résumé")),
        ("notes.markdown", HERE, ("engineering/delivery/notes", "")),
        ("  processes.md  ", HERE, ("engineering/delivery/processes", "")),
        ("handbook.md", "index", ("handbook", "")),
        ("./", "index", ("index", "")),
        # above the root: the `..` stay, so no page can match and the link reads as broken
        ("../../../outside.md", HERE, ("../outside", "")),
        ("../../../../a/b.md#c", HERE, ("../../a/b", "c")),
    ],
)
def test_resolve_href_finds_the_page_like_git_does(href, page_path, expected):
    assert resolve_href(href, page_path=page_path) == expected


@pytest.mark.parametrize(
    "href",
    [
        "https://example.org/guide.md",
        "http://example.org",
        "HTTPS://example.org/x.md",
        "mailto:rota@example.org",
        "tel:+15550100",
        "ftp://files.example.org/notes.md",
        "//cdn.example.org/guide.md",
        "//",
        "/handbook/engineering/delivery/index",
        "/root-level.md",
        "diagram.png",
        "./files/Quarterly-report.pdf",
        "../assets/logo.svg?raw=1",
        "javascript:alert(1)",
        "jav\tascript:alert(1)",
        "http://[unclosed",
        "",
        "   ",
    ],
)
def test_resolve_href_ignores_external_absolute_and_non_markdown_links(href):
    assert resolve_href(href, page_path=HERE) is None


# --- GFM -------------------------------------------------------------------------------------


CONTACT_TABLE = """\
| Reason | Contacts | Where |
|---|---|---|
| Broken deploys | <ul><li>`@deploy-captain` mention</li><li>`@rota-week` mention</li></ul> | Chat |
| Flaky pipelines | <ul><li>See [the guide](processes.md#pipelines)</li></ul> | Chat<br>Tracker |
"""


def test_tables_keep_lists_and_line_breaks_inside_cells():
    handbook = FakeHandbook(
        {
            "engineering/delivery/processes": PageTarget(
                "engineering/delivery/processes", ["pipelines"]
            )
        }
    )
    html = render(CONTACT_TABLE, handbook=handbook).html
    assert "<th>Reason</th>" in html
    assert (
        "<td><ul><li><code>@deploy-captain</code> mention</li><li><code>@rota-week</code>" in html
    )
    assert "<td>Chat<br>Tracker</td>" in html
    # a markdown link inside raw HTML in a cell is still a resolved handbook link
    assert anchor_tag(html, "the guide").startswith(
        '<a href="/handbook/engineering/delivery/processes#pipelines"'
    )


def test_task_lists_render_as_disabled_checkboxes():
    html = render("- [x] Write the runbook\n- [ ] Rehearse the failover\n").html
    assert '<ul class="contains-task-list">' in html
    items = re.findall(r'<li class="task-list-item">(<input [^>]*>)\s*([^<]*)</li>', html)
    assert [text for _, text in items] == ["Write the runbook", "Rehearse the failover"]
    done, todo = (tag for tag, _ in items)
    assert 'type="checkbox"' in done and 'disabled=""' in done and 'checked=""' in done
    assert 'type="checkbox"' in todo and 'disabled=""' in todo and "checked" not in todo


def test_strikethrough_with_one_or_two_tildes():
    html = render("We ~~used to~~ no longer page at night, ~ever~.").html
    assert "We <s>used to</s> no longer page at night, <s>ever</s>." in html


def test_bare_urls_and_www_become_links_left_as_they_are():
    rendered = render("Status at www.example.org and https://status.example.org/today.")
    assert '<a href="http://www.example.org" rel="noopener">www.example.org</a>' in rendered.html
    assert (
        '<a href="https://status.example.org/today" rel="noopener">'
        "https://status.example.org/today</a>." in rendered.html
    )
    assert rendered.links == [
        LinkRef("http://www.example.org", None, "", broken=False),
        LinkRef("https://status.example.org/today", None, "", broken=False),
    ]


def test_footnotes_link_both_ways_and_are_not_page_links():
    rendered = render("Deploys freeze on Fridays.[^freeze]\n\n[^freeze]: Except for hotfixes.\n")
    html = rendered.html
    assert (
        '<sup class="footnote-ref"><a href="#fn1" id="fnref1" rel="noopener">[1]</a></sup>' in html
    )
    assert '<section class="footnotes">' in html
    assert '<li id="fn1" class="footnote-item"><p>Except for hotfixes.' in html
    assert 'href="#fnref1" class="footnote-backref"' in html
    assert "broken-link" not in html
    assert rendered.links == []


@pytest.mark.parametrize(
    ("marker", "kind", "title"),
    [
        ("NOTE", "note", "Note"),
        ("TIP", "tip", "Tip"),
        ("IMPORTANT", "important", "Important"),
        ("WARNING", "warning", "Warning"),
        ("CAUTION", "caution", "Caution"),
    ],
)
def test_callouts_render_as_titled_alert_blocks(marker, kind, title):
    html = render(f"> [!{marker}]\n> Rotate the **keys** first.\n").html
    assert html.startswith(f'<div class="markdown-alert markdown-alert-{kind}">')
    assert f'<p class="markdown-alert-title">{title}</p>' in html
    assert "<p>Rotate the <strong>keys</strong> first.</p>" in html
    assert "[!" not in html


def test_plain_blockquotes_keep_emoji_and_line_breaks():
    html = render("> ⚠️ Read this before paging.<br>Then page anyway.\n").html
    assert (
        html
        == "<blockquote>\n<p>⚠️ Read this before paging.<br>Then page anyway.</p>\n</blockquote>\n"
    )


def test_html_comments_never_reach_the_output():
    rendered = render(
        "# Team\n\n<!-- ## Hiring plan\n\nTBD, see [draft](draft.md) -->\n\n"
        "Visible <!-- secret note --> text.\n"
    )
    assert "<!--" not in rendered.html
    assert "Hiring" not in rendered.html and "secret" not in rendered.html
    assert "<p>Visible  text.</p>" in rendered.html
    # nor do the headings and links inside them count
    assert [entry.title for entry in rendered.toc] == ["Team"]
    assert rendered.links == []


# --- Headings ---------------------------------------------------------------------------------


HEADINGS = """\
# Release train

## Checklist

### Checklist

## Checklist

## Who's on call? (EU & US)

## Überblick: Ablauf

## 🚀

#### `deploy --dry-run` flags
"""


def test_every_heading_gets_a_unique_github_style_anchor():
    rendered = render(HEADINGS)
    expected = [
        "release-train",
        "checklist",
        "checklist-1",
        "checklist-2",
        "whos-on-call-eu--us",
        "überblick-ablauf",
        "section",  # nothing left to slug: a fixed word, not an empty id
        "deploy---dry-run-flags",
    ]
    assert rendered.anchors == expected
    ids = re.findall(r'<h[1-6] id="([^"]+)"', rendered.html)
    assert ids == expected


def test_toc_lists_every_heading_with_level_title_and_anchor():
    rendered = render(HEADINGS)
    assert rendered.toc == [
        TocEntry(1, "Release train", "release-train"),
        TocEntry(2, "Checklist", "checklist"),
        TocEntry(3, "Checklist", "checklist-1"),
        TocEntry(2, "Checklist", "checklist-2"),
        TocEntry(2, "Who's on call? (EU & US)", "whos-on-call-eu--us"),
        TocEntry(2, "Überblick: Ablauf", "überblick-ablauf"),
        TocEntry(2, "🚀", "section"),
        TocEntry(4, "deploy --dry-run flags", "deploy---dry-run-flags"),
    ]
    assert rendered.headings_text.splitlines() == [entry.title for entry in rendered.toc]


def test_headings_carry_a_permalink_that_is_not_counted_as_a_link():
    rendered = render("## Escalation\n")
    assert rendered.html.startswith(
        '<h2 id="escalation">Escalation <a class="header-anchor" href="#escalation" '
        'aria-label="Link to this section: Escalation" rel="noopener">#</a></h2>'
    )
    assert rendered.links == []


# --- Links ------------------------------------------------------------------------------------


# --- Generators -------------------------------------------------------------------------------


def test_generator_blocks_are_expanded_before_parsing_and_reported():
    seen = []

    def expand(markdown: str) -> tuple[str, set[str]]:
        seen.append(markdown)
        return markdown.replace("{{generator:team_members.delivery}}", "## Members\n\n- Ada"), {
            "team_members"
        }

    rendered = render("# Team\n\n{{generator:team_members.delivery}}\n", expand=expand)
    assert seen == ["# Team\n\n{{generator:team_members.delivery}}\n"]
    assert rendered.generators == {"team_members"}
    assert "<li>Ada</li>" in rendered.html
    assert "members" in rendered.anchors
    assert "{{generator" not in rendered.html


def test_without_expand_generator_markers_stay_text_and_none_are_reported():
    rendered = render("{{generator:team_members.delivery}}")
    assert rendered.generators == set()
    assert rendered.html == "<p>{{generator:team_members.delivery}}</p>\n"


def test_sub_lists_two_spaces_under_numbered_steps_nest_in_their_step():
    html = render(
        "1. Restore the service\n  * roll back first\n  * then look for the cause\n"
        "2. Tell the people affected\n  * status page\n    * and the channel\n3. Write it up\n"
    ).html
    assert html.count("<ol>") == 1  # one numbered list, not three broken up by bullets
    steps = re.findall(r"<li>([^<\n]*)", html)
    assert steps[:3] == ["Restore the service", "roll back first", "then look for the cause"]
    assert re.search(r"<li>status page\s*<ul>\s*<li>and the channel</li>", html)


def test_nesting_repair_leaves_code_and_correctly_indented_lists_alone():
    fenced = "```\n1. step\n  * stays two spaces in: it is code\n```\n"
    assert "1. step\n  * stays two spaces in: it is code\n" in render(fenced).html
    proper = "1. Step\n   * already nested\n     * and deeper\n2. Next\n\n  Text after.\n"
    assert nest_shallow_sublists(proper) == proper


def test_a_year_wrapped_onto_a_new_line_is_not_taken_for_a_numbered_step():
    text = "We moved the fleet in\n2019. Since then:\n  - builds are signed\n  - deploys staged\n"
    assert nest_shallow_sublists(text) == text
    assert "<li>builds are signed</li>" in render(text).html


def test_code_fenced_inside_a_shallow_sub_list_moves_with_it():
    steps = "1. Step\n  * run:\n    ```\n    make it\n    ```\n  * then check\n2. Next\n"
    html = render(steps).html
    assert html.count("<ol>") == 1
    assert re.search(r"<li>run:\s*<pre><code>make it\n</code></pre>\s*</li>\s*<li>then check", html)


def test_a_longer_fence_is_closed_only_by_one_as_long():
    text = "````\n1. x\n```\n  * stays as written\n````\n"
    assert nest_shallow_sublists(text) == text


def test_table_column_alignment_is_kept_as_classes():
    html = render(
        "| Step | Who | Hours |\n|:---|:---:|---:|\n| 1 | Ops | 4 |\n| 2 | Dev | 12 |\n"
    ).html
    assert '<th class="align-left">Step</th>' in html
    assert '<th class="align-center">Who</th>' in html
    assert '<td class="align-right">12</td>' in html
    assert "style=" not in html
    # A column without a colon has no alignment; raw HTML cannot smuggle other styles in.
    assert "<td>x</td>" in render("| a |\n|---|\n| x |\n").html
    raw = render('<table><tr><td class="align-right other" style="color:red">y</td></tr></table>')
    assert '<td class="align-right">y</td>' in raw.html

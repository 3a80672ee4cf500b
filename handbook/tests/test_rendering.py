"""Markdown rendering of handbook pages: GFM, anchors, TOC and link checking.

Pure functions: the handbook is a dict behind a fake `lookup` that counts its calls.
"""

import re

import pytest

from handbook.rendering import (
    LinkRef,
    PageTarget,
    Rendered,
    TocEntry,
    nest_shallow_sublists,
    render_markdown,
    resolve_href,
)

HERE = "engineering/delivery/index"


class FakeHandbook:
    """The `lookup` callable: pages by path, remembering every question it was asked."""

    def __init__(self, pages: dict[str, PageTarget] | None = None) -> None:
        self.pages = pages or {}
        self.calls: list[set[str]] = []

    def __call__(self, paths: set[str]) -> dict[str, PageTarget]:
        self.calls.append(set(paths))
        return {path: self.pages[path] for path in paths if path in self.pages}


def url_for(path: str) -> str:
    return f"/handbook/{path}"


def render(
    markdown: str, *, page_path: str = HERE, handbook: FakeHandbook | None = None, expand=None
) -> Rendered:
    return render_markdown(
        markdown,
        page_path=page_path,
        lookup=handbook if handbook is not None else FakeHandbook(),
        url_for=url_for,
        expand=expand,
    )


def anchor_tag(html: str, text: str) -> str:
    """The opening <a ...> tag of the link whose text is `text`."""
    match = re.search(rf"(<a [^>]*>){re.escape(text)}</a>", html)
    assert match, f"no link {text!r} in {html}"
    return match.group(1)


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


def test_valid_links_point_at_the_page_url_with_the_anchor():
    handbook = FakeHandbook(
        {
            "engineering/delivery/processes": PageTarget(
                "engineering/delivery/processes", ["support-rotation"]
            ),
            "incidents/index": PageTarget("incidents/index", []),
        }
    )
    rendered = render(
        "[rota](processes.md#support-rotation) and [incidents](../../incidents/index.md)",
        handbook=handbook,
    )
    assert anchor_tag(rendered.html, "rota") == (
        '<a href="/handbook/engineering/delivery/processes#support-rotation" rel="noopener">'
    )
    assert (
        anchor_tag(rendered.html, "incidents")
        == '<a href="/handbook/incidents/index" rel="noopener">'
    )
    assert rendered.links == [
        LinkRef(
            "processes.md#support-rotation",
            "engineering/delivery/processes",
            "support-rotation",
            False,
        ),
        LinkRef("../../incidents/index.md", "incidents/index", "", False),
    ]


def test_a_link_to_a_missing_page_is_flagged_and_stays_visible():
    rendered = render("See the [old runbook](runbook.md).")
    assert (
        '<a href="/handbook/engineering/delivery/runbook" class="broken-link" '
        'title="Broken link: no page engineering/delivery/runbook" rel="noopener">old runbook</a>'
    ) in rendered.html
    assert rendered.links == [LinkRef("runbook.md", "engineering/delivery/runbook", "", True)]


def test_a_link_to_a_missing_section_is_flagged_with_the_reason():
    handbook = FakeHandbook(
        {"engineering/delivery/processes": PageTarget("engineering/delivery/processes", ["triage"])}
    )
    rendered = render("[rota](processes.md#support-rotation)", handbook=handbook)
    assert anchor_tag(rendered.html, "rota") == (
        '<a href="/handbook/engineering/delivery/processes#support-rotation" class="broken-link" '
        'title="Broken link: no section #support-rotation on page engineering/delivery/processes" '
        'rel="noopener">'
    )
    assert rendered.links[0].broken


def test_a_moved_page_is_linked_at_its_current_path():
    handbook = FakeHandbook(
        {"engineering/delivery/oncall": PageTarget("operations/oncall/index", ["handoff"])}
    )
    rendered = render("[on call](oncall.md#handoff)", handbook=handbook)
    assert 'href="/handbook/operations/oncall/index#handoff"' in rendered.html
    assert "broken-link" not in rendered.html
    # the link still records the path it names, so it can be rewritten later
    assert rendered.links == [
        LinkRef("oncall.md#handoff", "engineering/delivery/oncall", "handoff", False)
    ]


def test_links_within_the_page_are_checked_against_its_own_headings_without_lookup():
    handbook = FakeHandbook()
    rendered = render(
        "# Support\n\n## Triage steps\n\n[up](#triage-steps) [gone](#nowhere) "
        "[also here](./#triage-steps) [index](index.md#support)\n",
        handbook=handbook,
    )
    assert anchor_tag(rendered.html, "up") == '<a href="#triage-steps" rel="noopener">'
    assert anchor_tag(rendered.html, "also here") == '<a href="#triage-steps" rel="noopener">'
    assert anchor_tag(rendered.html, "index") == '<a href="#support" rel="noopener">'
    assert anchor_tag(rendered.html, "gone") == (
        '<a href="#nowhere" class="broken-link" '
        'title="Broken link: no section #nowhere on this page" rel="noopener">'
    )
    assert [link.broken for link in rendered.links] == [False, True, False, False]
    assert {link.target for link in rendered.links} == {HERE}
    assert handbook.calls == [set()]


def test_raw_html_links_are_resolved_and_flagged_too():
    handbook = FakeHandbook(
        {"engineering/delivery/faq": PageTarget("engineering/delivery/faq", [])}
    )
    rendered = render(
        '<a href="faq.md" title="Questions">FAQ</a> and '
        '<a href="lost.md" class="fancy">lost</a>\n\n'
        '<div><a href="../../incidents/index.md#sev1">sev 1</a></div>\n',
        handbook=handbook,
    )
    assert anchor_tag(rendered.html, "FAQ") == (
        '<a href="/handbook/engineering/delivery/faq" title="Questions" rel="noopener">'
    )
    # the author's own class is not one the sanitiser keeps; the broken-link flag is
    assert anchor_tag(rendered.html, "lost") == (
        '<a href="/handbook/engineering/delivery/lost" class="broken-link" '
        'title="Broken link: no page engineering/delivery/lost" rel="noopener">'
    )
    assert [(link.href, link.target, link.broken) for link in rendered.links] == [
        ("faq.md", "engineering/delivery/faq", False),
        ("lost.md", "engineering/delivery/lost", True),
        ("../../incidents/index.md#sev1", "incidents/index", True),
    ]


def test_a_hand_made_anchor_in_raw_html_is_a_valid_target():
    rendered = render('<a id="legacy-name"></a>\n\n## Title\n\n[old](#legacy-name)\n')
    assert rendered.anchors == ["legacy-name", "title"]
    assert rendered.links == [LinkRef("#legacy-name", HERE, "legacy-name", False)]


def test_a_link_above_the_root_is_broken_and_has_no_href():
    rendered = render("[strategy](../../../strategy/index.md)")
    assert anchor_tag(rendered.html, "strategy") == (
        '<a class="broken-link" title="Broken link: it climbs above the handbook\'s root" '
        'rel="noopener">'
    )
    assert rendered.links == [LinkRef("../../../strategy/index.md", "../strategy/index", "", True)]


def test_external_and_file_links_are_left_alone_and_listed_in_document_order():
    handbook = FakeHandbook()
    rendered = render(
        "[chat](https://chat.example.org/channels/delivery) "
        "[mail](mailto:delivery@example.org) [chart](./img/burndown.png) [faq](faq.md)",
        handbook=handbook,
    )
    assert anchor_tag(rendered.html, "chat") == (
        '<a href="https://chat.example.org/channels/delivery" rel="noopener">'
    )
    assert (
        anchor_tag(rendered.html, "mail") == '<a href="mailto:delivery@example.org" rel="noopener">'
    )
    assert anchor_tag(rendered.html, "chart") == '<a href="./img/burndown.png" rel="noopener">'
    assert [(link.href, link.target) for link in rendered.links] == [
        ("https://chat.example.org/channels/delivery", None),
        ("mailto:delivery@example.org", None),
        ("./img/burndown.png", None),
        ("faq.md", "engineering/delivery/faq"),
    ]
    assert handbook.calls == [{"engineering/delivery/faq"}]


def test_lookup_is_called_once_for_five_hundred_links():
    handbook = FakeHandbook(
        {"engineering/delivery/target": PageTarget("engineering/delivery/target", ["part"])}
    )
    body = "\n".join(f"- [to {i}](target.md#part) [miss {i}](gone-{i}.md)" for i in range(250))
    rendered = render(body, handbook=handbook)
    assert len(handbook.calls) == 1
    assert handbook.calls[0] == {"engineering/delivery/target"} | {
        f"engineering/delivery/gone-{i}" for i in range(250)
    }
    assert len(rendered.links) == 500
    assert sum(link.broken for link in rendered.links) == 250


def test_lookup_is_called_once_even_without_page_links():
    handbook = FakeHandbook()
    render("Plain text and a [site](https://example.org).", handbook=handbook)
    assert handbook.calls == [set()]


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

"""Link checking while rendering: targets, anchors, moved and missing pages, one lookup."""

from handbook.rendering import (
    LinkRef,
    PageTarget,
)
from handbook.tests.rendering_helpers import HERE, FakeHandbook, anchor_tag, render


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

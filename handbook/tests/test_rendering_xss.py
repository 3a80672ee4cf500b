"""Whatever a page's markdown or raw HTML says, the rendered HTML runs no script."""

from html.parser import HTMLParser

import pytest

from handbook.rendering import render_markdown

DANGEROUS_TAGS = {
    *("script", "style", "iframe", "frame", "object", "embed", "svg", "math", "form"),
    *("textarea", "select", "button", "link", "meta", "base", "template"),
}
DANGEROUS_SCHEMES = ("javascript:", "vbscript:", "data:")


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))

    handle_startendtag = handle_starttag


def elements(html: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Elements()
    parser.feed(html)
    parser.close()
    return parser.elements


def assert_inert(html: str) -> None:
    """No dangerous element, no event handler, no style, no script-bearing URL."""
    for tag, attrs in elements(html):
        assert tag not in DANGEROUS_TAGS, html
        for name, value in attrs.items():
            assert not name.startswith("on"), html
            assert name != "style", html
            if tag == "input":
                assert attrs.get("type") == "checkbox", html
            url = "".join((value or "").split()).lower()  # as browsers read it: no whitespace
            assert not url.startswith(DANGEROUS_SCHEMES), html


def render(markdown: str) -> str:
    return render_markdown(
        markdown,
        page_path="engineering/delivery/index",
        # nothing is found, so every internal link also carries the broken-link tooltip
        lookup=lambda paths: {},
        url_for=lambda path: f"/handbook/{path}",
    ).html


@pytest.mark.parametrize(
    ("markdown", "forbidden"),
    [
        ("<script>alert(1)</script>", ["<script", "alert"]),
        ("Text <script src=https://evil.example/x.js></script> more", ["<script", "evil.example"]),
        ("<img src=x onerror=alert(1)>", ["onerror", "alert"]),
        ("[x](javascript:alert(1))", ['href="javascript', "<a "]),
        ('<a href="JaVaScRiPt:alert(1)">go</a>', ["JaVaScRiPt", "javascript", "alert"]),
        ('<a href="jav&#x09;ascript:alert(1)">go</a>', ["ascript", "alert"]),
        ('<a href="  javascript:alert(1)">go</a>', ["javascript", "alert"]),
        ('<a href="vbscript:msgbox(1)">go</a>', ["vbscript", "msgbox"]),
        ('<iframe src="https://evil.example/"></iframe>', ["<iframe", "evil.example"]),
        ("<svg onload=alert(1)><circle r=5 /></svg>", ["<svg", "onload", "alert"]),
        (
            '<a href="data:text/html,<script>alert(1)</script>">go</a>',
            ["data:", "<script", "alert"],
        ),
        ('<img src="data:image/svg+xml,<svg onload=alert(1)>">', ["data:", "onload", "alert"]),
        ('<p style="position:fixed;top:0">cover</p>', ["style", "position"]),
        ('<span style="background:url(javascript:alert(1))">x</span>', ["style", "javascript"]),
        ("<style>body{display:none}</style>", ["<style", "display"]),
        ('<object data="https://evil.example/x.swf"></object>', ["<object", "evil.example"]),
        ('<embed src="https://evil.example/x.swf">', ["<embed", "evil.example"]),
        (
            '<form action="https://evil.example/"><input name=password></form>',
            ["<form", "password"],
        ),
        ('<input type="text" value="paste your token">', ["<input", "token"]),
        ('<a href="faq.md" onclick="alert(1)">faq</a>', ["onclick", "alert"]),
        ("<details open ontoggle=alert(1)><summary>s</summary></details>", ["ontoggle", "alert"]),
        ("## Heading <img src=x onerror=alert(1)>", ["onerror", "alert"]),
        ('| a |\n|---|\n| <img src=x onerror="alert(1)"> |', ["onerror", "alert"]),
        ("<scr<script>ipt>alert(1)</script>", ["<script", "<scr"]),
        ("<!--><script>alert(1)</script>-->", ["<script", "alert"]),
        ('<img src="mailto:someone@example.org">', ["mailto"]),
    ],
)
def test_nothing_executable_survives(markdown, forbidden):
    html = render(markdown)
    for text in forbidden:
        assert text not in html, html
    assert_inert(html)


def test_a_broken_links_tooltip_cannot_break_out_of_its_attribute():
    html = render("[x](%22%3E%3Cscript%3Ealert(1)%3C%2Fscript%3E.md)")
    assert "<script" not in html
    assert 'title="Broken link: no page engineering/delivery/&quot;&gt;&lt;script&gt;' in html
    assert_inert(html)


def test_sanitising_keeps_what_pages_legitimately_use():
    html = render(
        "## Plan\n\n- [x] done\n\n> [!NOTE]\n> heads up\n\n"
        "| a |\n|---|\n| <ul><li>one</li></ul> |\n\n"
        '![chart](https://img.example.org/c.png "Chart")\n\n'
        "<details><summary>More</summary>\n\nHidden detail.\n\n</details>\n"
    )
    assert '<h2 id="plan">' in html
    assert '<input class="task-list-item-checkbox" disabled="" checked="" type="checkbox">' in html
    assert '<div class="markdown-alert markdown-alert-note">' in html
    assert "<td><ul><li>one</li></ul></td>" in html
    assert '<img src="https://img.example.org/c.png" alt="chart" title="Chart">' in html
    assert "<details><summary>More</summary>" in html
    assert_inert(html)

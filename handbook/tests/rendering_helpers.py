"""A fake handbook and a render() for the rendering tests: pure functions, no database."""

import re

from handbook.rendering import PageTarget, Rendered, render_markdown

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

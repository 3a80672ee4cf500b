"""Markdown -> safe HTML for handbook pages. (Interface; implementation in progress.)

Pipeline: generator blocks expanded -> GFM parsed (markdown-it-py + mdit-py-plugins) ->
heading anchors and TOC -> relative links resolved to handbook pages, broken ones flagged ->
HTML sanitised (nh3).
"""

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class TocEntry:
    level: int
    title: str
    anchor: str


@dataclass(frozen=True)
class LinkRef:
    href: str  # as written in the markdown
    target: str | None  # the handbook page path it points to; None for external links
    anchor: str  # the #fragment without "#", or ""
    broken: bool


@dataclass(frozen=True)
class PageTarget:
    path: str  # the page's current path (differs from the asked one after a move)
    anchors: list[str]


@dataclass(frozen=True)
class Rendered:
    html: str
    toc: list[TocEntry]
    links: list[LinkRef]
    anchors: list[str]
    headings_text: str
    generators: set[str] = field(default_factory=set)


def resolve_href(href: str, *, page_path: str) -> tuple[str, str] | None:
    raise NotImplementedError


def render_markdown(
    markdown: str,
    *,
    page_path: str,
    lookup: Callable[[set[str]], dict[str, PageTarget]],
    url_for: Callable[[str], str],
    expand: Callable[[str], tuple[str, set[str]]] | None = None,
) -> Rendered:
    raise NotImplementedError

"""Markdown -> safe HTML for handbook pages.

Pipeline: generator blocks expanded -> GFM parsed (markdown-it-py + mdit-py-plugins) ->
heading anchors and TOC -> relative links resolved to handbook pages, broken ones flagged ->
HTML sanitised (nh3).

Links are rewritten on the token stream, before rendering, so that the only hrefs this module
writes are `url_for(...)` results and `#anchor`s; every other href stays as the author wrote it
and nh3, which runs last, decides whether it is safe.
"""

import html
import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import quote, unquote, urlsplit

import nh3
from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.anchors import anchors_plugin
from mdit_py_plugins.gfm import gfm_plugin

# Part of every cached rendering's key: raise it whenever the same markdown renders to
# different HTML, so pages rendered by the code before are not shown after a deploy.
RENDERER_VERSION = 3


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


# --- Resolving links like files in a git handbook --------------------------------------------

MARKDOWN_SUFFIXES = (".md", ".markdown")


def resolve_href(href: str, *, page_path: str) -> tuple[str, str] | None:
    """The handbook page (path, anchor) a link points to, or None when it is not a page link.

    Relative to the page's folder, as git resolves a file link: `index` of a folder stands
    for the folder. A link without an extension names a folder (`../other` is
    `other/index`), as it does on a git host. Links that climb above the root keep their
    leading `..` segments: no page path can contain them, so they are reported broken rather
    than silently landing on a page near the root.
    """
    href = href.strip()
    if not href:
        return None
    try:
        # urlsplit drops tabs and newlines as browsers do: `jav\tascript:` keeps its scheme.
        parts = urlsplit(href)
    except ValueError:  # e.g. an unclosed IPv6 host: not a handbook path either way
        return None
    if parts.scheme or parts.netloc or href.startswith("//"):
        return None
    path, anchor = unquote(parts.path), unquote(parts.fragment)
    if not path:  # "#anchor" or "?query": this very page
        return page_path, anchor
    if path.startswith("/"):  # root-absolute: a portal URL, not a handbook file
        return None
    name = path.rstrip("/").rpartition("/")[2]
    if path.endswith("/") or name in ("", ".", ".."):
        path = f"{path.rstrip('/')}/index"
    elif name.lower().endswith(MARKDOWN_SUFFIXES):
        path = path[: path.rfind(".")]
    elif "." in name:  # an image, a PDF, a YAML file...: not a page
        return None
    else:
        path = f"{path}/index"
    return _normalise(posixpath.join(posixpath.dirname(page_path), path)), anchor


def _normalise(path: str) -> str:
    """Collapse `.` and `..` segments, keeping the `..` that climb above the root."""
    segments: list[str] = []
    for segment in path.split("/"):
        if segment in ("", "."):
            continue
        if segment == ".." and segments and segments[-1] != "..":
            segments.pop()
        else:
            segments.append(segment)
    return "/".join(segments)


# --- Parser and sanitiser, built once: both are reusable across renders ------------------------


def slugify(title: str) -> str:
    """GitHub's heading slug: lower case, punctuation and emoji dropped, spaces to hyphens."""
    slug = re.sub(r"[^\w\- ]", "", title.strip().lower()).replace(" ", "-")
    # A heading of only emoji or punctuation still needs an id its TOC entry can point to.
    return slug or "section"


_ALIGNMENTS = ("left", "center", "right")


def _table_alignment(state) -> None:
    """GFM tables give a column's alignment as `style="text-align:..."` on each cell, which
    the sanitiser drops with every other style: say it with a class instead."""
    for token in state.tokens:
        if token.type in ("th_open", "td_open"):
            align = (token.attrGet("style") or "").removeprefix("text-align:")
            if align in _ALIGNMENTS:
                del token.attrs["style"]
                token.attrSet("class", f"align-{align}")


_md = (
    MarkdownIt("commonmark", {"html": True})
    .use(gfm_plugin)
    .use(
        anchors_plugin,
        min_level=1,
        max_level=6,
        slug_func=slugify,
        permalink=True,
        permalinkSymbol="#",
    )
)
_md.core.ruler.push("table_alignment", _table_alignment)

_ALERT_CLASSES = {"markdown-alert"} | {
    f"markdown-alert-{kind}" for kind in ("note", "tip", "important", "warning", "caution")
}

_TAGS = {
    *("h1", "h2", "h3", "h4", "h5", "h6", "p", "br", "hr", "div", "span", "section"),
    *("blockquote", "pre", "code", "kbd", "samp", "var"),
    *("em", "strong", "b", "i", "u", "s", "del", "ins", "mark", "small", "sub", "sup", "abbr"),
    *("ul", "ol", "li", "dl", "dt", "dd", "details", "summary"),
    *("table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td", "colgroup", "col"),
    *("a", "img", "input"),
}
# Removed with their content: showing the inside of a script or a frame as text helps nobody.
_CLEAN_CONTENT_TAGS = {
    *("script", "style", "iframe", "frame", "frameset", "object", "embed", "applet"),
    *("noscript", "noembed", "noframes", "template", "textarea", "select", "title", "xmp"),
    *("svg", "math"),
}
_ATTRIBUTES = {
    "a": {"href", "title", "id", "aria-label"},
    "img": {"src", "alt", "title"},
    "input": {"checked"},
    **{f"h{level}": {"id"} for level in range(1, 7)},
    "li": {"id"},
    "ol": {"start"},
    "th": {"colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
    "details": {"open"},
    "abbr": {"title"},
}
# Only the classes this renderer emits (and the page's CSS styles), so raw HTML cannot borrow
# the portal's own classes to dress up as its interface.
_ALLOWED_CLASSES = {
    "a": {"broken-link", "header-anchor", "footnote-backref"},
    "div": _ALERT_CLASSES,
    "p": {"markdown-alert-title"},
    "ul": {"contains-task-list"},
    "li": {"task-list-item", "footnote-item"},
    "input": {"task-list-item-checkbox"},
    "sup": {"footnote-ref"},
    "section": {"footnotes"},
    "ol": {"footnotes-list"},
    "hr": {"footnotes-sep"},
    "th": {f"align-{align}" for align in _ALIGNMENTS},
    "td": {f"align-{align}" for align in _ALIGNMENTS},
}


def _image_source_filter(element: str, attribute: str, value: str) -> str | None:
    # url_schemes is shared by href and src; an image has no business with mailto:.
    if element == "img" and attribute == "src":
        try:
            scheme = urlsplit(value).scheme
        except ValueError:
            return None
        return value if scheme in ("", "http", "https") else None
    return value


_cleaner = nh3.Cleaner(
    tags=_TAGS,
    clean_content_tags=_CLEAN_CONTENT_TAGS,
    attributes=_ATTRIBUTES,
    attribute_filter=_image_source_filter,
    strip_comments=True,
    link_rel="noopener",
    url_schemes={"http", "https", "mailto"},
    allowed_classes=_ALLOWED_CLASSES,
    # Raw <input>s are dropped before this; should one slip past, it still can only be a
    # checkbox. (One forced attribute only: ammonia adds several in no stable order.)
    tag_attribute_values={"input": {"disabled": {""}}},
    set_tag_attribute_values={"input": {"type": "checkbox"}},
)


# --- Raw HTML ----------------------------------------------------------------------------------


class _RawAnchorTag:
    """An `<a ...>` start tag found in raw HTML, whose attributes may be rewritten."""

    def __init__(self, attrs: list[tuple[str, str | None]]) -> None:
        self.attrs: dict[str, str | None] = {}
        for name, value in attrs:
            self.attrs.setdefault(name, value)  # the first of duplicate attributes wins in HTML

    def __str__(self) -> str:
        rendered = "".join(
            f" {name}" if value is None else f' {name}="{html.escape(value)}"'
            for name, value in self.attrs.items()
        )
        return f"<a{rendered}>"


class _RawHtmlSplitter(HTMLParser):
    """Splits raw HTML into verbatim text and `<a>` start tags; drops `<input>` tags.

    Task-list checkboxes come from markdown, never from raw HTML, so a raw `<input>` goes here
    (nh3 must allow <input> for the checkboxes and cannot tell the two apart).
    Whatever this parser misreads, nh3 still sanitises the result: a mistake here can only
    miss a link, not let markup through.
    """

    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=True)
        self._source = source
        self._line_starts = [0, *(match.end() for match in re.finditer("\n", source))]
        self._copied_to = 0
        self._pieces: list[str | _RawAnchorTag] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ("a", "input"):
            return
        line, column = self.getpos()
        start = self._line_starts[line - 1] + column
        self._pieces.append(self._source[self._copied_to : start])
        if tag == "a":
            self._pieces.append(_RawAnchorTag(attrs))
        self._copied_to = start + len(self.get_starttag_text() or "")

    handle_startendtag = handle_starttag

    def split(self) -> list[str | _RawAnchorTag]:
        self.feed(self._source)
        self.close()
        return [*self._pieces, self._source[self._copied_to :]]


# --- Sub-lists indented too little ----------------------------------------------------------

_ORDERED_ITEM = re.compile(r"^( {0,3})(\d{1,9})[.)]( {1,4})\S")
_LIST_ITEM = re.compile(r"^ *(?:[*+-]|\d{1,9}[.)])(?: |$)")
_FENCE = re.compile(r"^ *(`{3,}|~{3,})")


def nest_shallow_sublists(markdown: str) -> str:
    """Indent sub-lists written two spaces under a numbered item as far as they need to be.

    CommonMark nests a list only when it is indented to the item's text (three spaces under
    `1. `). Handbooks are full of two-space sub-lists under numbered steps, which a strict
    parser turns into loose lists between the steps; git hosts render it that way, but the
    writer never meant it. Lines under such an item, down to the next line at or left of its
    number, move right by the missing spaces, fenced code among them included; code fenced
    outside such an item is never touched. A number starts an item only where CommonMark
    lets it start a list (`2019.` wrapped onto a new line is text). Hand-written because no
    markdown-it option or plugin is this lenient.
    """
    lines = markdown.split("\n")
    parent: tuple[int, int] | None = None  # (column of the number, column of the item's text)
    shift = 0
    fence: tuple[str, int, int] | None = None  # (character, length, shift of its lines)
    previous = ""
    for number, line in enumerate(lines):
        if fence is not None:
            character, length, fence_shift = fence
            lines[number] = " " * fence_shift + line
            closing = line.strip()
            if len(closing) >= length and closing == character * len(closing):
                fence = None
            continue
        stripped = line.lstrip(" ")
        indent = len(line) - len(stripped)
        if parent is not None and stripped and indent <= parent[0]:
            parent, shift = None, 0
        opening = _FENCE.match(line)
        if parent is not None and stripped:
            if not shift and indent < parent[1] and _LIST_ITEM.match(line):
                shift = parent[1] - indent
            lines[number] = " " * shift + line
        elif parent is None:
            item = _ORDERED_ITEM.match(line)
            may_start = not previous.strip() or _LIST_ITEM.match(previous)
            if item and (int(item[2]) == 1 or may_start):
                parent, shift = (len(item[1]), len(item[0]) - 1), 0
        if opening:
            fence = (opening[1][0], len(opening[1]), shift if parent is not None else 0)
        previous = line
    return "\n".join(lines)


# --- Rendering -------------------------------------------------------------------------------


@dataclass
class _Occurrence:
    """One link in document order, with the attributes to rewrite once it is judged."""

    href: str
    attrs: dict  # a link_open token's attrs or a raw tag's; both are rewritten in place


@dataclass
class _Scan:
    """What one pass over the tokens found, in document order."""

    toc: list[TocEntry] = field(default_factory=list)
    anchors: list[str] = field(default_factory=list)
    occurrences: list[_Occurrence] = field(default_factory=list)
    raw_html: list[tuple[Token, list[str | _RawAnchorTag]]] = field(default_factory=list)


def render_markdown(
    markdown: str,
    *,
    page_path: str,
    lookup: Callable[[set[str]], dict[str, PageTarget]],
    url_for: Callable[[str], str],
    expand: Callable[[str], tuple[str, set[str]]] | None = None,
) -> Rendered:
    """Render a page; `lookup` is called exactly once, with every page path the links name."""
    generators: set[str] = set()
    if expand is not None:
        markdown, generators = expand(markdown)

    env: dict = {}
    tokens = _md.parse(nest_shallow_sublists(markdown), env)
    scan = _scan(tokens)

    resolutions = [resolve_href(o.href, page_path=page_path) for o in scan.occurrences]
    # Links to this very page are judged against the anchors just found, not the stored ones,
    # so a preview of an edit sees its own new headings.
    found = lookup({r[0] for r in resolutions if r is not None and r[0] != page_path})
    targets = {**found, page_path: PageTarget(path=page_path, anchors=scan.anchors)}
    urls: dict[str, str] = {}  # url_for may reverse() a route: once per target, not per link

    def cached_url_for(path: str) -> str:
        if path not in urls:
            urls[path] = url_for(path)
        return urls[path]

    links = [
        _judge(occurrence, resolution, page_path=page_path, targets=targets, url_for=cached_url_for)
        for occurrence, resolution in zip(scan.occurrences, resolutions, strict=True)
    ]
    for token, pieces in scan.raw_html:
        token.content = "".join(str(piece) for piece in pieces)

    return Rendered(
        html=_cleaner.clean(_md.renderer.render(tokens, _md.options, env)),
        toc=scan.toc,
        links=links,
        anchors=scan.anchors,
        headings_text="\n".join(entry.title for entry in scan.toc),
        generators=set(generators),
    )


def markdown_links(markdown: str) -> list[str]:
    """The hrefs of the markdown's links (raw `<a href>`s and bare URLs too), in document
    order, as written: what a page's text points to, without rendering it."""
    return [
        occurrence.href
        for occurrence in _scan(_md.parse(nest_shallow_sublists(markdown))).occurrences
    ]


def markdown_toc(markdown: str) -> list[TocEntry]:
    """The markdown's headings with the anchors a rendering gives them, without rendering it
    (no links looked up): what the editor's link picker offers."""
    return _scan(_md.parse(nest_shallow_sublists(markdown))).toc


def _judge(
    occurrence: _Occurrence,
    resolution: tuple[str, str] | None,
    *,
    page_path: str,
    targets: dict[str, PageTarget],
    url_for: Callable[[str], str],
) -> LinkRef:
    """Check one link against the pages found, and point it at the page's current URL."""
    if resolution is None:  # external, or a file that is not a page: left as written
        return LinkRef(occurrence.href, None, "", broken=False)
    path, anchor = resolution
    target = targets.get(path)
    fragment = f"#{quote(anchor)}" if anchor else ""
    attrs = occurrence.attrs
    if path == page_path and anchor:
        attrs["href"] = fragment
    elif path.startswith("../"):
        # Above the handbook's root there is nothing to link to, and the browser would collapse
        # the `..` and leave the handbook: the text stays, flagged, but without an href.
        attrs.pop("href")
    else:
        attrs["href"] = url_for(target.path if target else path) + fragment

    if path.startswith("../"):
        problem = "it climbs above the handbook's root"
    elif target is None:
        problem = f"no page {path}"
    elif anchor and anchor not in target.anchors:
        where = "this page" if path == page_path else f"page {target.path}"
        problem = f"no section #{anchor} on {where}"
    else:
        return LinkRef(occurrence.href, path, anchor, broken=False)
    attrs["class"] = f"{attrs.get('class') or ''} broken-link".strip()
    attrs["title"] = f"Broken link: {problem}"
    return LinkRef(occurrence.href, path, anchor, broken=True)


def _scan(tokens: list[Token]) -> _Scan:
    """Headings, anchors and links in document order, from the parsed token stream."""
    scan = _Scan()

    def split_raw_html(token: Token) -> None:
        lowered = token.content.lower()
        if "<a" not in lowered and "<input" not in lowered:
            return
        pieces = _RawHtmlSplitter(token.content).split()
        for piece in pieces:
            if not isinstance(piece, _RawAnchorTag):
                continue
            # `<a id="...">` is the classic hand-made anchor; links may point at it.
            if piece.attrs.get("id"):
                scan.anchors.append(str(piece.attrs["id"]))
            if piece.attrs.get("href") is not None:
                scan.occurrences.append(_Occurrence(str(piece.attrs["href"]), piece.attrs))
        scan.raw_html.append((token, pieces))

    for index, token in enumerate(tokens):
        if token.type == "heading_open":
            anchor = str(token.attrGet("id"))
            title = _heading_title(tokens[index + 1])
            scan.toc.append(TocEntry(level=int(token.tag[1]), title=title, anchor=anchor))
            scan.anchors.append(anchor)
        elif token.type == "html_block":
            split_raw_html(token)
        for child in token.children or ():
            if child.type == "link_open" and child.attrGet("class") == "header-anchor":
                # The permalink the anchors plugin adds: a "#" means nothing read aloud.
                child.attrSet("aria-label", f"Link to this section: {scan.toc[-1].title}")
            elif child.type == "link_open":
                scan.occurrences.append(_Occurrence(str(child.attrGet("href")), child.attrs))
            elif child.type == "html_inline":
                split_raw_html(child)
    return scan


def _heading_title(inline: Token) -> str:
    # The same text the anchors plugin slugs (it adds the permalink after it, not as text).
    return "".join(
        child.content for child in inline.children or () if child.type in ("text", "code_inline")
    ).strip()


_PERMALINK = re.compile(r'<a class="header-anchor"[^>]*>#</a>')
_TAG = re.compile(r"<[^>]+>")


def html_to_text(rendered_html: str) -> str:
    """Plain text of HTML this module rendered (already sanitised), for search and snippets.

    Every tag becomes a space so that table cells and list items do not run together.
    """
    text = _TAG.sub(" ", _PERMALINK.sub("", rendered_html))
    return " ".join(html.unescape(text).split())

"""Links while writing: what the editor's link picker offers, and the page a broken link
probably meant ("did you mean").

Both answer with the href to write from the page being edited, made by
handbook.pages.relative_href, the one place relative links are computed.
"""

import bisect
import difflib
from dataclasses import dataclass

from django.db.models import Q

from handbook.models import Page
from handbook.pages import relative_href, targets_lookup
from handbook.rendering import LinkRef, PageTarget, markdown_toc, slugify

from .switcher import SWITCHER_QUERY_MAX_LENGTH, name_matches

LINK_TARGETS_LIMIT = 12
PAGES_SEARCHED = 6
# How alike a missing path and an existing one must be to be offered (difflib's ratio).
SUGGESTION_CUTOFF = 0.6


@dataclass(frozen=True)
class LinkTarget:
    label: str  # the page's title, or the heading's
    detail: str  # where it is: the page's path, or "path#anchor"
    href: str  # the markdown link to write from the edited page
    path: str
    anchor: str = ""


def link_targets(
    *, query: str, from_path: str, limit: int = LINK_TARGETS_LIMIT
) -> list[LinkTarget]:
    """Pages and sections matching `query`, best first, each with the relative href the page
    at `from_path` would write to reach it; two queries at most.

    `delivery` finds pages by title or path (as the quick switcher does, typos forgiven) and
    pages with a section of that name; `processes#support` the sections of the pages
    matching "processes" whose heading contains "support"; `#support` those of the edited
    page itself (as saved). Every person who may edit may read every page, so nothing is
    filtered out (see permissions.page_can_read)."""
    query = " ".join(query.replace("\x00", "").split())[:SWITCHER_QUERY_MAX_LENGTH]
    page_part, hash_sign, heading_part = query.partition("#")
    page_part, heading_part = page_part.strip(), heading_part.strip().lower()
    pages = Page.objects.only("path", "title", "markdown")
    found: list[LinkTarget] = []
    if hash_sign:
        if page_part:
            matched = _pages_named(page_part)
        else:
            matched = pages.filter(path=from_path)[:PAGES_SEARCHED]
        for page in matched:
            found += _sections(page, from_path=from_path, words=heading_part)
        return found[:limit]
    if not query:
        return []
    by_name = _pages_named(query)
    found += [_page_target(page, from_path=from_path) for page in by_name]
    # Pages with a section of that name, whatever they are called.
    by_section = pages.filter(anchors__icontains=slugify(query)).exclude(
        pk__in=[page.pk for page in by_name]
    )
    for page in [*by_name, *by_section[:PAGES_SEARCHED]]:
        found += _sections(page, from_path=from_path, words=query.lower())
    return found[:limit]


def _pages_named(query: str):
    """The pages whose title or path matches `query`, best first (as the quick switcher
    ranks them), with what a link target needs: pk, path, title and markdown."""
    return name_matches(
        Page.objects.all(),
        fields=["title", "path"],
        query=query,
        values=["pk", "path", "title", "markdown"],
        limit=PAGES_SEARCHED,
        large=True,
    )


def _page_target(page: Page, *, from_path: str) -> LinkTarget:
    href = relative_href(from_path=from_path, to_path=page.path)
    return LinkTarget(label=page.title, detail=page.path, href=href, path=page.path)


def _sections(page: Page, *, from_path: str, words: str):
    """The page's headings (below its title) containing `words`; all of them for none."""
    for entry in markdown_toc(page.markdown):
        if entry.level == 1 or words not in entry.title.lower():
            continue
        yield LinkTarget(
            label=entry.title,
            detail=f"{page.title} · {page.path}#{entry.anchor}",
            href=relative_href(from_path=from_path, to_path=page.path, anchor=entry.anchor),
            path=page.path,
            anchor=entry.anchor,
        )


@dataclass(frozen=True)
class LinkSuggestion:
    href: str  # what to write instead, from the linking page
    path: str  # the page it leads to
    anchor: str = ""


def link_suggestions(
    *, page_path: str, links: list[LinkRef], anchors: list[str] | None = None
) -> list[tuple[str, LinkSuggestion | None]]:
    """Each distinct broken link of the page at `page_path` (its href as written, in the
    order written) with the link it probably meant, or None (see links_suggested).
    `anchors`: the page's own, when they are newer than the saved ones (a preview)."""
    own = {page_path: anchors} if anchors is not None else {}
    found = links_suggested(links=[(page_path, link) for link in links], own_anchors=own)
    hrefs = dict.fromkeys(link.href for link in links if link.broken)
    return [(href, found.get((page_path, href))) for href in hrefs]


def page_link_suggestions(
    *, page: Page, links: list[LinkRef], known: dict[str, int] | None = None
) -> list[tuple[str, LinkSuggestion | None]]:
    """link_suggestions for a saved page's view, from the caches while neither the page nor
    the set of pages (their paths and anchors) has changed. `known`: the versions from
    pages.view_versions(), when read already."""
    from core.cache import layered_get_or_set
    from handbook.pages import CACHE_TIMEOUT, PAGES_DEPENDENCY, view_versions

    current = known or view_versions()
    key = (
        f"handbook:link-suggestions:{page.pk}:{page.updated_at.timestamp()}:"
        f"{current[PAGES_DEPENDENCY]}"
    )
    return layered_get_or_set(
        key, lambda: link_suggestions(page_path=page.path, links=links), timeout=CACHE_TIMEOUT
    )


def links_suggested(
    *, links: list[tuple[str, LinkRef]], own_anchors: dict[str, list[str]] | None = None
) -> dict[tuple[str, str], LinkSuggestion]:
    """For broken links (page path, link) of any pages, keyed by (page path, href): the same
    page written as a file (`processes.md` for `processes`, which names a folder), the index
    of a folder written as a file (`guides/index.md` for `guides.md`), else the most alike
    existing path; for a missing section, the most alike heading of that page. Three queries
    at most, whatever the number of links; links above the root get none."""
    broken = [
        (page_path, link)
        for page_path, link in links
        if link.broken and link.target and not link.target.startswith("../")
    ]
    if not broken:
        return {}
    wanted = {link.target for _, link in broken}
    targets = targets_lookup(wanted)
    for path, anchors in (own_anchors or {}).items():
        targets[path] = PageTarget(path=path, anchors=anchors)
    missing = wanted - targets.keys()
    alike = _near_misses(missing) if missing else {}
    suggestions = {}
    for page_path, link in broken:
        target = targets.get(link.target)
        if target is not None:  # the page is there; its section is not
            path, anchor = target.path, _closest(link.anchor, target.anchors)
            if anchor is None:
                continue
        else:
            path, anchor = alike.get(link.target), link.anchor
            if path is None:
                continue
        href = relative_href(from_path=page_path, to_path=path, anchor=anchor)
        suggestions[page_path, link.href] = LinkSuggestion(href=href, path=path, anchor=anchor)
    return suggestions


def _closest(word: str, candidates: list[str]) -> str | None:
    close = difflib.get_close_matches(word, candidates, n=1, cutoff=SUGGESTION_CUTOFF)
    if close:
        return close[0]
    # A section named by its first words (`#support` for `#support-rotation`).
    starting = [candidate for candidate in candidates if word and candidate.startswith(word)]
    return starting[0] if starting else None


def _near_misses(missing: set[str]) -> dict[str, str]:
    """The existing page each missing path most probably meant, in one query: the same path
    as a page rather than a folder (and the other way round), else the most alike path."""
    exact = {}
    for path in missing:
        if path.endswith("/index"):
            exact[path.removesuffix("/index")] = path
        else:
            exact[f"{path}/index"] = path
    scopes = {path: _scope(path) for path in missing}
    nearby = Q(path__in=exact.keys())
    for scope in set(scopes.values()):
        nearby |= Q(path__startswith=f"{scope}/") if scope else Q(path__regex=r"^[^/]+$")
    paths = sorted(Page.objects.filter(nearby).values_list("path", flat=True))
    found = {}
    for existing in paths:
        if existing in exact:
            found[exact[existing]] = existing
    for path in missing - found.keys():
        scope = scopes[path]
        if scope:
            # The sorted paths starting with `scope/` are one stretch of the list.
            start = bisect.bisect_left(paths, f"{scope}/")
            stop = bisect.bisect_left(paths, f"{scope}0")  # "0" follows "/"
            candidates = paths[start:stop]
        else:
            candidates = [existing for existing in paths if "/" not in existing]
        best = _most_alike(path, candidates)
        if best is not None:
            found[path] = best
    return found


def _most_alike(wanted: str, candidates: list[str]) -> str | None:
    """The first of `candidates` most alike `wanted` by _likeness, if alike enough. A candidate
    whose likeness cannot reach the best so far (difflib's quick upper bounds, by length and
    by letters) is not compared in full: a missing path of a big folder meets hundreds."""
    best, best_key = None, (SUGGESTION_CUTOFF, -1)
    for existing in candidates:
        key = _likeness(wanted, existing, at_least=best_key[0])
        if key is not None and key > best_key:
            best, best_key = existing, key
    return best


def _scope(path: str) -> str:
    """Where pages alike a missing one are looked for: the folder above its own (so that a
    typo in its folder's name is found too), or its top folder, or the top level. A typo
    rarely moves a page to another part of the handbook, and a large handbook has too many
    pages to compare with all of them."""
    folders = path.split("/")[:-1]
    return "/".join(folders[: max(len(folders) - 1, 1)])


def _likeness(wanted: str, existing: str, *, at_least: float = 0.0) -> tuple[float, int] | None:
    """How alike two paths are where they differ (the folders they share say nothing: every
    page of a folder shares them), then how many folders they share; None when they are
    surely less alike than `at_least`."""
    wanted_parts, existing_parts = wanted.split("/"), existing.split("/")
    shared = 0
    for mine, theirs in zip(wanted_parts[:-1], existing_parts[:-1], strict=False):
        if mine != theirs:
            break
        shared += 1
    rest = difflib.SequenceMatcher(
        a="/".join(wanted_parts[shared:]), b="/".join(existing_parts[shared:])
    )
    if rest.real_quick_ratio() < at_least or rest.quick_ratio() < at_least:
        return None
    return rest.ratio(), shared

"""Glue between page rows and the rendering pipeline: link lookup, URLs, the render cache.

A cached rendering remembers the data version of everything it shows: the set of pages
(links to them may break or heal) and each model its live blocks read. Saving any of those
bumps its version (see core/versions.py), so a cached page is never stale, and pages that do
not show the changed data stay cached.
"""

import posixpath

from django.urls import reverse

from core.cache import layered_get, layered_set
from core.versions import RIGHTS_DEPENDENCY, data_changed, versions

from . import generators
from .models import Page, PageRedirect
from .rendering import RENDERER_VERSION, PageTarget, Rendered, render_markdown

# Data versions (see generators.py) that cached page views depend on.
PAGES_DEPENDENCY = "handbook.Page"  # the set of pages: created, moved, retitled, deleted
PAGE_ROWS_DEPENDENCY = "handbook.Page.rows"  # any page's row: also its text or review date
TEAMS_DEPENDENCY = "handbook.Team"  # the owning team's name is shown with each page
MEMBERS_DEPENDENCY = "handbook.Membership"  # members of the owning team may edit
CACHE_TIMEOUT = 7 * 24 * 3600


def page_url(path: str) -> str:
    return reverse("handbook:page", args=[path])


def relative_href(*, from_path: str, to_path: str, anchor: str = "") -> str:
    """The markdown link a page at `from_path` writes to reach `to_path`, git-handbook style
    (a section of the page itself: only its `#anchor`)."""
    if to_path == from_path and anchor:
        return f"#{anchor}"
    folder = posixpath.dirname(from_path) or "."
    href = posixpath.relpath(f"{to_path}.md", start=folder)
    return f"{href}#{anchor}" if anchor else href


def targets_lookup(paths: set[str]) -> dict[str, PageTarget]:
    """Pages (or moved pages) for the given paths: at most two queries, whatever the count."""
    if not paths:
        return {}
    found = {
        path: PageTarget(path=path, anchors=anchors)
        for path, anchors in Page.objects.filter(path__in=paths).values_list("path", "anchors")
    }
    missing = paths - found.keys()
    if missing:
        for old_path, path, anchors in PageRedirect.objects.filter(
            old_path__in=missing
        ).values_list("old_path", "page__path", "page__anchors"):
            found[old_path] = PageTarget(path=path, anchors=anchors)
    return found


def link_broken(*, path: str, anchor: str, target: PageTarget | None) -> bool:
    """Whether a link to the page `path` (and its `#anchor`) is broken, given the page found
    there (None: no page, not even an old address of one). The renderer's _judge says the
    same, with the reason."""
    return path.startswith("../") or target is None or bool(anchor and anchor not in target.anchors)


def render(*, markdown: str, path: str) -> Rendered:
    return render_markdown(
        markdown,
        page_path=path,
        lookup=targets_lookup,
        url_for=page_url,
        expand=generators.expand,
    )


def _dependencies(generator_names) -> list[str]:
    registry = generators.registered()
    labels = {PAGES_DEPENDENCY}
    for name in generator_names:
        if name in registry:
            labels.update(registry[name].depends_on)
    return sorted(labels)


def view_versions() -> dict[str, int]:
    """Every data version that showing a page checks, read in one round trip: the page rows,
    the teams shown beside them, the set of pages (links, navigation), who may edit, and
    what live blocks read."""
    return versions(
        {
            PAGE_ROWS_DEPENDENCY,
            TEAMS_DEPENDENCY,
            PAGES_DEPENDENCY,
            MEMBERS_DEPENDENCY,
            RIGHTS_DEPENDENCY,
        }
        | generators.watched_labels()
    )


def render_cached(page: Page, *, known: dict[str, int] | None = None) -> Rendered:
    """The page's rendering, from a cache while nothing it shows has changed. `known`: the
    versions from view_versions(), when the caller has read them already."""
    key = f"handbook:page:{RENDERER_VERSION}:{page.pk}:{page.updated_at.timestamp()}"
    # Versions are read before rendering, so data changed during the render leaves an entry
    # that the next view finds stale, never one that hides the change.
    current = known or view_versions()

    def still_current(entry) -> bool:
        return all(current.get(label) == version for label, version in entry[0].items())

    entry = layered_get(key, valid=still_current)
    if entry is not None:
        return entry[1]
    rendered = render(markdown=page.markdown, path=page.path)
    versions = {label: current[label] for label in _dependencies(rendered.generators)}
    layered_set(key, (versions, rendered), timeout=CACHE_TIMEOUT)
    return rendered


def pages_changed() -> None:
    """Any page was created, moved or deleted: links in cached pages may have changed."""
    data_changed(PAGES_DEPENDENCY)


def page_rows_changed() -> None:
    """A page's row changed: cached copies of page rows are no longer current."""
    data_changed(PAGE_ROWS_DEPENDENCY)

"""Glue between page rows and the rendering pipeline: link lookup, URLs, the render cache.

A cached rendering remembers the data version of everything it shows: the set of pages
(links to them may break or heal) and each model its live blocks read. Saving any of those
bumps its version (see generators.py), so a cached page is never stale, and pages that do
not show the changed data stay cached.
"""

import posixpath

from django.core.cache import cache
from django.urls import reverse

from . import generators
from .models import Page, PageRedirect
from .rendering import PageTarget, Rendered, render_markdown

PAGES_DEPENDENCY = "handbook.Page"
CACHE_TIMEOUT = 7 * 24 * 3600


def page_url(path: str) -> str:
    return reverse("handbook:page", args=[path])


def relative_href(*, from_path: str, to_path: str, anchor: str = "") -> str:
    """The markdown link a page at `from_path` writes to reach `to_path`, git-handbook style."""
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


def render_cached(page: Page) -> Rendered:
    """The page's rendering, from the cache while nothing it shows has changed."""
    key = f"handbook:page:{page.pk}:{page.updated_at.timestamp()}"
    entry = cache.get(key)
    if entry is not None:
        versions, rendered = entry
        if generators.versions(versions) == versions:
            return rendered
    # Versions are read before rendering, so data changed during the render leaves an entry
    # that the next view finds stale, never one that hides the change.
    before = generators.versions({PAGES_DEPENDENCY} | generators.watched_labels())
    rendered = render(markdown=page.markdown, path=page.path)
    versions = {label: before[label] for label in _dependencies(rendered.generators)}
    cache.set(key, (versions, rendered), CACHE_TIMEOUT)
    return rendered


def pages_changed() -> None:
    """Any page was created, moved or deleted: links in cached pages may have changed."""
    generators.bump_version(PAGES_DEPENDENCY)

"""Creating many new pages at once, for the importer: what page_save does for each page (text,
anchors, links, search text and vector, dictionary words, history), done for a batch in a
few statements.

A whole handbook tree is mostly new pages, and saving them one by one costs a transaction and
about fifteen statements each. Here a batch of new files is read and rendered in Python, then
inserted with bulk inserts: the pages with their vectors and history, their links, their
words; links elsewhere that point at the new paths are judged again once; the data versions
are bumped once. Pages that exist already, and imports by someone who is not an admin (whose
rights are checked page by page, in file order), go through page_save as before.
"""

import datetime
from dataclasses import dataclass
from typing import NamedTuple

from django.db import connection, transaction
from simple_history.utils import bulk_create_with_history

from . import generators
from .models import Page, PageLink, Team
from .pages import link_broken, page_rows_changed, page_url, pages_changed, targets_lookup
from .rendering import html_to_text, render_markdown
from .services.pages import page_link_row, page_links_refresh, page_search_vector
from .services.search_words import search_words_add

# New files saved in one transaction; a batch that fails is saved again page by page, so
# that each file's problem is reported on its own.
BULK_BATCH = 1000


@dataclass
class NewPage:
    """A file about to become a page: its place, its text, and the page's fields."""

    path: str
    markdown: str
    front_matter: str
    title: str
    team: Team | None
    review_by: datetime.date | None


def bulk_allowed(*, user) -> bool:
    """Whether new pages may skip the per-page permission checks: the system, or an admin
    (who may create any page at any address)."""
    return user is None or (user.is_active and user.is_superuser)


def pages_create_bulk(*, new: list[NewPage], user) -> list[Page]:
    """Create the pages of `new` (paths that have no page) in one transaction; return them in
    the order given. Raises DatabaseError when the batch cannot be saved as a whole."""
    with transaction.atomic():
        pages = [_page_built(item) for item in new]
        rendered = {}
        for page in pages:
            rendered[page.path] = rendition = _rendition(page.markdown, page.path)
            page.anchors = rendition.anchors
            page.plain_text = rendition.plain_text
            if connection.vendor == "postgresql":
                page.search_vector = page_search_vector(
                    title=page.title,
                    headings_text=rendition.headings_text,
                    plain_text=page.plain_text,
                )
        pages = bulk_create_with_history(
            pages,
            Page,
            batch_size=500,
            default_user=user,
            default_change_reason="Imported",
        )
        _links_create(pages=pages, rendered=rendered)
        paths = {page.path for page in pages}
        # Links on other pages to these paths may heal (a page imported earlier linking to one
        # later in the tree, or a page of the portal).
        page_links_refresh(paths=paths, exclude_pages=[page.pk for page in pages])
        search_words_add(text=" ".join(f"{page.title} {page.plain_text}" for page in pages))
        page_rows_changed()
        pages_changed()
    return pages


def _page_built(item: NewPage) -> Page:
    return Page(
        path=item.path,
        title=item.title,
        markdown=item.markdown,
        team=item.team,
        review_by=item.review_by,
        front_matter=item.front_matter,
    )


class Rendition(NamedTuple):
    """What is stored of a page's rendering."""

    anchors: list[str]
    links: list[tuple[str, str | None, str]]  # (href, target page path, anchor)
    plain_text: str
    headings_text: str


def _rendition(markdown: str, path: str) -> Rendition:
    """The page rendered for what is stored of it. Links are judged afterwards against the
    pages as they are once the batch is in (see _links_create), so the renderer is told of
    none; live blocks are expanded, since their text is searchable like the rest."""
    rendered = render_markdown(
        markdown,
        page_path=path,
        lookup=lambda paths: {},
        url_for=page_url,
        expand=generators.expand,
    )
    return Rendition(
        anchors=rendered.anchors,
        links=[(link.href, link.target, link.anchor) for link in rendered.links],
        plain_text=html_to_text(rendered.html),
        headings_text=rendered.headings_text,
    )


def _links_create(*, pages: list[Page], rendered: dict) -> None:
    """Every link of the new pages, judged against the pages that now exist (these
    included), in one lookup and one insert."""
    targets = targets_lookup(
        {
            target_path
            for page in pages
            for _, target_path, _ in rendered[page.path].links
            if target_path is not None and target_path != page.path
        }
    )
    rows = []
    for page in pages:
        own = {page.path: page}
        for position, (href, target_path, anchor) in enumerate(rendered[page.path].links):
            target = own.get(target_path) or targets.get(target_path)
            rows.append(
                page_link_row(
                    page=page,
                    position=position,
                    href=href,
                    target=target_path,
                    anchor=anchor,
                    broken=target_path is not None
                    and link_broken(path=target_path, anchor=anchor, target=target),
                )
            )
    PageLink.objects.bulk_create(rows, batch_size=2000)

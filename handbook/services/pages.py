"""Writes about pages: save with history, move with redirects, rewrite links, review."""

import re
from dataclasses import dataclass
from urllib.parse import unquote

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from core.exceptions import StaleWrite
from handbook import permissions
from handbook.models import Page, PageLink, PageRedirect, Team
from handbook.pages import page_rows_changed

from .search_words import search_words_add


def page_link_row(
    *, page: Page, position: int, href: str, target: str | None, anchor: str, broken: bool
) -> PageLink:
    """The stored row of a page's link (the columns' limits applied), not yet saved."""
    return PageLink(
        page=page,
        position=position,
        href=href[:1000],
        target_path=target,
        anchor=anchor[:300],
        broken=broken,
    )


def _page_links_replace(*, page: Page, rendered) -> None:
    page.links.all().delete()
    PageLink.objects.bulk_create(
        page_link_row(
            page=page,
            position=position,
            href=link.href,
            target=link.target,
            anchor=link.anchor,
            broken=link.broken,
        )
        for position, link in enumerate(rendered.links)
    )


def page_search_vector(*, title: str, headings_text: str, plain_text: str):
    """The page's weighted full-text vector (title > headings > body), as an expression the
    database computes (PostgreSQL only)."""
    from django.contrib.postgres.search import SearchVector
    from django.db.models import Value

    return (
        SearchVector(Value(title), weight="A", config="english")
        + SearchVector(Value(headings_text), weight="B", config="english")
        + SearchVector(Value(plain_text), weight="C", config="english")
    )


def page_links_refresh(*, paths: set[str], exclude_pages=()) -> None:
    """Re-judge the links of other pages that point at these paths (created, moved, gone);
    `exclude_pages`: pages whose links were just judged. Only links whose verdict changed
    are written."""
    from handbook.pages import link_broken, targets_lookup

    links = list(
        PageLink.objects.filter(target_path__in=paths)
        .exclude(page__in=exclude_pages)
        .only("pk", "target_path", "anchor", "broken")
    )
    if not links:
        return
    targets = targets_lookup({link.target_path for link in links})
    changed = []
    for link in links:
        target = targets.get(link.target_path)
        broken = link_broken(path=link.target_path, anchor=link.anchor, target=target)
        if broken != link.broken:
            link.broken = broken
            changed.append(link)
    PageLink.objects.bulk_update(changed, ["broken"], batch_size=1000)


def _search_text_update(*, page: Page, rendered) -> None:
    """Plain text for snippets everywhere; the weighted vector (title > headings > body) on
    PostgreSQL."""
    from django.db import connection

    from handbook.rendering import html_to_text

    page.plain_text = html_to_text(rendered.html)
    changes = {"plain_text": page.plain_text}
    if connection.vendor == "postgresql":
        changes["search_vector"] = page_search_vector(
            title=page.title, headings_text=rendered.headings_text, plain_text=page.plain_text
        )
    Page.objects.filter(pk=page.pk).update(**changes)
    search_words_add(text=f"{page.title} {page.plain_text}")


def _page_changed(
    *, page: Page, created: bool = False, old_path: str | None = None, retitled: bool = False
) -> None:
    from handbook.pages import pages_changed, render

    rendered = render(markdown=page.markdown, path=page.path)
    anchors_changed = rendered.anchors != page.anchors
    if anchors_changed:
        Page.objects.filter(pk=page.pk).update(anchors=rendered.anchors)
        page.anchors = rendered.anchors
    _page_links_replace(page=page, rendered=rendered)
    _search_text_update(page=page, rendered=rendered)
    if created or old_path or anchors_changed:
        # Links on other pages to this one may have broken or healed.
        page_links_refresh(paths={page.path} | ({old_path} if old_path else set()))
    if created or old_path or anchors_changed or retitled:
        # Cached pages and the navigation tree show other pages' paths, anchors and titles.
        pages_changed()


class PageConflict(StaleWrite):
    """The page changed since the version the writer started from; `current` is the page."""


def _locked(path: str) -> Page | None:
    return (
        Page.objects.select_for_update(of=("self",))
        .select_related("team")
        .filter(path=path)
        .first()
    )


def _save_new_path(page: Page) -> None:
    """Save a page whose path is new; a page saved there meanwhile is a form error, not a 500."""
    try:
        with transaction.atomic():
            page.save()
    except IntegrityError as exc:
        raise ValidationError({"path": ["A page with this path already exists."]}) from exc


@transaction.atomic
def page_save(
    *,
    path: str,
    title: str,
    markdown: str,
    team: Team | None = None,
    review_by=None,
    user=None,
    change_reason: str = "",
    base_version: int | None = None,
) -> tuple[Page, bool]:
    """Create or update the page at `path`; every change is kept in its history and grows
    the page's `version`.

    `base_version`: the version the writer started from (0: they meant to create the page);
    if the page has moved on since, nothing is saved and PageConflict says so. `user`: the
    person acting, whose rights are checked (None: the system). Returns (page, changed):
    saving identical content records no new revision.
    """
    page = _locked(path)
    created = page is None
    if base_version is not None and (page.version if page else 0) != base_version:
        raise PageConflict(
            "The page has changed since you started." if page else "The page no longer exists.",
            current=page,
        )
    if user is not None:
        if created:
            permissions.page_create_check(user=user, path=path, team=team)
        else:
            permissions.page_edit_check(user=user, page=page)
            permissions.page_team_check(user=user, page=page, team=team)
    if created:
        page = Page(path=path)
    new = {"title": title, "markdown": markdown, "team": team, "review_by": review_by}
    if not created and all(getattr(page, field) == value for field, value in new.items()):
        return page, False
    retitled = not created and page.title != title
    for field, value in new.items():
        setattr(page, field, value)
    page.version = 1 if created else page.version + 1
    page.full_clean(exclude=["anchors", "search_vector"])
    page._history_user = user
    page._change_reason = change_reason or ("Created" if created else "")
    if created:
        _save_new_path(page)
    else:
        page.save()
    page_rows_changed()
    _page_changed(page=page, created=created, retitled=retitled)
    return page, True


@transaction.atomic
def page_move(*, page: Page, new_path: str, user=None) -> Page:
    """Give a page a new path; the old one redirects to it, so no URL or link breaks.

    The new address must be free, or one that belongs to the mover too (see
    permissions.address_claim): an old address of this very page is taken back."""
    page = _locked(page.path) or page
    old_path = page.path
    if user is not None:
        permissions.page_move_check(user=user, page=page, new_path=new_path)
    if new_path == old_path:
        return page
    if Page.objects.filter(path=new_path).exists():
        raise ValidationError({"new_path": ["A page with this path already exists."]})
    page.path = new_path
    page.version += 1
    page.full_clean(exclude=["anchors", "search_vector"])
    page._history_user = user
    page._change_reason = f"Moved from {old_path}"
    _save_new_path(page)
    PageRedirect.objects.filter(old_path=new_path).delete()
    PageRedirect.objects.update_or_create(old_path=old_path, defaults={"page": page})
    page_rows_changed()
    _page_changed(page=page, old_path=old_path)
    return page


@dataclass(frozen=True)
class LinksRewritten:
    rewritten: list[Page]  # pages whose links now point at the page's new address
    left: list[Page]  # pages the person may not edit: left for their owners (links redirect)


def _href_replaced(markdown: str, *, old: str, new: str) -> str:
    """`markdown` with its links to `old` pointing at `new`: in a Markdown link (bare, in
    `<...>`, or followed by a title) or a raw HTML `href`, written as the renderer stores it
    (non-ASCII percent-encoded, `#%C3%BCber-uns`) or as the author typed it (`#über-uns`)."""
    for written in dict.fromkeys((old, unquote(old))):
        link = re.compile(r"(\]\(\s*<?)" + re.escape(written) + r"(?=>?(?:\s|\)))")
        markdown = link.sub(lambda found: found.group(1) + new, markdown)
        markdown = markdown.replace(f'href="{written}"', f'href="{new}"')
    return markdown


@transaction.atomic
def page_links_rewrite(*, page: Page, old_path: str, user=None) -> LinksRewritten:
    """Point the links of other pages at a page's new address instead of one of its old ones.

    Only an old address of this page (one of its redirects) can be rewritten, and only on
    pages the person may edit; the others keep working through the redirect and are listed
    as left for their owners."""
    from handbook.pages import relative_href

    if not page.redirects.filter(old_path=old_path).exists():
        raise ValidationError(
            {"rewrite_from": [f"{old_path} is not an old address of {page.path}."]}
        )
    if user is not None:
        permissions.page_edit_check(user=user, page=page)
    rewritten, left = [], []
    source_ids = PageLink.objects.filter(target_path=old_path).exclude(page=page).values("page_id")
    sources = Page.objects.filter(pk__in=source_ids).select_related("team").order_by("path")
    for source in sources.select_for_update(of=("self",)):
        if user is not None and not permissions.page_can_edit(user=user, page=source):
            left.append(source)
            continue
        markdown = source.markdown
        for link in source.links.filter(target_path=old_path):
            new_href = relative_href(from_path=source.path, to_path=page.path, anchor=link.anchor)
            markdown = _href_replaced(markdown, old=link.href, new=new_href)
        if markdown != source.markdown:
            page_save(
                path=source.path,
                title=source.title,
                markdown=markdown,
                team=source.team,
                review_by=source.review_by,
                user=user,
                change_reason=f"Links to {old_path} now point to {page.path}",
            )
            rewritten.append(source)
    return LinksRewritten(rewritten=rewritten, left=left)


@transaction.atomic
def page_delete(*, page: Page) -> None:
    from handbook.pages import pages_changed

    paths = {page.path, *page.redirects.values_list("old_path", flat=True)}
    page.delete()
    page_rows_changed()
    page_links_refresh(paths=paths)
    pages_changed()


@transaction.atomic
def page_mark_reviewed(*, page: Page, user, review_by) -> Page:
    """Someone read the page and vouches for it until `review_by`."""
    from django.utils import timezone

    page = _locked(page.path) or page
    if user is not None:
        permissions.page_edit_check(user=user, page=page)
    page.reviewed_at = timezone.now()
    page.review_by = review_by
    page.version += 1
    page._history_user = user
    page._change_reason = Page.REVIEWED
    page.save(update_fields=["reviewed_at", "review_by", "version", "updated_at"])
    page_rows_changed()
    return page


def page_restore(*, page: Page, revision, user=None, base_version: int | None = None):
    """Make a past revision's title and text the page's current ones again, as a new revision
    (the history keeps everything in between). The owning team and review date stay as they
    are now: restoring words must not hand the page to another team. `base_version` as in
    page_save: a page that moved on since the person looked raises PageConflict."""
    if revision.id != page.id:
        raise ValidationError({"revision": "That revision belongs to another page."})
    return page_save(
        path=page.path,
        title=revision.title,
        markdown=revision.markdown,
        team=page.team,
        review_by=page.review_by,
        user=user,
        change_reason=f"Restored the revision of {revision.history_date:%Y-%m-%d %H:%M} UTC",
        base_version=base_version,
    )

"""Reads about pages: finding one by path (or old path), lists, links and review dates."""

from typing import NamedTuple

from django.db.models import F, Q

from handbook.models import Page, PageLink, PageRedirect, Team

# What showing a page needs; the search columns (plain text, vector) are left in the table.
PAGE_VIEW_FIELDS = (
    "path",
    "title",
    "markdown",
    "team",
    "review_by",
    "reviewed_at",
    "anchors",
    "updated_at",
)


def page_find(*, path: str) -> tuple[Page | None, str | None]:
    """(page, None) for a page; (None, new path) for an old path that moved; (None, None)."""
    # The big derived columns are for search; a view never needs them.
    page = (
        Page.objects.select_related("team")
        .only(*PAGE_VIEW_FIELDS, "team__slug", "team__name")
        .filter(path=path)
        .first()
    )
    if page is not None:
        return page, None
    redirect = PageRedirect.objects.select_related("page").filter(old_path=path).first()
    if redirect is not None:
        return None, redirect.page.path
    return None, None


def page_find_for_view(
    *, path: str, known: dict[str, int] | None = None
) -> tuple[Page | None, str | None]:
    """page_find for showing a page, from a cache: the row is read from the database once
    per change of any page's row or any team (both versions are in the key), so a cached
    page view needs no query for it. `known`: versions from pages.view_versions(), when
    read already. Never use the row to change a page."""
    from core.cache import layered_get, layered_set
    from handbook.pages import PAGE_ROWS_DEPENDENCY, TEAMS_DEPENDENCY, view_versions

    current = known or view_versions()
    key = f"handbook:page-row:{path}:{current[PAGE_ROWS_DEPENDENCY]}:{current[TEAMS_DEPENDENCY]}"
    page = layered_get(key)
    if page is not None:
        return page, None
    page, moved_to = page_find(path=path)
    if page is not None:
        layered_set(key, page, timeout=24 * 3600)
    return page, moved_to


def page_body_key(*, page: Page, known: dict[str, int], can_edit: bool, today) -> str:
    """A key for the whole body of a page's view (core.fragments.shared_fragment) as a reader
    with these rights sees it: the page's last save, every data version the view checks
    (`known`, from pages.view_versions(): the pages, teams, members, rights, live blocks),
    the day (a review falls due) and the reader's time zone (dates are shown in it)."""
    import hashlib

    from django.utils import timezone

    from handbook.rendering import RENDERER_VERSION

    made_of = ":".join(
        [
            str(page.updated_at.timestamp()),
            ",".join(f"{label}={version}" for label, version in sorted(known.items())),
            str(int(can_edit)),
            today.isoformat(),
            timezone.get_current_timezone_name(),
        ]
    )
    digest = hashlib.sha256(made_of.encode()).hexdigest()
    return f"handbook:page-body:{RENDERER_VERSION}:{page.pk}:{digest}"


def pages_at(*, paths: set[str]) -> dict[str, Page]:
    """The page at each of these paths, or the page that moved from it (its current path is
    `page.path`), in one query; paths with neither are left out."""
    if not paths:
        return {}
    rows = (
        Page.objects.filter(Q(path__in=paths) | Q(redirects__old_path__in=paths))
        .only("path", "title", "anchors")
        .annotate(old_path=F("redirects__old_path"))
    )
    found = {}
    for page in rows:
        for asked in (page.path, page.old_path):
            if asked in paths:
                found[asked] = page
    return found


def page_links(*, page: Page) -> list[PageLink]:
    return list(page.links.order_by("position"))


def broken_links(*, team: Team | None = None):
    links = (
        PageLink.objects.filter(broken=True)
        .select_related("page")
        .order_by("page__path", "position")
    )
    return links.filter(page__team=team) if team is not None else links


class BrokenLink(NamedTuple):
    page_path: str
    href: str
    reason: str
    suggestion: object = None  # links.LinkSuggestion: what the link probably meant


def broken_links_described(
    *, team: Team | None = None, paths: set[str] | None = None
) -> list[BrokenLink]:
    """Broken links (of a team's pages, or of the given pages) with why each is broken and
    what each probably meant."""
    from handbook.pages import targets_lookup
    from handbook.rendering import LinkRef

    from .links import links_suggested

    links = broken_links(team=team)
    if paths is not None:
        links = links.filter(page__path__in=paths)
    links = list(links)
    targets = targets_lookup({link.target_path for link in links if link.target_path})
    described = []
    for link in links:
        target = targets.get(link.target_path) if link.target_path else None
        if link.target_path is None:
            reason = "not a handbook link"
        elif link.target_path.startswith("../"):
            # The renderer keeps the `..` of links that climb out of the tree: no page could
            # ever be created there.
            reason = "missing page: the link leads above the handbook's root"
        elif target is None:
            reason = f"missing page {link.target_path}"
        else:
            reason = f"missing anchor #{link.anchor} on {target.path}"
        described.append(BrokenLink(link.page.path, link.href, reason))
    suggested = links_suggested(
        links=[
            (link.page.path, LinkRef(link.href, link.target_path, link.anchor, broken=True))
            for link in links
        ]
    )
    return [
        entry._replace(suggestion=suggested.get((entry.page_path, entry.href)))
        for entry in described
    ]


def pages_linking_to(*, path: str):
    return Page.objects.filter(links__target_path=path).distinct().order_by("path")


def pages_stale(*, today, team: Team | None = None):
    pages = Page.objects.filter(review_by__lt=today).select_related("team").order_by("review_by")
    return pages.filter(team=team) if team is not None else pages


def page_list(*, team: Team | None = None):
    pages = Page.objects.select_related("team").order_by("path")
    return pages.filter(team=team) if team is not None else pages


def pages_recently_updated(*, limit: int = 10):
    """The last pages changed, newest first, with the fields a list of them shows."""
    return (
        Page.objects.select_related("team")
        .only("path", "title", "updated_at", "team__name", "team__slug")
        .order_by("-updated_at", "path")[:limit]
    )


# Two people editing one page


class MergeProposal(NamedTuple):
    values: dict  # title, markdown, team, review_by: each side's change where only one changed
    conflicts: int  # text regions both changed differently, marked in values["markdown"]
    text_changed: bool  # whether the saved title or text moved on (else only its details did)


PAGE_EDIT_FIELDS = ("title", "markdown", "team", "review_by")


def page_merge_proposal(*, current: Page, base_version: int, mine: dict) -> MergeProposal:
    """What saving `mine` (the edit form's values, started from `base_version`) over the page
    as it is now would give: every field one side changed takes that change, and the texts
    are merged line by line (regions changed on both sides are marked as conflicts). A
    version missing from the history counts as the current one (nothing is merged then)."""
    from core.textmerge import merge

    base = current.history.filter(version=base_version).order_by("-history_id").first()
    base_values = {
        "title": base.title if base else current.title,
        "markdown": base.markdown if base else current.markdown,
        "team": base.team if base else current.team,
        "review_by": base.review_by if base else current.review_by,
    }
    values = {}
    for field in PAGE_EDIT_FIELDS:
        theirs = getattr(current, field)
        values[field] = theirs if mine[field] == base_values[field] else mine[field]
    merged = merge(base_values["markdown"], mine["markdown"], current.markdown)
    values["markdown"] = merged.text
    text_changed = (current.title, current.markdown) != (
        base_values["title"],
        base_values["markdown"],
    )
    return MergeProposal(values=values, conflicts=merged.conflicts, text_changed=text_changed)

"""Drafts: the editor's autosave, one per person and page (and one new page per person)."""

from django.db import transaction

from handbook import permissions
from handbook.models import Page, PageDraft, Team


def _draft_slot(*, user, page: Page | None):
    drafts = PageDraft.objects.filter(user=user)
    return drafts.filter(page=page) if page is not None else drafts.filter(page__isnull=True)


@transaction.atomic
def page_draft_save(
    *,
    user,
    page: Page | None,
    title: str,
    markdown: str,
    base_version: int,
    change_summary: str = "",
    path: str = "",
    team: Team | None = None,
) -> PageDraft:
    """Keep what the person has typed so far (of `page`, or of a new page at `path`)."""
    permissions.page_draft_check(user=user, page=page)
    values = {
        "title": title,
        "markdown": markdown,
        "change_summary": change_summary,
        "base_version": base_version,
        # Only a new page's address and team are the draft's own; a page has them already.
        "path": path if page is None else "",
        "team": team if page is None else None,
    }
    draft, _ = PageDraft.objects.update_or_create(user=user, page=page, defaults=values)
    return draft


def page_draft_discard(*, user, page: Page | None) -> bool:
    """Throw the person's draft of `page` (None: of their new page) away; whether there was
    one. Nobody else's draft can be reached this way."""
    deleted, _ = _draft_slot(user=user, page=page).delete()
    return bool(deleted)

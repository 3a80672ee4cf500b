"""Reads for the editor: a person's own draft, and an image for someone who may see it."""

from handbook import permissions
from handbook.models import Page, PageDraft, PageImage


def page_draft_get(*, user, page: Page | None) -> PageDraft | None:
    """The person's own draft of `page` (None: of a new page); nobody else's, ever."""
    if not (user and user.is_authenticated):
        return None
    drafts = PageDraft.objects.filter(user=user).select_related("team")
    drafts = drafts.filter(page=page) if page is not None else drafts.filter(page__isnull=True)
    return drafts.first()


def page_image_get_for_user(*, user, image_id: int) -> PageImage | None:
    """The image, if it exists and the person may read the pages of its team; else None (the
    same answer, so that whether an image exists is not told either)."""
    image = PageImage.objects.select_related("team").filter(pk=image_id).first()
    if image is None or not permissions.page_can_read(user=user, team=image.team):
        return None
    return image

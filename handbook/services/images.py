"""Images for pages: checked to be an image of a type browsers show, stored with the default
storage under the team's folder, served by handbook.views.editor.page_image."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from handbook import permissions
from handbook.models import IMAGE_TYPES, Page, PageImage, Team

# The first bytes of each type (WebP: "RIFF", four bytes of size, then "WEBP").
_SIGNATURES = (
    ("image/png", lambda head: head.startswith(b"\x89PNG\r\n\x1a\n")),
    ("image/jpeg", lambda head: head.startswith(b"\xff\xd8\xff")),
    ("image/gif", lambda head: head[:6] in (b"GIF87a", b"GIF89a")),
    ("image/webp", lambda head: head[:4] == b"RIFF" and head[8:12] == b"WEBP"),
)


def image_type_sniff(head: bytes) -> str | None:
    """The image type the file's first bytes show, or None for anything else (SVG among
    them: it can carry scripts)."""
    for content_type, matches in _SIGNATURES:
        if matches(head):
            return content_type
    return None


def page_image_upload(*, user, upload: UploadedFile, page: Page | None, team: Team | None = None):
    """Store an uploaded image for `page` (or for a new page of `team`); ValidationError on
    the field "image" when it is too big or not an image."""
    team = page.team if page is not None else team
    if user is not None:
        permissions.page_image_upload_check(user=user, page=page, team=team)
    limit = settings.HANDBOOK_IMAGE_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            {"image": [f"The image is larger than {limit // (1024 * 1024)} MB; make it smaller."]}
        )
    upload.seek(0)
    content_type = image_type_sniff(upload.read(16))
    upload.seek(0)
    if content_type is None:
        kinds = ", ".join(ext.lstrip(".").upper() for ext in IMAGE_TYPES.values())
        raise ValidationError({"image": [f"Not an image the handbook can show ({kinds})."]})
    image = PageImage(
        team=team,
        page=page,
        content_type=content_type,
        size=upload.size,
        name=(upload.name or "")[:200],
        uploaded_by=user,
    )
    image.file.save(upload.name or "image", upload, save=False)
    image.save()
    return image


def page_image_delete(*, image: PageImage) -> None:
    """Remove an image and its file (pages showing it then show its alt text)."""
    name = image.file.name
    image.delete()
    if name:
        transaction.on_commit(lambda: image.file.storage.delete(name))

"""The page editor's rows of the permission matrix (tests/test_permission_matrix.py): drafts
and images. Its world gains a draft of A's page and of a new page for every person."""

from django.core.files.uploadedfile import SimpleUploadedFile

from handbook.models import PageDraft, PageImage
from tests.matrix import A_MEMBERS, LOGGED_IN, Row

# The smallest PNG there is: one transparent pixel.
PNG_PIXEL = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082"
)
DRAFTS_SEEDED = 4  # one per person who is logged in


def world_add(world) -> None:
    for role in ("other", "member", "lead", "admin"):
        person = world.people[role]
        PageDraft.objects.create(user=person, page=world.page, title="Page", markdown="mine")
        PageDraft.objects.create(user=person, path="x/new", title="New", markdown="mine")


def _png(world) -> SimpleUploadedFile:
    return SimpleUploadedFile("pixel.png", PNG_PIXEL, content_type="image/png")


def _page_drafts(world):
    return PageDraft.objects.filter(page__path="a/page")


def _new_page_drafts(world):
    return PageDraft.objects.filter(page__isnull=True)


ROWS = [
    Row(
        "handbook:draft_save",
        "post",
        A_MEMBERS,
        kwargs=lambda w: {"path": "a/page"},
        data=lambda w: {"title": "Page", "markdown": "autosaved", "base_version": w.page.version},
        effect=lambda w: _page_drafts(w).filter(markdown="autosaved").exists(),
    ),
    Row(
        "handbook:draft_save_new",
        "post",
        LOGGED_IN,
        data=lambda w: {"path": "x/new", "title": "New", "markdown": "autosaved"},
        effect=lambda w: _new_page_drafts(w).filter(markdown="autosaved").exists(),
    ),
    Row(
        "handbook:draft_discard",
        "post",
        A_MEMBERS,
        kwargs=lambda w: {"path": "a/page"},
        effect=lambda w: _page_drafts(w).count() < DRAFTS_SEEDED,
    ),
    Row(
        "handbook:draft_discard_new",
        "post",
        LOGGED_IN,
        effect=lambda w: _new_page_drafts(w).count() < DRAFTS_SEEDED,
    ),
    Row(
        "handbook:image_upload",
        "post",
        A_MEMBERS,
        kwargs=lambda w: {"path": "a/page"},
        data=lambda w: {"image": _png(w)},
        effect=lambda w: PageImage.objects.filter(page__path="a/page").exists(),
    ),
    Row(
        "handbook:image_upload_new",
        "post",
        A_MEMBERS,
        case="for a new page of team A",
        data=lambda w: {"image": _png(w), "team": w.team_a.pk},
        effect=lambda w: PageImage.objects.filter(page=None, team=w.team_a).exists(),
    ),
]

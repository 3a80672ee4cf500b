from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

from accounts.models import validate_timezone


class Team(models.Model):
    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=120)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children"
    )
    mission = models.TextField(blank=True)
    channel_url = models.URLField(
        blank=True, help_text="Where to reach the team: its Mattermost or Slack channel."
    )
    # The charter.
    vision_1y = models.TextField("vision: one year", blank=True)
    vision_3y = models.TextField("vision: three years", blank=True)
    vision_10y = models.TextField("vision: ten years", blank=True)
    principles = models.JSONField(default=list, blank=True, help_text="A list of short lines.")
    ownership = models.JSONField(
        "areas of ownership",
        default=list,
        blank=True,
        help_text="Areas the team owns, highest priority first.",
    )
    support_guidelines = models.TextField(
        blank=True, help_text="Markdown: how to ask this team for help."
    )
    people = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Membership", related_name="teams"
    )
    # Grows with every change to the team, its contacts or its workstreams: an editor names
    # the version they started from, and a save over a newer one is refused (StaleWrite)
    # instead of silently undoing the other person's change.
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def clean(self):
        ancestor = self.parent
        while ancestor is not None:
            if ancestor.pk == self.pk:
                raise ValidationError({"parent": ["A team cannot be its own ancestor."]})
            ancestor = ancestor.parent
        for field in ("principles", "ownership"):
            lines = getattr(self, field)
            if not isinstance(lines, list) or not all(
                isinstance(line, str) and line.strip() for line in lines
            ):
                raise ValidationError({field: ["Give a list of non-empty lines."]})


class Membership(models.Model):
    class Role(models.TextChoices):
        ENGINEER = "engineer", "Engineer"
        LEAD = "lead", "Lead"
        EM = "em", "Engineering manager"
        PM = "pm", "Product manager"
        DESIGNER = "designer", "Designer"
        QA = "qa", "Quality engineer"

    # Roles that may edit the team, its members and (later) its rotas and pages.
    MANAGING_ROLES = frozenset({Role.LEAD, Role.EM, Role.PM})

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.ENGINEER)
    joined_at = models.DateTimeField(auto_now_add=True)
    # Who joined, left or changed role, and who made the change: the team's history.
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["team", "user"], name="membership_unique_person")
        ]
        ordering = ["team", "user__username"]

    def __str__(self):
        return f"{self.user} in {self.team} ({self.get_role_display()})"


class ContactRoute(models.Model):
    """One row of a team's "how to reach us" table: reason -> contacts in order -> via."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="contacts")
    position = models.PositiveIntegerField(default=0)
    reason = models.CharField(max_length=200)
    contacts = models.JSONField(
        default=list, help_text="Handles or people to try, highest priority first."
    )
    via = models.CharField(max_length=120, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["team", "position", "id"]

    def __str__(self):
        return f"{self.team}: {self.reason}"

    def clean(self):
        if not isinstance(self.contacts, list) or not all(
            isinstance(c, str) and c.strip() for c in self.contacts
        ):
            raise ValidationError({"contacts": ["Give a list of non-empty names or handles."]})


# Folders and a page name, lowercase: `engineering/delivery/processes` (and not ending in `.md`).
PAGE_PATH_REGEX = r"[a-z0-9][a-z0-9._-]*(/[a-z0-9][a-z0-9._-]*)*"
PAGE_PATH_MAX_LENGTH = 300


def validate_page_path(value):
    """Paths look like folders and a page name: `engineering/delivery/processes`."""
    import re

    if not re.fullmatch(PAGE_PATH_REGEX, value) or value.endswith(".md"):
        raise ValidationError(
            "Use lowercase folder and page names separated by “/”, without “.md”, "
            "e.g. engineering/delivery/processes."
        )


class Page(models.Model):
    """A markdown page of the handbook, addressed by its path like a file in a git handbook."""

    REVIEWED = "Reviewed"  # the change reason of a revision that marks the page reviewed

    path = models.CharField(
        max_length=PAGE_PATH_MAX_LENGTH, unique=True, validators=[validate_page_path]
    )
    title = models.CharField(max_length=200)
    markdown = models.TextField(blank=True)
    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="pages"
    )
    review_by = models.DateField(null=True, blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    # Grows with every revision: a writer names the version they started from, and a save
    # over a newer one is refused as a conflict instead of losing the other person's work.
    version = models.PositiveIntegerField(default=1, editable=False)
    # The YAML front matter of an imported file, kept verbatim so an export of a page nobody
    # edited gives back the same bytes.
    front_matter = models.TextField(blank=True)
    # Derived at save from the markdown, so links to this page can be checked without
    # rendering it: its heading anchors.
    anchors = models.JSONField(default=list, blank=True)
    # The rendered page as plain text: what search indexes and quotes in its snippets.
    plain_text = models.TextField(blank=True, editable=False)
    # PostgreSQL full-text vector (title > headings > body), kept up to date by page_save; a
    # GIN index on it is created by migration 0003 on PostgreSQL only.
    search_vector = SearchVectorField(null=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(
        excluded_fields=["anchors", "plain_text", "search_vector", "updated_at"]
    )

    class Meta:
        ordering = ["path"]

    def __str__(self):
        return self.title or self.path

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("handbook:page", args=[self.path])

    @property
    def folder(self) -> str:
        return self.path.rpartition("/")[0]


class PageRedirect(models.Model):
    """An old path of a page that moved; its URL keeps working."""

    old_path = models.CharField(max_length=300, unique=True)
    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="redirects")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"{self.old_path} → {self.page.path}"


class PageLink(models.Model):
    """A link found in a page's markdown, resolved against the handbook at save time."""

    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="links")
    position = models.PositiveIntegerField()
    href = models.CharField(max_length=1000)
    # The page path the link points to (None for external links), and the #anchor if any.
    target_path = models.CharField(  # noqa: DJ001 - None (external) differs from any path
        max_length=300, null=True, blank=True, db_index=True
    )
    anchor = models.CharField(max_length=300, blank=True)
    broken = models.BooleanField(default=False)

    class Meta:
        ordering = ["page", "position"]

    def __str__(self):
        return f"{self.page.path}: {self.href}"


class Workstream(models.Model):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="workstreams")
    position = models.PositiveIntegerField(default=0)
    name = models.CharField(max_length=200)
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    description = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["team", "position", "id"]

    def __str__(self):
        return self.name


def validate_recurrence(value):
    """Every way in (admin inline, API, import) refuses a rule the team page could not read."""
    from .meetings import recurrence_problem

    problem = recurrence_problem(value)
    if problem is not None:
        raise ValidationError(f"Not a valid RRULE: {problem}.")


class Meeting(models.Model):
    """A recurring team meeting: an RFC 5545 rule from a first occurrence, in a time zone."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="meetings")
    name = models.CharField(max_length=200)
    topic = models.CharField(max_length=300, blank=True)
    participants = models.CharField(max_length=500, blank=True)
    recurrence = models.CharField(
        max_length=500,
        blank=True,
        validators=[validate_recurrence],
        help_text="An RRULE, e.g. FREQ=WEEKLY;INTERVAL=2;BYDAY=TU",
    )
    start = models.DateTimeField(help_text="The first occurrence.")
    duration_minutes = models.PositiveIntegerField(default=30)
    timezone = models.CharField(max_length=64, default="UTC", validators=[validate_timezone])
    history = HistoricalRecords()

    class Meta:
        ordering = ["team", "name"]

    def __str__(self):
        return f"{self.team}: {self.name}"


SEARCH_WORD_MIN_LENGTH = 3
SEARCH_WORD_MAX_LENGTH = 40


class SearchWord(models.Model):
    """A distinct lower-case word of the handbook's titles and texts: what a mistyped search
    word is corrected to (the most similar one, by trigrams, on PostgreSQL). Kept by page_save
    (a page's words are added) and search_words_rebuild (words no page uses any more go)."""

    word = models.CharField(max_length=SEARCH_WORD_MAX_LENGTH, unique=True)

    class Meta:
        ordering = ["word"]
        indexes = [
            GinIndex(fields=["word"], name="handbook_searchword_trgm", opclasses=["gin_trgm_ops"])
        ]

    def __str__(self):
        return self.word


class PageDraft(models.Model):
    """Someone's unsaved edit of a page, kept by the editor's autosave until they save the
    page or discard the draft. A draft of a page not created yet has no page: each person
    has at most one of those, and its `path` is the address they typed."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="page_drafts"
    )
    page = models.ForeignKey(
        Page, null=True, blank=True, on_delete=models.CASCADE, related_name="drafts"
    )
    path = models.CharField(max_length=PAGE_PATH_MAX_LENGTH, blank=True)
    title = models.CharField(max_length=200, blank=True)
    markdown = models.TextField(blank=True)
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.SET_NULL)
    change_summary = models.CharField(max_length=100, blank=True)
    # The page's version the edit started from: saving the draft over a newer one shows
    # both versions merged, as any late save does.
    base_version = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "page"],
                condition=models.Q(page__isnull=False),
                name="pagedraft_unique_page",
            ),
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(page__isnull=True),
                name="pagedraft_unique_new_page",
            ),
        ]

    def __str__(self):
        return f"{self.user}: draft of {self.page.path if self.page_id else 'a new page'}"


def page_image_upload_to(image: "PageImage", filename: str) -> str:
    """Each team's images in a folder of their own, under names nobody can guess."""
    import uuid

    folder = image.team.slug if image.team_id else "_no-team"
    return f"handbook/images/{folder}/{uuid.uuid4().hex}{IMAGE_TYPES[image.content_type]}"


# The image types a page may show (by what the file's first bytes say), with their extension.
IMAGE_TYPES = {
    "image/png": ".png",
    "image/jpeg": ".jpg",
    "image/gif": ".gif",
    "image/webp": ".webp",
}


class PageImage(models.Model):
    """An image pasted or uploaded in the editor, stored with the default storage and served
    only to people who may read the pages of its team (never from a public media URL)."""

    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="images"
    )
    page = models.ForeignKey(
        Page, null=True, blank=True, on_delete=models.SET_NULL, related_name="images"
    )
    file = models.FileField(upload_to=page_image_upload_to, max_length=300)
    content_type = models.CharField(max_length=20, choices=[(t, t) for t in IMAGE_TYPES])
    size = models.PositiveIntegerField()
    name = models.CharField("original file name", max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return self.name or self.file.name

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("handbook:page_image", args=[self.pk])

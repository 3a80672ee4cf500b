"""Release trains and their releases: the rule that gives release days, the milestones counted
back from release day in business days, holidays, checklists, slips and reminders.

Releases are planned from their train by releases.services (never written here): a release
remembers the day the rule gave it (`planned_date`), so planning again finds it even after it
slipped, and its slips say how it moved.
"""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from accounts.models import validate_timezone
from rotations.models import validate_holiday_country

VERSION = re.compile(r"[0-9]{1,4}\.[0-9]{1,4}\.[0-9]{1,4}")


def validate_version(value: str) -> None:
    if not VERSION.fullmatch(value or ""):
        raise ValidationError("Give a version as MAJOR.MINOR.PATCH, e.g. 10.4.0.")


def validate_reminder_days(value) -> None:
    if not isinstance(value, list) or not all(
        isinstance(day, int) and not isinstance(day, bool) and 0 <= day <= 30 for day in value
    ):
        raise ValidationError("Give a list of whole numbers of business days, 0 to 30.")
    if len(set(value)) != len(value):
        raise ValidationError("Each number of days once.")


class Train(models.Model):
    class Kind(models.TextChoices):
        CLOUD = "cloud", "Cloud"
        SELF_MANAGED = "self-managed", "Self-managed"
        SECURITY = "security", "Security"
        PATCH = "patch", "Patch"

    class Adjustment(models.TextChoices):
        PREVIOUS = "previous", "Previous business day"
        NEXT = "next", "Next business day"
        NONE = "none", "No adjustment"

    class VersionPattern(models.TextChoices):
        NEXT_MINOR = "next-minor", "Next minor"
        NEXT_PATCH = "next-patch", "Next patch"

    team = models.ForeignKey("handbook.Team", on_delete=models.CASCADE, related_name="trains")
    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    rule = models.CharField(
        max_length=300,
        help_text="An RRULE for release days, e.g. FREQ=MONTHLY;BYDAY=+3TH (third Thursday).",
    )
    adjustment = models.CharField(
        max_length=10,
        choices=Adjustment.choices,
        default=Adjustment.PREVIOUS,
        help_text="Where a release day that is not a business day goes.",
    )
    start = models.DateField(help_text="The first date the rule counts from.")
    timezone = models.CharField(
        max_length=64,
        default="UTC",
        validators=[validate_timezone],
        help_text="The IANA zone reminders are sent in (at 09:00 local).",
    )
    holiday_country = models.CharField(
        max_length=2,
        blank=True,
        validators=[validate_holiday_country],
        help_text="Public holidays of this country are not business days (e.g. DE).",
    )
    reminder_days = models.JSONField(
        default=list,
        blank=True,
        validators=[validate_reminder_days],
        help_text="Business days before each milestone a reminder goes out, e.g. [3, 1, 0].",
    )
    channel = models.ForeignKey(
        "notifications.Channel",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="trains",
        help_text="Where reminders are sent.",
    )
    version_pattern = models.CharField(
        max_length=12, choices=VersionPattern.choices, default=VersionPattern.NEXT_MINOR
    )
    first_version = models.CharField(
        max_length=16,
        validators=[validate_version],
        help_text="The version of the train's first release; each next one follows the pattern.",
    )
    manager_role = models.CharField(
        max_length=80,
        default="Release Manager",
        blank=True,
        help_text="A rotation role (or rotation) of the team by this name proposes the "
        "release manager: whoever holds it on release day.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["team__name", "name"]

    def __str__(self):
        return self.name

    @property
    def zone_info(self):
        from zoneinfo import ZoneInfo

        return ZoneInfo(self.timezone)


class MilestoneTemplate(models.Model):
    """A deadline of every release of the train: `offset_business_days` before release day."""

    train = models.ForeignKey(Train, on_delete=models.CASCADE, related_name="milestone_templates")
    name = models.CharField(max_length=80)
    offset_business_days = models.PositiveSmallIntegerField(
        help_text="Business days before release day (0: release day itself)."
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["train", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["train", "name"], name="milestone_template_unique")
        ]

    def __str__(self):
        return f"{self.name} (T-{self.offset_business_days})"


class TrainHoliday(models.Model):
    """A day off of the team (a company day): not a business day for the train."""

    train = models.ForeignKey(Train, on_delete=models.CASCADE, related_name="holidays")
    date = models.DateField()
    name = models.CharField(max_length=80, blank=True)

    class Meta:
        ordering = ["train", "date"]
        constraints = [
            models.UniqueConstraint(fields=["train", "date"], name="train_holiday_unique")
        ]

    def __str__(self):
        return f"{self.date} {self.name}".strip()


class ChecklistTemplateItem(models.Model):
    """A step every release of the train copies into its checklist (optionally under one of
    its milestones, by name)."""

    train = models.ForeignKey(Train, on_delete=models.CASCADE, related_name="checklist_templates")
    title = models.CharField(max_length=200)
    milestone_name = models.CharField(max_length=80, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["train", "position", "id"]

    def __str__(self):
        return self.title


class Release(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        RELEASED = "released", "Released"
        CANCELLED = "cancelled", "Cancelled"

    train = models.ForeignKey(Train, on_delete=models.CASCADE, related_name="releases")
    version = models.CharField(max_length=16, unique=True, validators=[validate_version])
    release_date = models.DateField()
    planned_date = models.DateField(
        help_text="The day the train's rule gave it (or the first day set by hand): slips "
        "are counted from it."
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PLANNED)
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="managed_releases",
    )
    edited = models.BooleanField(
        default=False, help_text="Changed by hand: planning never overwrites it."
    )
    released_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["release_date", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["train", "planned_date"], name="release_once_per_planned_day"
            )
        ]
        indexes = [models.Index(fields=["release_date"], name="release_date_idx")]

    def __str__(self):
        return f"{self.train.name} {self.version}"


class Milestone(models.Model):
    release = models.ForeignKey(Release, on_delete=models.CASCADE, related_name="milestones")
    name = models.CharField(max_length=80)
    offset_business_days = models.PositiveSmallIntegerField()
    due = models.DateField()
    position = models.PositiveSmallIntegerField(default=0)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["release", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["release", "name"], name="milestone_unique_name")
        ]

    def __str__(self):
        return f"{self.release}: {self.name} {self.due}"


class ChecklistItem(models.Model):
    release = models.ForeignKey(Release, on_delete=models.CASCADE, related_name="checklist")
    milestone = models.ForeignKey(
        Milestone, null=True, blank=True, on_delete=models.SET_NULL, related_name="checklist"
    )
    title = models.CharField(max_length=200)
    position = models.PositiveSmallIntegerField(default=0)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["release", "position", "id"]

    def __str__(self):
        return self.title


class Slip(models.Model):
    """A move of a release (milestone empty) or of one milestone alone."""

    release = models.ForeignKey(Release, on_delete=models.CASCADE, related_name="slips")
    milestone = models.ForeignKey(
        Milestone, null=True, blank=True, on_delete=models.CASCADE, related_name="slips"
    )
    from_date = models.DateField()
    to_date = models.DateField()
    reason = models.CharField(max_length=300, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.release}: {self.from_date} -> {self.to_date}"


class Reminder(models.Model):
    """One message before a milestone: a row per (milestone, days before, channel) while
    pending. Moving the milestone supersedes the pending rows and plans new ones; the beat
    task claims due rows and sends each once (its delivery key is the row)."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SENT = "sent", "Sent"
        SUPERSEDED = "superseded", "Superseded"

    milestone = models.ForeignKey(Milestone, on_delete=models.CASCADE, related_name="reminders")
    days_before = models.PositiveSmallIntegerField()
    channel = models.ForeignKey(
        "notifications.Channel", on_delete=models.CASCADE, related_name="release_reminders"
    )
    for_date = models.DateField(help_text="The milestone's due date this reminder is about.")
    due_at = models.DateTimeField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["milestone", "days_before", "channel"],
                condition=Q(status="pending"),
                name="reminder_one_pending",
            )
        ]
        indexes = [
            models.Index(fields=["due_at"], condition=Q(status="pending"), name="reminder_due_idx")
        ]

    def __str__(self):
        return f"{self.milestone} T-{self.days_before}d ({self.status})"

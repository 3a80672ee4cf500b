"""The ticket queue: a board per team, its columns in order, and tickets placed in a column at
an integer position.

Order in a column is always `(position, id)`. Positions leave gaps (services.ordering), so a
move writes one row; the database refuses two cards on one position of a column, so no
interleaving of moves can make two cards collide."""

from django.conf import settings
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from simple_history.models import HistoricalRecords


class Board(models.Model):
    team = models.ForeignKey("handbook.Team", on_delete=models.CASCADE, related_name="boards")
    name = models.CharField(max_length=120)
    key_prefix = models.CharField(
        max_length=10,
        unique=True,
        validators=[
            RegexValidator(r"^[A-Z][A-Z0-9]{1,9}$", "2 to 10 capitals or digits, e.g. DEL.")
        ],
        help_text="Ticket keys are this prefix and a number: DEL-42.",
    )
    # Grows with every change of the board's cards, so a viewer can ask cheaply "anything new?"
    version = models.PositiveBigIntegerField(default=0)
    # The number the next ticket gets; taken under a lock on this row, so keys have no gaps
    # and no duplicates.
    next_number = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(excluded_fields=["version", "next_number"])

    class Meta:
        ordering = ["team__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["team", "name"], name="board_unique_name_in_team")
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("tickets:board", args=[self.pk])


class Column(models.Model):
    class Kind(models.TextChoices):
        TRIAGE = "triage", "Triage"
        READY = "ready", "Ready"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Done"
        OTHER = "other", "Other"

    class WipMode(models.TextChoices):
        SOFT = "soft", "Soft: warn"
        HARD = "hard", "Hard: refuse"

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="columns")
    name = models.CharField(max_length=60)
    position = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.OTHER)
    wip_limit = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1)], help_text="Empty: no limit."
    )
    wip_mode = models.CharField(max_length=4, choices=WipMode.choices, default=WipMode.SOFT)
    history = HistoricalRecords()

    class Meta:
        ordering = ["board", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["board", "name"], name="column_unique_name_in_board")
        ]

    def __str__(self):
        return f"{self.board}: {self.name}"


class Label(models.Model):
    name = models.CharField(
        max_length=60,
        unique=True,
        validators=[RegexValidator(r"^[a-z0-9][a-z0-9/._-]*$", "Lower case, e.g. team/delivery.")],
    )

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Ticket(models.Model):
    class Kind(models.TextChoices):
        BUG = "bug", "Bug"
        FEATURE = "feature", "Feature request"
        SUPPORT = "support", "Support request"
        INCIDENT = "incident", "Incident"

    class Severity(models.TextChoices):
        S1 = "S1", "S1: critical"
        S2 = "S2", "S2: major"
        S3 = "S3", "S3: minor"
        S4 = "S4", "S4: cosmetic"

    class PriorityClass(models.TextChoices):
        # In the order the work is taken (the default order of a ready column).
        HOTFIX = "hotfix", "Hotfix"
        RELEASE = "release", "Release"
        CUSTOMER = "customer", "Customer reported"
        OTHER = "other", "Other"

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="tickets")
    number = models.PositiveIntegerField()
    # CASCADE so that deleting a board (or its team) takes its cards along; a column alone is
    # removed only when empty, which the services check.
    column = models.ForeignKey(Column, on_delete=models.CASCADE, related_name="tickets")
    position = models.BigIntegerField()
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True, help_text="Markdown.")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.BUG)
    severity = models.CharField(max_length=2, choices=Severity.choices, default=Severity.S3)
    priority_class = models.CharField(
        max_length=10, choices=PriorityClass.choices, default=PriorityClass.OTHER
    )
    labels = models.ManyToManyField(Label, blank=True, related_name="tickets")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reported_tickets",
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_tickets",
    )
    version = models.PositiveIntegerField(default=1)
    external_key = models.CharField(
        max_length=60, blank=True, help_text="Its key where it was imported from (PROJ-12, #34)."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["column", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["board", "external_key"],
                condition=~models.Q(external_key=""),
                name="ticket_imported_once",
            ),
            models.UniqueConstraint(fields=["board", "number"], name="ticket_unique_key"),
            models.UniqueConstraint(fields=["column", "position"], name="ticket_one_per_slot"),
        ]
        indexes = [models.Index(fields=["board", "updated_at"], name="ticket_board_recent_idx")]

    def __str__(self):
        return f"{self.key} {self.title}"

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("tickets:ticket", args=[self.key])

    @property
    def key(self) -> str:
        return f"{self.board.key_prefix}-{self.number}"


class Comment(models.Model):
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    markdown = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"Comment on {self.ticket_id}"


class Activity(models.Model):
    """One change of a ticket, as people read it in its history: who, when, what."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="activity")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField()
    action = models.CharField(max_length=20)  # created, moved, changed, commented, pulled
    changes = models.JSONField(default=dict, blank=True)  # field -> [before, after]

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["ticket", "at"], name="activity_ticket_at_idx")]
        verbose_name_plural = "activity"

    def __str__(self):
        return f"{self.ticket_id} {self.action} at {self.at:%Y-%m-%d %H:%M}"

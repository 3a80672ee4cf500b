from django.db import models
from django.utils import timezone


class Channel(models.Model):
    """Somewhere a message can go: a chat incoming webhook, a generic webhook or a mailbox."""

    class Kind(models.TextChoices):
        MATTERMOST = "mattermost", "Mattermost incoming webhook"
        SLACK = "slack", "Slack incoming webhook"
        WEBHOOK = "webhook", "Generic webhook (JSON POST)"
        EMAIL = "email", "Email"

    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    target = models.CharField(
        max_length=500, help_text="The webhook URL, or the email address for email channels."
    )
    # The owning team. notifications never imports handbook: this is a reference by name only.
    team = models.ForeignKey(
        "handbook.Team",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="notification_channels",
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            # A person's mailbox is one channel (services.email_channel), even when two runs
            # write to it for the first time at once.
            models.UniqueConstraint(
                fields=["target"],
                condition=models.Q(kind="email", team__isnull=True),
                name="channel_one_personal_mailbox",
            )
        ]

    def __str__(self):
        return f"{self.name} ({self.get_kind_display()})"

    def clean(self):
        from django.core.exceptions import ValidationError
        from django.core.validators import URLValidator, validate_email

        try:
            if self.kind == self.Kind.EMAIL:
                validate_email(self.target)
            else:
                URLValidator(schemes=["http", "https"])(self.target)
        except ValidationError as exc:
            raise ValidationError({"target": exc.messages}) from exc


class Delivery(models.Model):
    """One message to one channel. The unique key makes a repeated notify() a no-op."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    key = models.CharField(max_length=255, unique=True)
    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="deliveries")
    payload = models.JSONField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="delivery_due_idx")]
        verbose_name_plural = "deliveries"

    def __str__(self):
        return f"{self.key} → {self.channel} ({self.status})"

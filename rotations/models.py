"""Support rotas: rotations of a team, their roles (in escalation order), who rotates through
each role, the plans the rota engine reads, overrides, handoffs and alerts.

The member list people edit (`RoleMember`) is the rota from the next handoff on; what the
engine computes shifts from are `RolePlan`s, snapshots that each take effect at a handoff and
are never changed once in effect, so past shifts stay as they were.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from accounts.models import validate_timezone

WEEKDAYS = [
    (0, "Monday"),
    (1, "Tuesday"),
    (2, "Wednesday"),
    (3, "Thursday"),
    (4, "Friday"),
    (5, "Saturday"),
    (6, "Sunday"),
]


def validate_holiday_country(value: str) -> None:
    import holidays

    if value and value.upper() not in holidays.list_supported_countries():
        raise ValidationError(f"{value} is not a country code the holidays calendar knows.")


class Rotation(models.Model):
    team = models.ForeignKey("handbook.Team", on_delete=models.CASCADE, related_name="rotations")
    name = models.CharField(max_length=120)
    timezone = models.CharField(
        max_length=64,
        validators=[validate_timezone],
        help_text="The IANA zone handoff times are read in, e.g. Europe/Berlin.",
    )
    channel = models.ForeignKey(
        "notifications.Channel",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="rotations",
        help_text="Where handoffs and alerts are announced.",
    )
    holiday_country = models.CharField(
        max_length=2,
        blank=True,
        validators=[validate_holiday_country],
        help_text="Public holidays of this country count as holiday hours (e.g. DE).",
    )
    header_channel_id = models.CharField(
        max_length=64,
        blank=True,
        help_text="A Mattermost channel id: its header shows who holds each role (needs "
        "MATTERMOST_URL and MATTERMOST_BOT_TOKEN). Empty: off.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["team__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["team", "name"], name="rotation_unique_name_in_team")
        ]

    def __str__(self):
        return f"{self.team.name}: {self.name}"

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("rotations:rotation", kwargs={"pk": self.pk})

    @property
    def zone_info(self):
        from zoneinfo import ZoneInfo

        return ZoneInfo(self.timezone)


class Role(models.Model):
    """One role of a rotation (Primary, Backup, Lead...). Roles are escalated in `position`
    order."""

    rotation = models.ForeignKey(Rotation, on_delete=models.CASCADE, related_name="roles")
    name = models.CharField(max_length=80)
    position = models.PositiveSmallIntegerField(default=0)
    handoff_weekday = models.PositiveSmallIntegerField(
        choices=WEEKDAYS, validators=[MaxValueValidator(6)]
    )
    handoff_time = models.TimeField(help_text="Local time in the rotation's zone.")
    cycle_weeks = models.PositiveSmallIntegerField(
        default=1, validators=[MinValueValidator(1), MaxValueValidator(52)]
    )
    start = models.DateField(
        help_text="The first handoff is on the first handoff weekday on or after this date."
    )
    escalation_timeout_minutes = models.PositiveSmallIntegerField(
        default=15,
        validators=[MinValueValidator(1), MaxValueValidator(24 * 60)],
        help_text="How long an alert waits for this role before the next one is paged.",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["rotation", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["rotation", "name"], name="role_unique_name"),
            models.CheckConstraint(
                condition=Q(handoff_weekday__lte=6), name="role_weekday_in_week"
            ),
            models.CheckConstraint(condition=Q(cycle_weeks__gte=1), name="role_cycle_positive"),
        ]

    def __str__(self):
        return f"{self.rotation}: {self.name}"


class RoleMember(models.Model):
    """The role's member list as it is edited: in effect from the next handoff."""

    role = models.ForeignKey(Role, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="rota_roles"
    )
    position = models.PositiveIntegerField(default=0, db_index=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["role", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["role", "user"], name="role_member_unique_person")
        ]

    def __str__(self):
        return f"{self.role.name}: {self.user}"


class RolePlan(models.Model):
    """A snapshot of a role's schedule and members, in effect from `effective_from` (null:
    from the role's start) until the next plan. Written only by rotations.services."""

    role = models.ForeignKey(Role, on_delete=models.CASCADE, related_name="plans")
    effective_from = models.DateTimeField(null=True, blank=True)
    handoff_weekday = models.PositiveSmallIntegerField(choices=WEEKDAYS)
    handoff_time = models.TimeField()
    cycle_weeks = models.PositiveSmallIntegerField()
    anchor = models.DateField(help_text="Local date of this plan's handoff 0.")
    members = models.JSONField(default=list, help_text="Person ids, in rota order.")
    first_position = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["role", F("effective_from").asc(nulls_first=True)]
        constraints = [
            models.UniqueConstraint(
                fields=["role", "effective_from"], name="role_plan_unique_start"
            ),
            models.UniqueConstraint(
                fields=["role"],
                condition=Q(effective_from__isnull=True),
                name="role_plan_one_first",
            ),
        ]

    def __str__(self):
        return f"{self.role} from {self.effective_from or 'the start'}"


class Override(models.Model):
    """Someone covers a role over an interval (a holiday, a swap). Cancelling keeps the row:
    what was covered stays covered, the rest goes back to the rota."""

    role = models.ForeignKey(Role, on_delete=models.CASCADE, related_name="overrides")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="rota_overrides"
    )
    start = models.DateTimeField()
    end = models.DateTimeField()
    reason = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["start", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="override_ends_after")
        ]
        indexes = [models.Index(fields=["role", "end"], name="override_role_end_idx")]

    def __str__(self):
        return f"{self.user} covers {self.role} {self.start:%Y-%m-%d %H:%M}"

    @property
    def effective_end(self):
        """Where it stops covering: its end, or when it was cancelled if that came first."""
        if self.cancelled_at is not None:
            return max(self.start, min(self.end, self.cancelled_at))
        return self.end


class Handoff(models.Model):
    """One announced change of holder: a row per (role, instant), so it is announced once."""

    role = models.ForeignKey(Role, on_delete=models.CASCADE, related_name="handoffs")
    start = models.DateTimeField()
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The incoming person; empty: nobody (a gap).",
    )
    source = models.CharField(max_length=10)  # rotation, override or gap
    recorded_at = models.DateTimeField()
    late = models.BooleanField(default=False)

    class Meta:
        ordering = ["-start"]
        constraints = [
            models.UniqueConstraint(fields=["role", "start"], name="handoff_once_per_start")
        ]

    def __str__(self):
        return f"{self.role} at {self.start:%Y-%m-%d %H:%M}"


class Alert(models.Model):
    """A page: the first role's person is notified, then each next role after the previous
    one's timeout, until someone acknowledges or the roles run out."""

    rotation = models.ForeignKey(Rotation, on_delete=models.CASCADE, related_name="alerts")
    summary = models.CharField(max_length=300)
    ticket = models.CharField(max_length=40, blank=True)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    next_step = models.PositiveSmallIntegerField(default=0)
    next_step_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["next_step_at"], name="alert_due_idx")]

    def __str__(self):
        return f"Alert {self.pk}: {self.summary}"

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("rotations:alert", kwargs={"pk": self.pk})

    @property
    def status(self) -> str:
        if self.acknowledged_at is not None:
            return "acknowledged"
        return "open" if self.next_step_at is not None else "unanswered"


class AlertStep(models.Model):
    """One escalation step: who was paged for which role, and when."""

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="steps")
    index = models.PositiveSmallIntegerField()
    role = models.ForeignKey(Role, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    notified_at = models.DateTimeField()

    class Meta:
        ordering = ["alert", "index"]
        constraints = [models.UniqueConstraint(fields=["alert", "index"], name="alert_step_once")]

    def __str__(self):
        return f"{self.alert} step {self.index + 1}"

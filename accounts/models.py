import hashlib
import zoneinfo

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone


def validate_timezone(value):
    if value not in zoneinfo.available_timezones():
        raise ValidationError(f"“{value}” is not an IANA time zone (e.g. Europe/Berlin).")


class User(AbstractUser):
    """A person: an engineer, a lead, a manager, or a tool's service account."""

    display_name = models.CharField(max_length=150, blank=True)
    timezone = models.CharField(max_length=64, default="UTC", validators=[validate_timezone])
    # When the account was last deactivated: rotas show the person's shifts from then on as
    # gaps, while everything before keeps their name.
    deactivated_at = models.DateTimeField(null=True, blank=True, editable=False)

    # What a person is found by (the quick switcher) and called by.
    NAME_FIELDS = ("username", "display_name", "first_name", "last_name")

    class Meta:
        ordering = ["username"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        # Kept here, not in a service: the admin's "active" box deactivates people too.
        if self.is_active:
            self.deactivated_at = None
        elif self.deactivated_at is None:
            self.deactivated_at = timezone.now()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "is_active" in update_fields:
            kwargs["update_fields"] = {*update_fields, "deactivated_at"}
        super().save(*args, **kwargs)

    @property
    def name(self):
        return self.name_of(self.display_name, self.first_name, self.last_name, self.username)

    @staticmethod
    def name_of(display_name: str, first_name: str, last_name: str, username: str) -> str:
        """How a person is called, from their fields (also for reads that fetch values alone)."""
        return display_name or f"{first_name} {last_name}".strip() or username


class CalendarToken(models.Model):
    """A person's key for subscribing calendar apps to `.ics` feeds (`?token=`).

    Calendar apps cannot log in, so the key travels in the feed URL. Only its SHA-256 is
    stored: a copy of the database does not hand out working feed URLs."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="calendar_token")
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"Calendar token of {self.user}"

    @staticmethod
    def hash_key(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()

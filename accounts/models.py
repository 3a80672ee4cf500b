import zoneinfo

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models


def validate_timezone(value):
    if value not in zoneinfo.available_timezones():
        raise ValidationError(f"“{value}” is not an IANA time zone (e.g. Europe/Berlin).")


class User(AbstractUser):
    """A person: an engineer, a lead, a manager, or a tool's service account."""

    display_name = models.CharField(max_length=150, blank=True)
    timezone = models.CharField(max_length=64, default="UTC", validators=[validate_timezone])

    class Meta:
        ordering = ["username"]

    def __str__(self):
        return self.name

    @property
    def name(self):
        return self.display_name or self.get_full_name() or self.username

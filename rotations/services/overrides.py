"""Overrides: someone covers a role for a while (a holiday, a swap, a sick day)."""

from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from rotations import permissions
from rotations.models import Override, Role

# An override may begin a little in the past (typed a few minutes late); earlier than this it
# would rewrite shifts that have been worked already.
START_GRACE = timedelta(minutes=15)


@transaction.atomic
def override_create(
    *,
    role: Role,
    person,
    start: datetime,
    end: datetime,
    reason: str = "",
    user=None,
    now: datetime | None = None,
) -> Override:
    """`person` holds `role` over [start, end), over whatever the rota or an earlier
    override says. The past is not rewritten: the interval must end in the future and may
    begin at most START_GRACE ago."""
    now = now or timezone.now()
    if user is not None:
        permissions.override_manage_check(user=user, rotation=role.rotation)
    errors = {}
    if end <= start:
        errors["end"] = ["The override must end after it starts."]
    elif end <= now:
        errors["end"] = ["The override would be over already: the past is not rewritten."]
    if start < now - START_GRACE:
        errors["start"] = [
            "The override would begin in the past: start it now at the earliest, so that "
            "shifts already worked stay as they were."
        ]
    if not person.is_active:
        errors["username"] = [f"{person.username} is deactivated."]
    if errors:
        raise ValidationError(errors)
    override = Override(
        role=role, user=person, start=start, end=end, reason=reason, created_by=user
    )
    override.full_clean()
    override._history_user = user
    override.save()
    return override


@transaction.atomic
def override_cancel(*, override: Override, user=None, now: datetime | None = None) -> Override:
    """Stop an override from now on: what it covered already stays covered; the rest of its
    time goes back to the rota (or to the overrides beneath it)."""
    now = now or timezone.now()
    override = (
        Override.objects.select_for_update().select_related("role__rotation").get(pk=override.pk)
    )
    if user is not None:
        permissions.override_manage_check(user=user, rotation=override.role.rotation)
    if override.cancelled_at is not None:
        return override
    if override.end <= now:
        raise ValidationError({"end": ["This override is over already; it stays in the record."]})
    override.cancelled_at = now
    override.cancelled_by = user
    override._history_user = user
    override.save(update_fields=["cancelled_at", "cancelled_by"])
    return override

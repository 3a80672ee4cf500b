"""Alerts and their escalation: Primary, then Backup after Primary's timeout, then Lead...

Each step runs under a lock on the alert row and re-reads, at that moment, whether the alert
was acknowledged and who holds the next role; a step is recorded once per (alert, index), so
a late, repeated or concurrent run pages nobody twice. When to run the next step is a column
of the alert (`next_step_at`) that a beat task claims, not a countdown in the broker.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from core.exceptions import NotAllowed
from notifications.models import Channel
from notifications.services import email_channel, notify
from rotations import permissions
from rotations.models import Alert, AlertStep, Rotation
from rotations.selectors.rota import oncall_at, rotation_snapshot

from . import messages

ACK_SALT = "rotations.alert-ack"


def ack_token(*, alert: Alert, person_id: int) -> str:
    return signing.TimestampSigner(salt=ACK_SALT).sign(f"{alert.pk}:{person_id}")


def ack_token_person(*, alert: Alert, token: str) -> int | None:
    """The person a signed acknowledge link was made for, or None (bad, old or not this
    alert's)."""
    max_age = timedelta(hours=settings.ALERT_ACK_LINK_HOURS)
    try:
        value = signing.TimestampSigner(salt=ACK_SALT).unsign(token, max_age=max_age)
    except signing.BadSignature:
        return None
    alert_id, _, person_id = value.partition(":")
    if alert_id != str(alert.pk) or not person_id.isdigit():
        return None
    return int(person_id)


def _channel(snapshot) -> Channel | None:
    if not snapshot.channel_id:
        return None
    return Channel.objects.filter(pk=snapshot.channel_id, is_active=True).first()


@transaction.atomic
def alert_raise(
    *, rotation: Rotation, summary: str, ticket: str = "", user=None, now: datetime | None = None
) -> Alert:
    """Open an alert and page the first role's person now."""
    now = now or timezone.now()
    if user is not None and not permissions.alert_can_raise(user=user):
        raise NotAllowed("Log in to raise an alert.")
    if not rotation.roles.exists():
        raise ValidationError({"rotation": ["This rotation has no roles to page."]})
    alert = Alert(
        rotation=rotation,
        summary=summary,
        ticket=ticket,
        created_at=now,
        created_by=user,
        next_step=0,
        next_step_at=now,
    )
    alert.full_clean()
    alert.save()
    alert_escalate(alert_id=alert.pk, now=now)
    alert.refresh_from_db()
    return alert


@transaction.atomic
def alert_escalate(*, alert_id: int, now: datetime | None = None) -> AlertStep | None:
    """Run the alert's next step if it is due: page the next role's person, or close it as
    unanswered when every role had its turn. Returns the step it recorded, if any."""
    now = now or timezone.now()
    alert = (
        Alert.objects.select_for_update(skip_locked=True)
        .filter(pk=alert_id, acknowledged_at__isnull=True, next_step_at__lte=now)
        .first()
    )
    if alert is None:
        return None  # acknowledged, not due yet, or another worker holds it right now
    snapshot = rotation_snapshot(rotation_id=alert.rotation_id)
    roles = snapshot.roles if snapshot else ()
    channel = _channel(snapshot) if snapshot else None
    if alert.next_step >= len(roles):
        alert.next_step_at = None
        alert.save(update_fields=["next_step_at"])
        if channel is not None:
            notify(
                channel=channel,
                key=f"alert:{alert.pk}:unanswered",
                text=messages.alert_unanswered_text(snapshot=snapshot, alert=alert),
            )
        return None
    holder = oncall_at(snapshot=snapshot, at=now)[alert.next_step]
    step, created = AlertStep.objects.get_or_create(
        alert=alert,
        index=alert.next_step,
        defaults={
            "role_id": holder.role.id,
            "user_id": holder.person.id if holder.person else None,
            "notified_at": now,
        },
    )
    alert.next_step += 1
    alert.next_step_at = now + timedelta(minutes=holder.role.timeout_minutes)
    alert.save(update_fields=["next_step", "next_step_at"])
    if created:
        _page(snapshot=snapshot, alert=alert, step=step, holder=holder, channel=channel)
    return step


def _page(*, snapshot, alert: Alert, step: AlertStep, holder, channel) -> None:
    person = holder.person
    link = settings.SITE_URL.rstrip("/") + (
        reverse(
            "rotations:alert_ack_link",
            kwargs={"pk": alert.pk, "token": ack_token(alert=alert, person_id=person.id)},
        )
        if person
        else alert.get_absolute_url()
    )
    text = messages.alert_page_text(
        snapshot=snapshot, alert=alert, role=holder.role, person=person, ack_url=link
    )
    key = f"alert:{alert.pk}:step:{step.index}"
    if channel is not None:
        notify(channel=channel, key=f"{key}:channel", text=text)
    if person is not None and person.email and person.active:
        notify(channel=email_channel(address=person.email), key=f"{key}:person", text=text)


@transaction.atomic
def alert_acknowledge(
    *, alert: Alert, user, now: datetime | None = None, checked: bool = False
) -> Alert:
    """`user` takes the alert: no further role is paged. `checked`: the caller proved who
    `user` is in another way (a signed link made for them), so no rights are asked."""
    now = now or timezone.now()
    alert = Alert.objects.select_for_update().select_related("rotation").get(pk=alert.pk)
    if not checked:
        permissions.alert_acknowledge_check(user=user, alert=alert)
    if alert.acknowledged_at is not None:
        return alert
    alert.acknowledged_at = now
    alert.acknowledged_by = user
    alert.next_step_at = None
    alert.save(update_fields=["acknowledged_at", "acknowledged_by", "next_step_at"])
    snapshot = rotation_snapshot(rotation_id=alert.rotation_id)
    channel = _channel(snapshot) if snapshot else None
    if channel is not None:
        notify(
            channel=channel,
            key=f"alert:{alert.pk}:ack",
            text=messages.alert_acknowledged_text(
                snapshot=snapshot, alert=alert, person=snapshot.people.get(user.pk) or user
            ),
        )
    return alert


def alerts_due(*, now: datetime | None = None) -> list[int]:
    now = now or timezone.now()
    return list(
        Alert.objects.filter(acknowledged_at__isnull=True, next_step_at__lte=now)
        .order_by("next_step_at")
        .values_list("pk", flat=True)[:500]
    )

"""Announcing handoffs: once each, on time, or late but never lost.

Beat runs `handoffs_announce` every minute. It looks back HANDOFF_CATCHUP_HOURS for changes of
holder in each role's final timeline (overrides applied) and records one `Handoff` row per
(role, instant); the unique row is what makes a second run, or a second worker running at the
same time, announce nothing again. Each new row notifies the rotation's channel and the
incoming person after commit, through notifications (one delivery per key). A worker that was
down catches up with one message per missed handoff, marked late.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from notifications import mattermost
from notifications.models import Channel
from notifications.services import email_channel, notify
from rotations import schedule
from rotations.models import Handoff, Rotation
from rotations.selectors.rota import rotation_snapshot

from . import messages


@dataclass(frozen=True)
class Announced:
    handoff: Handoff
    text: str


def handoffs_announce(*, now: datetime | None = None) -> list[Announced]:
    """Record and announce every handoff that happened up to `now` and was not yet."""
    now = now or timezone.now()
    earliest = now - timedelta(hours=settings.HANDOFF_CATCHUP_HOURS)
    announced: list[Announced] = []
    rotations = Rotation.objects.values_list("pk", "created_at")
    for rotation_id, created_at in rotations:
        snapshot = rotation_snapshot(rotation_id=rotation_id)
        if snapshot is None:
            continue
        # Nothing from before the rota was entered here is news.
        since = max(earliest, created_at)
        new = _rotation_handoffs(snapshot=snapshot, since=since, now=now)
        announced += new
        if new and snapshot.header_channel_id and mattermost.configured():
            from rotations.tasks import channel_header_update

            channel_header_update.delay_on_commit(rotation_id)
    return announced


@transaction.atomic
def _rotation_handoffs(*, snapshot, since: datetime, now: datetime) -> list[Announced]:
    channel = (
        Channel.objects.filter(pk=snapshot.channel_id, is_active=True).first()
        if snapshot.channel_id
        else None
    )
    late_after = timedelta(seconds=settings.HANDOFF_LATE_AFTER_SECONDS)
    real_now = timezone.now()
    done = []
    for role in snapshot.roles:
        for segment in schedule.handoffs_between(role.rota, since, now):
            person = snapshot.people.get(segment.person) if segment.person is not None else None
            late = max(now, real_now) - segment.start > late_after
            handoff, created = Handoff.objects.get_or_create(
                role_id=role.id,
                start=segment.start,
                defaults={
                    "user_id": person.id if person else None,
                    "source": segment.source,
                    "recorded_at": real_now,
                    "late": late,
                },
            )
            if not created:
                continue
            text = messages.handoff_text(
                snapshot=snapshot, role=role, person=person, segment=segment, late=late
            )
            key = f"handoff:{handoff.pk}"
            if channel is not None:
                notify(channel=channel, key=f"{key}:channel", text=text)
            if person is not None and person.email and person.active:
                notify(
                    channel=email_channel(address=person.email),
                    key=f"{key}:person",
                    text=messages.handoff_personal_text(
                        snapshot=snapshot, role=role, segment=segment, late=late
                    ),
                )
            done.append(Announced(handoff, text))
    return done


def channel_header_refresh(*, rotation_id: int, now: datetime | None = None) -> str | None:
    """Set the rotation's Mattermost channel header to who holds each role now; the header,
    or None when there is nothing to do (no such rotation, no header channel, or Mattermost's
    REST API not configured: the feature is off, not failing). A refusal or an outage of
    Mattermost raises DeliveryError, for the task to retry; the handoffs are not held up by it
    (they queue the update after they are committed)."""
    from rotations.selectors.rota import oncall_at

    if not mattermost.configured():
        return None
    snapshot = rotation_snapshot(rotation_id=rotation_id)
    if snapshot is None or not snapshot.header_channel_id:
        return None
    header = messages.channel_header(
        snapshot=snapshot, holders=oncall_at(snapshot=snapshot, at=now or timezone.now())
    )
    mattermost.channel_header_set(channel_id=snapshot.header_channel_id, header=header)
    return header

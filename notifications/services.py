from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from . import senders
from .models import Channel, Delivery


@transaction.atomic
def notify(*, channel: Channel, key: str, text: str) -> Delivery:
    """Record a message for a channel and send it after commit, once per key.

    Calling it again with a key already used returns the existing delivery and sends nothing.
    """
    from .tasks import delivery_send

    delivery, created = Delivery.objects.get_or_create(
        key=key, defaults={"channel": channel, "payload": {"text": text}}
    )
    if created:
        delivery_send.delay_on_commit(delivery.pk)
    return delivery


@transaction.atomic
def notify_many(*, messages: list[tuple[Channel, str, str]]) -> list[Delivery]:
    """`notify` for many (channel, key, text) at once: one delivery per key, the keys
    already used are skipped, the new ones are sent after commit. Two callers inserting the
    same new key at once: the second fails on the unique key and its transaction rolls back,
    so a message is still recorded once."""
    from .tasks import delivery_send

    keys = [key for _, key, _ in messages]
    used = set(Delivery.objects.filter(key__in=keys).values_list("key", flat=True))
    fresh = {}
    for channel, key, text in messages:
        if key not in used and key not in fresh:
            fresh[key] = Delivery(key=key, channel=channel, payload={"text": text})
    created = Delivery.objects.bulk_create(fresh.values(), batch_size=1000)
    ids = [delivery.pk for delivery in created]

    def queue():
        for delivery_id in ids:
            delivery_send.delay(delivery_id)

    if ids:
        transaction.on_commit(queue)
    return created


def email_channel(*, address: str) -> Channel:
    """A person's own mailbox as a channel (made the first time someone writes to it), so
    personal messages get the same one-delivery-per-key guarantee as team channels."""
    channel, _ = Channel.objects.get_or_create(
        kind=Channel.Kind.EMAIL, target=address, team=None, defaults={"name": f"Email {address}"}
    )
    return channel


def retry_delay(*, attempts: int) -> float:
    """Seconds to wait after the given number of failed attempts (exponential, capped)."""
    delay = settings.NOTIFY_RETRY_BASE_SECONDS * (2 ** max(attempts - 1, 0))
    return min(delay, settings.NOTIFY_RETRY_MAX_SECONDS)


def delivery_attempt(*, delivery_id: int) -> float | None:
    """Try to send one due delivery. Returns the seconds until the next try, or None.

    The row is claimed with a lock held for the attempt, so two workers holding the same
    task (a redelivery, a sweep) never send it twice; a sent or failed row is left alone.
    """
    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("channel")
            .filter(
                pk=delivery_id,
                status=Delivery.Status.PENDING,
                next_attempt_at__lte=timezone.now() + timedelta(seconds=1),
            )
            .first()
        )
        if delivery is None:
            return None
        delivery.attempts += 1
        try:
            senders.send(channel=delivery.channel, payload=delivery.payload, key=delivery.key)
        except senders.DeliveryError as exc:
            delivery.last_error = str(exc)[:2000]
            if delivery.attempts >= settings.NOTIFY_MAX_ATTEMPTS:
                delivery.status = Delivery.Status.FAILED
                wait = None
            else:
                wait = retry_delay(attempts=delivery.attempts)
                delivery.next_attempt_at = timezone.now() + timedelta(seconds=wait)
        else:
            delivery.status = Delivery.Status.SENT
            delivery.sent_at = timezone.now()
            delivery.last_error = ""
            wait = None
        delivery.save()
    return wait


def deliveries_due(*, grace_seconds: float) -> list[int]:
    """Pending deliveries whose time has passed by more than the grace period.

    They lost their queued task (a broker flush, a worker that died mid-retry): the periodic
    sweep queues them again. Tasks still in flight are not affected: the claim above is
    what keeps a message from going out twice.
    """
    cutoff = timezone.now() - timedelta(seconds=grace_seconds)
    return list(
        Delivery.objects.filter(status=Delivery.Status.PENDING, next_attempt_at__lte=cutoff)
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:500]
    )

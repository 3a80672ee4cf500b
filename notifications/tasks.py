from celery import shared_task
from django.conf import settings

from . import services


@shared_task(ignore_result=True)
def delivery_send(delivery_id: int) -> None:
    wait = services.delivery_attempt(delivery_id=delivery_id)
    if wait is not None:
        delivery_send.apply_async((delivery_id,), countdown=wait)


@shared_task(ignore_result=True)
def deliveries_send_due() -> int:
    """Beat: re-queue pending deliveries whose task was lost."""
    due = services.deliveries_due(grace_seconds=settings.NOTIFY_RETRY_BASE_SECONDS + 30)
    for delivery_id in due:
        delivery_send.delay(delivery_id)
    return len(due)

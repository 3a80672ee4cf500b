"""Beat and worker tasks for rotas: each calls one service and is safe to run twice."""

from celery import shared_task
from django.utils.dateparse import parse_datetime

from notifications.senders import DeliveryError

from . import services


@shared_task(ignore_result=True)
def handoffs_announce(at: str | None = None) -> int:
    """Beat, every minute: record and announce the handoffs up to now (or `at`, ISO 8601)."""
    return len(services.handoffs_announce(now=parse_datetime(at) if at else None))


@shared_task(ignore_result=True)
def alerts_escalate_due(at: str | None = None) -> int:
    """Beat, every 15 seconds: run the escalation steps that are due."""
    now = parse_datetime(at) if at else None
    steps = 0
    for alert_id in services.alerts_due(now=now):
        if services.alert_escalate(alert_id=alert_id, now=now) is not None:
            steps += 1
    return steps


@shared_task(ignore_result=True, autoretry_for=(DeliveryError,), retry_backoff=30, max_retries=5)
def channel_header_update(rotation_id: int) -> None:
    services.channel_header_refresh(rotation_id=rotation_id)

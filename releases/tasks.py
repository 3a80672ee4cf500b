"""Beat tasks for releases: each calls one service and is safe to run twice."""

from celery import shared_task
from django.utils.dateparse import parse_datetime

from . import services


@shared_task(ignore_result=True)
def releases_plan(months: int = 6) -> int:
    """Beat, monthly: plan every train `months` ahead (idempotent)."""
    return sum(services.releases_plan_all(months=months).values())


@shared_task(ignore_result=True)
def reminders_send_due(at: str | None = None) -> int:
    """Beat, every minute: send the reminders that are due (each exactly once)."""
    return services.reminders_dispatch(now=parse_datetime(at) if at else None)

from celery import shared_task
from django.utils import timezone

from . import services


@shared_task(ignore_result=True)
def stale_digests_send() -> int:
    """Beat, weekly: one digest of stale pages per owning team."""
    return services.stale_digests_send(today=timezone.localdate())


@shared_task(ignore_result=True)
def search_words_rebuild() -> int:
    """Beat, daily: drop the words no page uses any more from the search dictionary."""
    return services.search_words_rebuild()

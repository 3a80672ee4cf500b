from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from notifications import services, tasks
from notifications.models import Channel, Delivery
from notifications.tests.factories import ChannelFactory
from tests.support import wait_for


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_notify_twice_with_a_failing_first_attempt_posts_once(
    celery_worker_process, webhook_server
):
    """A real worker on Redis: the webhook fails once, the retry succeeds, the repeat is a no-op."""
    webhook_server.statuses = [500]
    channel = ChannelFactory(kind=Channel.Kind.MATTERMOST, target=webhook_server.url)

    first = services.notify(channel=channel, key="handoff:set-primary:2026-11-23", text="Hand-off")
    second = services.notify(channel=channel, key="handoff:set-primary:2026-11-23", text="Hand-off")
    assert first.pk == second.pk

    delivered = wait_for(
        lambda: Delivery.objects.filter(pk=first.pk, status=Delivery.Status.SENT).first(),
        message="the delivery to be marked sent",
    )
    assert delivered.attempts == 2
    assert "HTTP 500" not in delivered.last_error
    assert Delivery.objects.count() == 1
    assert [r["status"] for r in webhook_server.requests] == [500, 200]
    successful = [r for r in webhook_server.requests if r["status"] == 200]
    assert len(successful) == 1
    assert successful[0]["json"] == {"text": "Hand-off"}
    assert successful[0]["headers"]["Idempotency-Key"] == "handoff:set-primary:2026-11-23"


@pytest.mark.django_db
def test_notify_waits_for_the_commit_and_repeats_are_no_ops(django_capture_on_commit_callbacks):
    channel = ChannelFactory()
    with django_capture_on_commit_callbacks() as callbacks:
        services.notify(channel=channel, key="k1", text="one")
        services.notify(channel=channel, key="k1", text="one again")
    assert len(callbacks) == 1
    assert Delivery.objects.get(key="k1").payload == {"text": "one"}


@pytest.mark.django_db
def test_a_failed_attempt_backs_off_exponentially(webhook_server, settings):
    settings.NOTIFY_RETRY_BASE_SECONDS = 10
    webhook_server.statuses = [503, 503]
    channel = ChannelFactory(target=webhook_server.url)
    delivery = Delivery.objects.create(key="k", channel=channel, payload={"text": "x"})

    before = timezone.now()
    assert services.delivery_attempt(delivery_id=delivery.pk) == 10
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.PENDING
    assert "HTTP 503" in delivery.last_error
    assert delivery.next_attempt_at >= before + timedelta(seconds=10)

    # Not due yet: a second task for the same row does nothing.
    assert services.delivery_attempt(delivery_id=delivery.pk) is None
    assert len(webhook_server.requests) == 1

    Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
    assert services.delivery_attempt(delivery_id=delivery.pk) == 20


@pytest.mark.django_db
def test_a_delivery_gives_up_after_the_last_attempt(webhook_server, settings):
    settings.NOTIFY_MAX_ATTEMPTS = 1
    webhook_server.statuses = [500]
    channel = ChannelFactory(target=webhook_server.url)
    delivery = Delivery.objects.create(key="k", channel=channel, payload={"text": "x"})
    assert services.delivery_attempt(delivery_id=delivery.pk) is None
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.FAILED


@pytest.mark.django_db
def test_an_unreachable_webhook_is_recorded_as_an_error():
    channel = ChannelFactory(target="http://127.0.0.1:9/nothing-listens-here")
    delivery = Delivery.objects.create(key="k", channel=channel, payload={"text": "x"})
    services.delivery_attempt(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.PENDING
    assert "ConnectionError" in delivery.last_error


@pytest.mark.django_db
def test_a_sent_delivery_is_never_sent_again(webhook_server):
    channel = ChannelFactory(target=webhook_server.url)
    delivery = Delivery.objects.create(key="k", channel=channel, payload={"text": "x"})
    services.delivery_attempt(delivery_id=delivery.pk)
    services.delivery_attempt(delivery_id=delivery.pk)
    assert len(webhook_server.requests) == 1


@pytest.mark.django_db
def test_the_sweep_sends_a_delivery_whose_task_was_lost(webhook_server):
    """A worker that was down catches up: the beat sweep re-queues overdue deliveries."""
    from config.celery import app

    app.conf.task_always_eager = True
    try:
        channel = ChannelFactory(kind=Channel.Kind.SLACK, target=webhook_server.url)
        lost = Delivery.objects.create(
            key="lost",
            channel=channel,
            payload={"text": "lost"},
            next_attempt_at=timezone.now() - timedelta(minutes=5),
        )
        fresh = Delivery.objects.create(key="fresh", channel=channel, payload={"text": "fresh"})
        assert tasks.deliveries_send_due() == 1
    finally:
        app.conf.task_always_eager = False
    lost.refresh_from_db()
    fresh.refresh_from_db()
    assert lost.status == Delivery.Status.SENT
    assert fresh.status == Delivery.Status.PENDING
    assert [r["json"] for r in webhook_server.requests] == [{"text": "lost"}]


@pytest.mark.django_db
def test_generic_webhook_gets_the_key_and_email_goes_by_mail(webhook_server):
    hook = ChannelFactory(kind=Channel.Kind.WEBHOOK, target=webhook_server.url)
    services.delivery_attempt(
        delivery_id=Delivery.objects.create(key="g", channel=hook, payload={"text": "hi"}).pk
    )
    assert webhook_server.requests[0]["json"] == {"key": "g", "text": "hi"}

    box = ChannelFactory(kind=Channel.Kind.EMAIL, target="rota@example.com")
    services.delivery_attempt(
        delivery_id=Delivery.objects.create(
            key="e", channel=box, payload={"text": "Release 9.1 code freeze tomorrow\nDetails"}
        ).pk
    )
    assert mail.outbox[0].to == ["rota@example.com"]
    assert mail.outbox[0].subject == "Release 9.1 code freeze tomorrow"


def test_retry_delay_grows_and_is_capped(settings):
    settings.NOTIFY_RETRY_BASE_SECONDS = 30
    settings.NOTIFY_RETRY_MAX_SECONDS = 100
    assert [services.retry_delay(attempts=n) for n in (1, 2, 3, 4)] == [30, 60, 100, 100]


@pytest.mark.django_db
def test_channel_target_is_validated_for_its_kind():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="target"):
        Channel(name="x", kind=Channel.Kind.EMAIL, target="not-an-address").full_clean()
    with pytest.raises(ValidationError, match="target"):
        Channel(name="x", kind=Channel.Kind.SLACK, target="ftp://example.com").full_clean()

import io

import pytest
from django.core.management import CommandError, call_command

from notifications.models import Delivery
from notifications.tests.factories import ChannelFactory

pytestmark = pytest.mark.django_db


def _notify_test(*args):
    out = io.StringIO()
    call_command("notify_test", *args, stdout=out)
    return out.getvalue()


def test_notify_test_queues_one_delivery_through_notify(django_capture_on_commit_callbacks):
    channel = ChannelFactory(name="Delivery chat")
    with django_capture_on_commit_callbacks() as callbacks:
        output = _notify_test("--channel", "Delivery chat", "--key", "smoke:1", "--text", "Hi")
    delivery = Delivery.objects.get()
    assert (delivery.key, delivery.channel) == ("smoke:1", channel)
    assert delivery.payload == {"text": "Hi"}
    assert len(callbacks) == 1  # the send is queued after commit, as notify() does
    assert output == f"Delivery {delivery.pk} (smoke:1) to {channel}: pending\n"

    # The same key again is a no-op, as everywhere else.
    with django_capture_on_commit_callbacks() as callbacks:
        _notify_test("--channel", str(channel.pk), "--key", "smoke:1", "--text", "Hi")
    assert Delivery.objects.count() == 1
    assert callbacks == []


def test_notify_test_makes_a_new_key_each_time():
    channel = ChannelFactory()
    _notify_test("--channel", str(channel.pk))
    _notify_test("--channel", str(channel.pk))
    keys = list(Delivery.objects.values_list("key", flat=True))
    assert len(set(keys)) == 2
    assert all(key.startswith("test:") for key in keys)
    assert Delivery.objects.first().payload == {"text": "Test message from Bosun."}


def test_notify_test_refuses_an_unknown_or_ambiguous_channel():
    ChannelFactory(name="Twin")
    ChannelFactory(name="Twin")
    with pytest.raises(CommandError, match="No channel"):
        _notify_test("--channel", "Nobody")
    with pytest.raises(CommandError, match="More than one channel"):
        _notify_test("--channel", "Twin")
    assert not Delivery.objects.exists()

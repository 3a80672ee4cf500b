"""Handoffs with real parts: a real Celery worker on real Redis, a local HTTP server in place of
the chat webhook and of Mattermost's REST API, and two threads announcing at once.

A worker runs in a process of its own, on the real clock: the rotas here are made (with the
test process's clock moved back) so that their handoff lies a few minutes in the real past.
Tests whose worker must see nothing but their own messages run one on a queue of their own
(`own_worker`): what it queues in turn (deliveries, header updates) stays on that queue, so a
shared worker of another test never takes it."""

import contextlib
import threading
import time
import uuid
from datetime import UTC, datetime, timedelta
from datetime import time as dt_time
from zoneinfo import ZoneInfo

import pytest
import redis
import time_machine
from django.conf import settings
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from accounts.services import person_deactivate
from accounts.tests.factories import AdminFactory
from notifications.models import Channel, Delivery
from notifications.tests.factories import ChannelFactory
from rotations import selectors, services, tasks
from rotations.models import Handoff
from tests.support import running_celery_worker, wait_for

from .factories import make_rotation, role

BERLIN = ZoneInfo("Europe/Berlin")


def utc(*args):
    return datetime(*args, tzinfo=UTC)


def _broker():
    return redis.Redis.from_url(settings.CELERY_BROKER_URL)


@contextlib.contextmanager
def own_worker(queue, *, env=None):
    """A worker that consumes only `queue` and queues its own follow-up tasks there. It starts
    without purging: what waits on `queue` is what it finds, as after an outage."""
    try:
        with running_celery_worker(
            purge=False,
            queues=[queue],
            env={"CELERY_TASK_DEFAULT_QUEUE": queue, **(env or {})},
            log_name=f"test-worker-{queue}.log",
        ) as worker:
            yield worker
    finally:
        _broker().delete(queue)


def _queue_name():
    return f"rota-test-{uuid.uuid4().hex[:8]}"


def _rota_handing_off(members, *, minutes_ago, weeks_before=0, **fields):
    """A one-role rota ("Support", weekly) whose handoff was `minutes_ago` minutes ago on the
    real clock (to the minute), entered an hour before that. The role starts `weeks_before`
    cycles earlier, so that the handoff is the rota's (weeks_before + 1)th."""
    handoff_at = (timezone.now() - timedelta(minutes=minutes_ago)).astimezone(BERLIN)
    handoff_at = handoff_at.replace(second=0, microsecond=0)
    with time_machine.travel(handoff_at - timedelta(hours=1), tick=False):
        rotation = make_rotation(
            roles=[
                role(
                    "Support",
                    members,
                    weekday=handoff_at.weekday(),
                    at=handoff_at.time(),
                    start=handoff_at.date() - timedelta(weeks=weeks_before),
                )
            ],
            **fields,
        )
    return rotation, handoff_at.astimezone(UTC)


def _sent_to(server, *, method="POST"):
    return [r for r in server.requests if r["method"] == method]


# 1. Workers down over a handoff, then back ------------------------------------------------


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("beat_sends_the_instant", [False, True], ids=["as-beat", "with-at"])
def test_workers_down_over_the_handoff_then_back_announce_it_once_and_late(
    people, webhook_server, beat_sends_the_instant
):
    """The issue: handoff at 09:00; workers down 08:55-09:25; beat queued the handoff task at
    09:00:30 and at 09:10. When a worker comes back it runs both: one message, sent after the
    recovery, marked late. `as-beat`: the messages carry no arguments (what beat sends, so
    each run reads the clock); `with-at`: they carry the instant beat queued them at."""
    channel = ChannelFactory(kind=Channel.Kind.WEBHOOK, target=webhook_server.url)
    rotation, nine = _rota_handing_off(people[:2], minutes_ago=25, channel=channel)
    queue = _queue_name()
    beat_times = [nine + timedelta(seconds=30), nine + timedelta(minutes=10)]
    for beat_time in beat_times:
        args = (beat_time.isoformat(),) if beat_sends_the_instant else ()
        tasks.handoffs_announce.apply_async(args, queue=queue)
    # Nobody consumes them: both wait in Redis, and nothing has been announced.
    assert _broker().llen(queue) == 2
    assert not Handoff.objects.exists() and not webhook_server.requests

    recovered = timezone.now()
    with own_worker(queue):
        wait_for(lambda: _broker().llen(queue) == 0, message="the worker to take both messages")
        delivery = wait_for(
            lambda: Delivery.objects.filter(
                key__endswith=":channel", status=Delivery.Status.SENT
            ).first(),
            message="the handoff message to be sent",
        )
        time.sleep(1.5)  # the second beat message ran too; anything more would show by now

    handoff = Handoff.objects.get()
    assert handoff.role.rotation_id == rotation.pk
    assert handoff.start == nine
    assert handoff.user.username == "a"
    assert handoff.late is True
    assert handoff.recorded_at >= recovered
    assert Delivery.objects.filter(key__endswith=":channel").count() == 1
    assert len(webhook_server.requests) == 1
    sent = webhook_server.requests[0]
    assert sent["at"] >= recovered.timestamp()
    assert delivery.sent_at >= recovered
    text = sent["json"]["text"]
    assert "A (@a)" in text
    assert "Announced late: the handoff was at" in text
    assert f"{nine.astimezone(BERLIN):%H:%M}" in text


# 2. Two runs at once -------------------------------------------------------------------------


def _announce_in_threads(now, count=2):
    barrier = threading.Barrier(count)
    results, errors = [], []

    def run():
        try:
            barrier.wait(timeout=10)
            results.append(services.handoffs_announce(now=now))
        except Exception as exc:  # noqa: BLE001 - reported below, in the test's thread
            errors.append(exc)
        finally:
            connection.close()  # each thread had a connection of its own

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    return results


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_and_two_more_announce_each_handoff_once(
    people, webhook_server, celery_worker_process
):
    a, b, c, d = people
    channel = ChannelFactory(kind=Channel.Kind.WEBHOOK, target=webhook_server.url)
    with time_machine.travel(utc(2025, 3, 20), tick=False):
        make_rotation(
            name="Support",
            roles=[role("Primary", [a, b]), role("Backup", [c, d]), role("Lead", [b, c])],
            channel=channel,
        )
        make_rotation(name="Nights", roles=[role("Primary", [d, a], at=dt_time(0))])
    now = utc(2025, 3, 31, 9, 30)  # Monday: 09:00 Berlin (07:00 UTC) and midnight are past

    results = _announce_in_threads(now)
    assert sum(len(r) for r in results) == 4  # between them, each handoff once
    assert services.handoffs_announce(now=now) == []
    assert services.handoffs_announce(now=now + timedelta(minutes=1)) == []

    handoffs = list(Handoff.objects.values_list("role__rotation__name", "role__name", "start"))
    assert len(handoffs) == len(set(handoffs)) == 4
    channel_keys = list(
        Delivery.objects.filter(key__endswith=":channel").values_list("key", flat=True)
    )
    assert len(channel_keys) == 3  # Support's three roles; Nights has no channel
    assert Delivery.objects.filter(key__endswith=":person").count() == 4
    wait_for(
        lambda: Delivery.objects.filter(key__endswith=":channel", status="sent").count() == 3,
        message="the three channel messages to be sent",
    )
    time.sleep(1)
    assert len(webhook_server.requests) == 3
    assert sorted(r["json"]["key"] for r in webhook_server.requests) == sorted(channel_keys)


@pytest.mark.django_db(transaction=True)
def test_two_runs_writing_to_a_new_mailbox_at_once_make_one_channel(people):
    """A person's first personal message comes from two runs at once (a handoff run and an
    escalation, or two workers): the run that is first holds its transaction open while the
    other asks for the same mailbox. One email channel, and both runs go on."""
    from django.db import transaction

    from notifications.services import email_channel

    address = people[0].email
    first_has_it, second_done = threading.Event(), threading.Event()
    channels, errors = [], []

    def first():
        try:
            with transaction.atomic():
                channels.append(email_channel(address=address).pk)
                first_has_it.set()
                second_done.wait(timeout=3)  # the second blocks on it, or went ahead
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    def second():
        try:
            first_has_it.wait(timeout=10)
            with transaction.atomic():
                channels.append(email_channel(address=address).pk)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            second_done.set()
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors, errors
    assert len(set(channels)) == 1
    assert Channel.objects.filter(kind=Channel.Kind.EMAIL, target=address).count() == 1
    assert email_channel(address=address).pk == channels[0]  # and it is found again later


# 3. An override announces the override person -------------------------------------------


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_the_worker_announces_the_override_person_not_the_rota_one(
    people, webhook_server, celery_worker_process
):
    a, b, c = people[:3]
    channel = ChannelFactory(kind=Channel.Kind.WEBHOOK, target=webhook_server.url)
    # A's week, then B's from the handoff three minutes ago; C covers B's first four hours.
    rotation, handoff_at = _rota_handing_off([a, b], minutes_ago=3, weeks_before=1, channel=channel)
    entered = handoff_at - timedelta(minutes=50)
    with time_machine.travel(entered, tick=False):
        services.override_create(
            role=rotation.roles.get(),
            person=c,
            start=handoff_at,
            end=handoff_at + timedelta(hours=4),
        )

    tasks.handoffs_announce.delay()  # what beat sends
    wait_for(lambda: webhook_server.requests, message="the handoff message")
    time.sleep(1)

    assert len(webhook_server.requests) == 1
    text = webhook_server.requests[0]["json"]["text"]
    assert "C (@c) (covering)" in text
    assert "@b" not in text
    handoff = Handoff.objects.get()
    assert (handoff.user.username, handoff.source, handoff.start) == ("c", "override", handoff_at)
    assert handoff.late is True  # three minutes after the handoff, past the two allowed


# 4. The Mattermost channel header ----------------------------------------------------------


def _two_role_rota(people, **fields):
    a, b = people[:2]
    with time_machine.travel(utc(2025, 3, 20), tick=False):
        return make_rotation(
            roles=[role("Primary", [a]), role("Backup", [b])], header_channel_id="ch4nn3l", **fields
        )


@pytest.mark.django_db
def test_the_channel_header_names_each_roles_holder_through_the_rest_api(people, webhook_server):
    rotation = _two_role_rota(people)
    with override_settings(MATTERMOST_URL=webhook_server.base_url, MATTERMOST_BOT_TOKEN="b0t"):
        header = services.channel_header_refresh(rotation_id=rotation.pk, now=utc(2025, 4, 1))

    assert header == "On call (Support) · Primary: @a · Backup: @b"
    [put] = webhook_server.requests
    assert (put["method"], put["path"]) == ("PUT", "/api/v4/channels/ch4nn3l/patch")
    assert put["headers"]["Authorization"] == "Bearer b0t"
    assert put["json"] == {"header": header}


@pytest.mark.django_db
@pytest.mark.parametrize("url, token", [("", ""), ("", "b0t"), ("http://127.0.0.1:9", "")])
def test_without_mattermost_settings_the_header_is_left_alone(
    people, webhook_server, django_capture_on_commit_callbacks, url, token
):
    rotation = _two_role_rota(people)
    with override_settings(MATTERMOST_URL=url, MATTERMOST_BOT_TOKEN=token):
        assert services.channel_header_refresh(rotation_id=rotation.pk) is None
        tasks.channel_header_update.apply(args=(rotation.pk,)).get()  # no retry, no error
        with django_capture_on_commit_callbacks() as callbacks:
            announced = services.handoffs_announce(now=utc(2025, 3, 24, 8, 1))
    assert [a.handoff.user.username for a in announced] == ["a", "b"]
    # The personal messages are queued after commit, and no header update.
    queued = [repr(callback) for callback in callbacks if "Task.delay" in repr(callback)]
    assert len(queued) == 2
    assert all("notifications.tasks.delivery_send" in task for task in queued)
    assert webhook_server.requests == []


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_mattermost_server_error_does_not_stop_the_handoff(people, webhook_server):
    """A real worker with Mattermost configured; the REST API answers 500 to the header update.
    The handoff is recorded and announced in the channel all the same."""
    webhook_server.status_for = lambda method, path: 500 if method == "PUT" else None
    channel = ChannelFactory(kind=Channel.Kind.WEBHOOK, target=webhook_server.url)
    rotation, handoff_at = _rota_handing_off(
        people[:2], minutes_ago=1, channel=channel, header_channel_id="ch4nn3l"
    )
    queue = _queue_name()
    mattermost = {"MATTERMOST_URL": webhook_server.base_url, "MATTERMOST_BOT_TOKEN": "b0t"}
    with own_worker(queue, env=mattermost):
        tasks.handoffs_announce.apply_async(queue=queue)
        wait_for(lambda: _sent_to(webhook_server, method="PUT"), message="the header update")
        wait_for(lambda: _sent_to(webhook_server), message="the handoff message")

    [put] = _sent_to(webhook_server, method="PUT")[:1]
    assert put["status"] == 500 and put["path"] == "/api/v4/channels/ch4nn3l/patch"
    assert put["json"] == {"header": "On call (Support) · Support: @a"}
    [post] = _sent_to(webhook_server)
    assert "A (@a)" in post["json"]["text"]
    handoff = Handoff.objects.get()
    assert (handoff.role.rotation_id, handoff.start) == (rotation.pk, handoff_at)
    assert Delivery.objects.get(key=f"handoff:{handoff.pk}:channel").status == "sent"


# 5. A deactivated person ---------------------------------------------------------------------


@pytest.mark.django_db
def test_a_deactivated_person_keeps_their_past_and_leaves_gaps_announced_once(people, api):
    a, b = people[:2]
    channel = ChannelFactory(kind=Channel.Kind.WEBHOOK)
    with time_machine.travel(utc(2025, 3, 20), tick=False):
        rotation = make_rotation(roles=[role("Support", [a, b])], channel=channel)
    support = rotation.roles.get()
    # A covers Wednesday 10-14 of B's week.
    wednesday_10 = datetime(2025, 4, 2, 10, tzinfo=BERLIN)
    wednesday_14 = datetime(2025, 4, 2, 14, tzinfo=BERLIN)
    with time_machine.travel(utc(2025, 3, 28), tick=False):
        services.override_create(role=support, person=a, start=wednesday_10, end=wednesday_14)

    def announce_hourly(start, end):
        moment = start
        while moment < end:
            with time_machine.travel(moment, tick=False):
                services.handoffs_announce(now=moment)
                services.handoffs_announce(now=moment)
            moment += timedelta(hours=1)

    def shifts():
        snapshot = selectors.rotation_snapshot(rotation_id=rotation.pk, since=utc(2025, 3, 24))
        return [
            (s.start, s.end, s.person.username if s.person else None, s.source)
            for s in selectors.shifts_between(
                snapshot=snapshot, start=utc(2025, 3, 24, 7), end=utc(2025, 4, 21, 7)
            )
        ]

    announce_hourly(utc(2025, 3, 24, 6), utc(2025, 4, 3, 10))
    before = shifts()
    thursday = utc(2025, 4, 3, 10, 30)  # in B's week, after A's override
    with time_machine.travel(thursday, tick=False):
        person_deactivate(person=a, by=AdminFactory())
    announce_hourly(utc(2025, 4, 3, 11), utc(2025, 4, 15))

    after = shifts()
    past = [s for s in before if s[1] <= thursday]
    assert [s for s in after if s[1] <= thursday] == past
    assert (utc(2025, 3, 24, 8), utc(2025, 3, 31, 7), "a", "rotation") in past  # CET to CEST
    assert (wednesday_10, wednesday_14, "a", "override") in past
    future = [s for s in after if s[0] >= thursday]
    assert future == [
        (utc(2025, 4, 7, 7), utc(2025, 4, 14, 7), None, "gap"),  # A's week: nobody
        (utc(2025, 4, 14, 7), utc(2025, 4, 21, 7), "b", "rotation"),
    ]
    # The API says nobody too.
    response = api.get(
        f"/api/v1/rotations/{rotation.pk}/shifts/",
        {"start": "2025-04-08T00:00:00Z", "end": "2025-04-09T00:00:00Z"},
    )
    assert response.status_code == 200, response.content
    assert [(s["username"], s["source"]) for s in response.json()] == [(None, "gap")]

    # Each handoff once; the one into A's former week is a gap, announced as nobody.
    handoffs = [
        (h.start, h.user.username if h.user else None, h.source)
        for h in Handoff.objects.order_by("start")
    ]
    assert handoffs == [
        (utc(2025, 3, 24, 8), "a", "rotation"),
        (utc(2025, 3, 31, 7), "b", "rotation"),
        (wednesday_10, "a", "override"),
        (wednesday_14, "b", "rotation"),
        (utc(2025, 4, 7, 7), None, "gap"),
        (utc(2025, 4, 14, 7), "b", "rotation"),
    ]
    gap = Handoff.objects.get(start=utc(2025, 4, 7, 7))
    [gap_message] = Delivery.objects.filter(key__startswith=f"handoff:{gap.pk}:")
    assert gap_message.key.endswith(":channel")  # nobody to write to personally
    assert "nobody holds the role from Mon 7 Apr 09:00 Europe/Berlin" in gap_message.payload["text"]
    assert not Delivery.objects.filter(channel__target=a.email, created_at__gt=thursday).exists()


@pytest.mark.django_db
def test_deactivating_the_person_on_call_announces_the_gap_at_once_and_once(people):
    a, b = people[:2]
    channel = ChannelFactory(kind=Channel.Kind.WEBHOOK)
    with time_machine.travel(utc(2025, 3, 20), tick=False):
        rotation = make_rotation(roles=[role("Support", [a, b])], channel=channel)
    for moment in (utc(2025, 3, 31, 7, 1), utc(2025, 4, 2, 9)):
        with time_machine.travel(moment, tick=False):
            services.handoffs_announce(now=moment)
    left = utc(2025, 4, 2, 9, 30, 15)  # Wednesday of B's week
    with time_machine.travel(left, tick=False):
        person_deactivate(person=b, by=AdminFactory())
    for moment in (left + timedelta(seconds=45), left + timedelta(minutes=1, seconds=45)):
        with time_machine.travel(moment, tick=False):
            services.handoffs_announce(now=moment)

    gap = Handoff.objects.get(start=left)
    assert (gap.user, gap.source, gap.late) == (None, "gap", False)
    assert gap.role.rotation_id == rotation.pk
    [message] = Delivery.objects.filter(key__startswith=f"handoff:{gap.pk}:")
    assert message.payload["text"] == (
        "Handoff · Support · Support: nobody holds the role from Wed 2 Apr 11:30 "
        "Europe/Berlin: a gap to fill."
    )
    assert Handoff.objects.count() == 2  # B's at 31 March, and the gap

"""The rota's rules through the services and the database: handoffs across DST, overrides
announced once, member changes from the next handoff, escalation."""

import itertools
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from icalendar import Calendar

from notifications.models import Channel, Delivery
from notifications.tests.factories import ChannelFactory
from rotations import selectors, services
from rotations.models import AlertStep, Handoff
from rotations.services import role_spec_from

from .factories import make_rotation, role

pytestmark = pytest.mark.django_db

BERLIN = ZoneInfo("Europe/Berlin")


def utc(*args):
    return datetime(*args, tzinfo=UTC)


def holder(rotation, at, index=0):
    snapshot = selectors.rotation_snapshot(rotation_id=rotation.pk, since=at)
    person = selectors.oncall_at(snapshot=snapshot, at=at)[index].person
    return person.username if person else None


@time_machine.travel(utc(2025, 3, 20), tick=False)
def test_weekly_handoff_from_a_to_b_keeps_nine_o_clock_berlin_time(people):
    a, b = people[:2]
    rotation = make_rotation(roles=[role("Support", [a, b])])
    snapshot = selectors.rotation_snapshot(rotation_id=rotation.pk)
    shifts = selectors.shifts_between(
        snapshot=snapshot, start=utc(2025, 3, 24, 8), end=utc(2025, 3, 24, 8) + timedelta(days=90)
    )
    assert shifts[0].person.username == "a"
    assert shifts[0].end == utc(2025, 3, 31, 7)
    assert shifts[0].end - shifts[0].start == timedelta(days=6, hours=23)
    assert utc(2025, 10, 27, 8) in [
        s.start
        for s in selectors.shifts_between(
            snapshot=snapshot, start=utc(2025, 10, 20), end=utc(2025, 11, 3)
        )
    ]
    assert all(x.end == y.start for x, y in itertools.pairwise(shifts))
    assert {s.person.username for s in shifts} == {"a", "b"}
    assert holder(rotation, utc(2025, 3, 31, 6, 59)) == "a"
    assert holder(rotation, utc(2025, 3, 31, 7, 0)) == "b"


def _announce(at):
    with time_machine.travel(at, tick=False):
        return services.handoffs_announce(now=at)


def test_an_override_across_the_handoff_is_announced_as_two_handoffs(people):
    a, b, c = people[:3]
    channel = ChannelFactory(kind=Channel.Kind.WEBHOOK)
    with time_machine.travel(utc(2025, 3, 20), tick=False):
        rotation = make_rotation(roles=[role("Support", [a, b])], channel=channel)
    primary = rotation.roles.get()
    sunday_18 = datetime(2025, 3, 30, 18, tzinfo=BERLIN)
    monday_12 = datetime(2025, 3, 31, 12, tzinfo=BERLIN)
    with time_machine.travel(utc(2025, 3, 28), tick=False):
        services.override_create(role=primary, person=c, start=sunday_18, end=monday_12)

    assert holder(rotation, sunday_18 - timedelta(seconds=1)) == "a"
    assert holder(rotation, sunday_18) == "c"
    assert holder(rotation, utc(2025, 3, 31, 7)) == "c"  # the base handoff is covered
    assert holder(rotation, monday_12) == "b"

    # Beat every few hours from Sunday morning to Tuesday: two handoffs, each once.
    moment = utc(2025, 3, 30, 6)
    while moment < utc(2025, 4, 1, 12):
        _announce(moment)
        _announce(moment)  # a second run changes nothing
        moment += timedelta(hours=3)
    handoffs = list(Handoff.objects.order_by("start"))
    assert [(h.user.username, h.start) for h in handoffs] == [("c", sunday_18), ("b", monday_12)]
    texts = list(
        Delivery.objects.filter(key__endswith=":channel")
        .order_by("pk")
        .values_list("payload__text", flat=True)
    )
    assert len(texts) == 2
    assert "C (@c) (covering)" in texts[0] and "B (@b)" in texts[1]
    # The week after is the rota's own again.
    assert holder(rotation, utc(2025, 4, 7, 7)) == "a"


def _past_events(rotation, now):
    snapshot = selectors.rotation_snapshot(rotation_id=rotation.pk)
    calendar = Calendar.from_ical(selectors.rotation_shifts_ical(snapshot=snapshot, now=now))
    return sorted(
        (
            str(e["uid"]),
            e.decoded("dtstart"),
            e.decoded("dtend"),
            str(e["summary"]),
            int(e["sequence"]),
        )
        for e in calendar.walk("VEVENT")
        if e.decoded("dtend") <= now
    )


def test_removing_a_member_changes_only_what_comes_after_the_next_handoff(people):
    a, b, c, d = people
    with time_machine.travel(utc(2025, 3, 20), tick=False):
        rotation = make_rotation(roles=[role("Support", [a, b, c, d])])
    wednesday = utc(2025, 4, 2, 10)
    assert holder(rotation, wednesday) == "b"
    past_before = _past_events(rotation, wednesday)
    assert len(past_before) == 1  # A's week

    with time_machine.travel(wednesday, tick=False):
        spec = role_spec_from(rotation.roles.get())
        spec.members = [a, b, d]
        services.rotation_update(rotation=rotation, roles=[spec])

    assert holder(rotation, utc(2025, 4, 7, 6, 59)) == "b"  # B finishes the week
    assert holder(rotation, utc(2025, 4, 7, 7)) == "d"
    assert holder(rotation, utc(2025, 4, 14, 7)) == "a"
    assert holder(rotation, utc(2025, 4, 21, 7)) == "b"
    assert _past_events(rotation, wednesday) == past_before


@pytest.fixture
def escalation(people):
    a, b, c = people[:3]
    channel = ChannelFactory(kind=Channel.Kind.WEBHOOK)
    with time_machine.travel(utc(2025, 3, 20), tick=False):
        rotation = make_rotation(
            roles=[
                role("Primary", [a], timeout=5),
                role("Backup", [b], timeout=10),
                role("Lead", [c], cycle=2),
            ],
            channel=channel,
        )
    return rotation


def _paged(alert):
    return [step.user.username for step in AlertStep.objects.filter(alert=alert).order_by("index")]


def test_an_acknowledgement_before_the_timeout_stops_the_escalation(escalation, people):
    start = utc(2025, 4, 1, 10)
    with time_machine.travel(start, tick=False):
        alert = services.alert_raise(rotation=escalation, summary="Checkout is down")
    assert _paged(alert) == ["a"]
    with time_machine.travel(start + timedelta(minutes=4, seconds=59), tick=False):
        services.alert_acknowledge(alert=alert, user=people[0])
    with time_machine.travel(start + timedelta(minutes=5), tick=False):
        for alert_id in services.alerts_due():
            services.alert_escalate(alert_id=alert_id)
        assert services.alert_escalate(alert_id=alert.pk) is None
    assert _paged(alert) == ["a"]
    assert not Delivery.objects.filter(key__startswith=f"alert:{alert.pk}:step:1").exists()


def test_each_role_is_paged_after_the_one_before_times_out_and_a_step_runs_once(escalation):
    start = utc(2025, 4, 1, 10)
    with time_machine.travel(start, tick=False):
        alert = services.alert_raise(rotation=escalation, summary="Checkout is down")
    # Not due yet: nothing.
    assert services.alert_escalate(alert_id=alert.pk, now=start + timedelta(minutes=4)) is None
    at_five = start + timedelta(minutes=5)
    assert services.alert_escalate(alert_id=alert.pk, now=at_five) is not None
    assert services.alert_escalate(alert_id=alert.pk, now=at_five) is None  # the same step again
    assert _paged(alert) == ["a", "b"]
    assert Delivery.objects.filter(key=f"alert:{alert.pk}:step:1:channel").count() == 1
    # Backup's 10 minutes, then Lead; then nobody is left and the alert is unanswered.
    assert services.alert_escalate(alert_id=alert.pk, now=at_five + timedelta(minutes=9)) is None
    services.alert_escalate(alert_id=alert.pk, now=at_five + timedelta(minutes=10))
    assert _paged(alert) == ["a", "b", "c"]
    services.alert_escalate(alert_id=alert.pk, now=at_five + timedelta(minutes=25))
    alert.refresh_from_db()
    assert alert.status == "unanswered"
    assert Delivery.objects.filter(key=f"alert:{alert.pk}:unanswered").count() == 1


@time_machine.travel(utc(2025, 4, 2, 12), tick=False)
def test_the_rota_page_grid_comes_from_the_cache_until_the_rota_changes(people, client):
    a, b = people[:2]
    rotation = make_rotation(roles=[role("Support", [a, b])])
    client.force_login(a)
    url = rotation.get_absolute_url()
    first = client.get(url).content.decode()
    assert "(covering)" not in first
    assert "No override is planned" in first
    snapshot = selectors.rotation_snapshot(rotation_id=rotation.pk)
    key = selectors.rota_grid_key(snapshot=snapshot, now=utc(2025, 4, 2, 12))
    assert key and key.startswith(snapshot.key)
    services.override_create(
        role=rotation.roles.get(),
        person=b,
        start=utc(2025, 4, 3, 8),
        end=utc(2025, 4, 4, 8),
    )
    # The override bumped the snapshot's data versions: a new grid, not the cached one.
    grid = client.get(url).content.decode().split('id="rota-grid"')[1].split("</table>")[0]
    assert "B (covering)" in grid
    # So did the list of overrides, kept for a minute under the same versions.
    page = client.get(url).content.decode()
    assert 'id="override-list"' in page
    assert "Cancel the override of B" in page
    assert selectors.rotation_snapshot(rotation_id=rotation.pk).key != snapshot.key

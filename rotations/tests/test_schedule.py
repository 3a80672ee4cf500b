"""The rota engine on its own (no database): shifts, DST, overrides, member changes."""

import itertools
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from rotations.schedule import (
    Override,
    Plan,
    Rota,
    handoffs_between,
    holder_at,
    next_position,
    shift_index,
    timeline,
)

BERLIN = ZoneInfo("Europe/Berlin")
A, B, C, D = 1, 2, 3, 4


def utc(*args):
    return datetime(*args, tzinfo=UTC)


def weekly(members=(A, B), *, anchor=date(2025, 3, 24), at=time(9, 0), weekday=0, cycle=1):
    return Plan(None, weekday, at, cycle, anchor, tuple(members))


def test_weekly_handoff_keeps_local_time_across_both_dst_changes():
    rota = Rota(BERLIN, [weekly()])
    first = timeline(rota, utc(2025, 3, 24, 8), utc(2025, 4, 7, 7))
    assert [(s.start, s.end, s.person) for s in first] == [
        (utc(2025, 3, 24, 8), utc(2025, 3, 31, 7), A),  # 09:00 CET to 09:00 CEST
        (utc(2025, 3, 31, 7), utc(2025, 4, 7, 7), B),
    ]
    assert first[0].end - first[0].start == timedelta(days=6, hours=23)
    autumn = [s.start for s in timeline(rota, utc(2025, 10, 20), utc(2025, 11, 1))]
    assert utc(2025, 10, 27, 8) in autumn  # 09:00 CET again
    assert holder_at(rota, utc(2025, 3, 31, 6, 59)).person == A
    assert holder_at(rota, utc(2025, 3, 31, 7, 0)).person == B


def test_ninety_days_have_no_gap_and_no_overlap():
    rota = Rota(BERLIN, [weekly()])
    start = utc(2025, 3, 24, 8)
    segments = timeline(rota, start, start + timedelta(days=90))
    assert segments[0].start == start and segments[-1].end == start + timedelta(days=90)
    assert all(a.end == b.start for a, b in itertools.pairwise(segments))
    assert all(s.person in (A, B) for s in segments)
    assert [s.person for s in segments[:4]] == [A, B, A, B]
    assert all(s.start.astimezone(BERLIN).time() == time(9) for s in segments)


def test_shift_lookup_is_arithmetic_for_any_date():
    plan = weekly()
    far = utc(2035, 3, 26, 12)  # ten years ahead
    k = shift_index(plan, BERLIN, far)
    assert k == (date(2035, 3, 26) - date(2025, 3, 24)).days // 7
    assert holder_at(Rota(BERLIN, [plan]), far).person == (A if k % 2 == 0 else B)


def test_before_the_first_handoff_nobody_holds_the_role():
    rota = Rota(BERLIN, [weekly()])
    assert holder_at(rota, utc(2025, 3, 20)).person is None
    assert timeline(rota, utc(2025, 3, 20), utc(2025, 3, 24, 8))[0].source == "gap"


def test_a_handoff_in_the_spring_gap_happens_when_the_clock_shows_the_hour_after():
    # Sunday 02:30 does not exist on 2025-03-30 in Berlin (02:00 -> 03:00).
    rota = Rota(BERLIN, [weekly(at=time(2, 30), weekday=6, anchor=date(2025, 3, 23))])
    starts = [s.start for s in timeline(rota, utc(2025, 3, 23), utc(2025, 4, 7))]
    assert utc(2025, 3, 30, 1, 30) in starts  # 03:30 summer time, 02:30 winter time
    assert starts[-1] == utc(2025, 4, 6, 0, 30)  # 02:30 summer time the week after


def test_a_handoff_in_the_autumn_fold_happens_the_first_time_the_clock_shows_it():
    # Sunday 02:30 happens twice on 2025-10-26 in Berlin (03:00 -> 02:00).
    rota = Rota(BERLIN, [weekly(at=time(2, 30), weekday=6, anchor=date(2025, 10, 19))])
    starts = [s.start for s in timeline(rota, utc(2025, 10, 19), utc(2025, 11, 3))]
    assert utc(2025, 10, 26, 0, 30) in starts  # 02:30 summer time, the first one
    assert utc(2025, 11, 2, 1, 30) in starts  # 02:30 winter time the week after


def test_an_override_across_a_handoff_gives_two_handoffs_and_leaves_next_week_alone():
    sunday_18 = datetime(2025, 3, 30, 18, tzinfo=BERLIN)
    monday_12 = datetime(2025, 3, 31, 12, tzinfo=BERLIN)
    rota = Rota(BERLIN, [weekly()], [Override(C, sunday_18, monday_12, order=1)])
    segments = timeline(rota, utc(2025, 3, 24, 8), utc(2025, 4, 14, 7))
    assert [(s.person, s.source) for s in segments] == [
        (A, "rotation"),
        (C, "override"),
        (B, "rotation"),
        (A, "rotation"),
    ]
    assert segments[0].end == sunday_18 and segments[1].end == monday_12
    assert segments[3].start == utc(2025, 4, 7, 7)  # the next week unchanged
    announced = handoffs_between(rota, utc(2025, 3, 30, 12), utc(2025, 4, 1))
    assert [s.person for s in announced] == [C, B]


def test_the_latest_override_wins_where_overrides_overlap():
    day = timedelta(days=1)
    start = utc(2025, 3, 25)
    rota = Rota(
        BERLIN,
        [weekly()],
        [
            Override(C, start, start + 3 * day, order=1),
            Override(D, start + day, start + 2 * day, 2),
        ],
    )
    segments = timeline(rota, start, start + 3 * day)
    assert [(s.person, s.end - s.start) for s in segments] == [(C, day), (D, day), (C, day)]


def test_removing_a_member_takes_effect_at_the_next_handoff():
    old = weekly((A, B, C, D))
    # B holds shift 1 (from Monday 2025-03-31); C is removed on Wednesday 2025-04-02.
    k_next = 2
    new_members = (A, B, D)
    position = next_position(old.members, new_members, current=B)
    assert new_members[position] == D
    first = (position - k_next) % len(new_members)
    changed_at = datetime(2025, 4, 7, 9, tzinfo=BERLIN)  # the next handoff
    new = Plan(changed_at, 0, time(9), 1, old.anchor, new_members, first)
    before = timeline(Rota(BERLIN, [old]), utc(2025, 3, 24, 8), changed_at)
    after = timeline(Rota(BERLIN, [old, new]), utc(2025, 3, 24, 8), utc(2025, 4, 28, 7))
    assert [s.person for s in after] == [A, B, D, A, B]
    assert after[: len(before)] == before  # the past is untouched


def test_next_position_when_the_current_holder_leaves_or_nobody_is_left():
    assert next_position((A, B, C, D), (A, B, D), current=C) == 2  # D came after C
    assert next_position((A, B, C, D), (D, C, B, A), current=B) == 1  # C, in the new order
    assert next_position((A, B), (C,), current=A) == 0
    assert next_position((A, B), (), current=A) == 0


def test_a_deactivated_person_leaves_a_gap_from_the_moment_they_left():
    left = utc(2025, 4, 2, 12)
    rota = Rota(BERLIN, [weekly()], gone={B: left})
    segments = timeline(rota, utc(2025, 3, 31, 7), utc(2025, 4, 14, 7))
    assert [(s.person, s.source) for s in segments] == [
        (B, "rotation"),
        (None, "gap"),
        (A, "rotation"),
    ]
    assert segments[0].end == left


def test_a_role_with_no_members_is_one_gap():
    rota = Rota(BERLIN, [weekly(())])
    segments = timeline(rota, utc(2025, 3, 24, 8), utc(2025, 4, 21, 7))
    assert [(s.person, s.source) for s in segments] == [(None, "gap")]


def test_plans_must_be_in_order():
    with pytest.raises(ValueError):
        Rota(BERLIN, [weekly(), Plan(None, 0, time(9), 1, date(2025, 3, 24), (A,))])

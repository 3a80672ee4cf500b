"""The rota engine: who holds a role at an instant, and the final timeline between two
instants with overrides applied. Plain Python, no ORM: the selectors load plans, overrides and
people and pass them in.

A role's rota is a list of *plans*, each in effect from an instant until the next one starts
(a change of members, their order or the handoff schedule starts a new plan at the next
handoff, so past shifts never change). Within a plan, shift k starts at handoff k: the
plan's anchor date plus k cycles, at the handoff's local wall-clock time in the rotation's
zone, and it is held by member (first_position + k) mod n. Finding the shift at an instant is
arithmetic on the cycle (constant time for any date), then at most a step either way to
absorb the hour a daylight-saving change can move a handoff by.

Wall-clock times that a daylight-saving change makes odd are decided once, here:
- a handoff time that does not exist that day (the spring gap, e.g. 02:30 when clocks jump
  from 02:00 to 03:00) is read with the offset in force before the change, so the handoff
  happens when the clock shows 03:30: the same instant 02:30 would have been;
- a handoff time that happens twice (the autumn fold, e.g. 02:30 when clocks go back from
  03:00 to 02:00) is the first of the two (still on summer time).
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

WEEK = timedelta(days=7)


@dataclass(frozen=True)
class Plan:
    """One version of a role's rota, in effect from `effective_from` (None: from the start)."""

    effective_from: datetime | None
    weekday: int  # 0 = Monday
    at: time  # local wall-clock time of the handoff
    cycle_weeks: int
    anchor: date  # local date of handoff 0 (a `weekday`)
    members: tuple[int, ...]  # person ids, in rota order
    first_position: int = 0  # who holds shift 0
    written_at: datetime | None = None  # when the plan was made (calendar SEQUENCE numbers)

    def holder(self, k: int) -> int | None:
        if not self.members:
            return None
        return self.members[(self.first_position + k) % len(self.members)]


@dataclass(frozen=True)
class Override:
    """`person` covers the role over [start, end); the later override (higher `order`) wins."""

    person: int
    start: datetime
    end: datetime
    order: int  # creation order
    id: int | None = None


@dataclass(frozen=True)
class Segment:
    """A stretch of the final timeline: `person` (None: nobody, a gap to fill) holds the role.

    `source` is "rotation", "override" or "gap"; `shift` names the rotation shift it belongs
    to (plan index, shift index), `override` the override's id."""

    start: datetime
    end: datetime
    person: int | None
    source: str
    shift: tuple[int, int] | None = None
    override: int | None = None


@dataclass(frozen=True)
class Rota:
    """Everything the engine needs for one role."""

    zone: ZoneInfo
    plans: Sequence[Plan]  # ordered by effective_from; the first has effective_from None
    overrides: Sequence[Override] = ()
    # Person id -> the instant they were deactivated: from then on their shifts are gaps.
    gone: dict[int, datetime] = field(default_factory=dict)

    def __post_init__(self):
        starts = [plan.effective_from for plan in self.plans[1:]]
        if self.plans and self.plans[0].effective_from is not None:
            raise ValueError("the first plan is in effect from the start")
        if any(start is None for start in starts) or starts != sorted(starts):
            raise ValueError("plans must be ordered by the instant they take effect")
        object.__setattr__(self, "_starts", starts)


def local_instant(zone: ZoneInfo, day: date, at: time) -> datetime:
    """The UTC instant of a local wall-clock time, with the gap and fold rules above."""
    naive = datetime.combine(day, at)
    first = naive.replace(tzinfo=zone, fold=0)
    return first.astimezone(UTC)


def first_weekday_on_or_after(day: date, weekday: int) -> date:
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def handoff(plan: Plan, zone: ZoneInfo, k: int) -> datetime:
    """The instant of plan's handoff k."""
    return local_instant(zone, plan.anchor + k * plan.cycle_weeks * WEEK, plan.at)


def shift_index(plan: Plan, zone: ZoneInfo, at: datetime) -> int:
    """The k with handoff(k) <= at < handoff(k + 1); negative before handoff 0."""
    period = plan.cycle_weeks * WEEK
    k = (at - handoff(plan, zone, 0)) // period
    # A local wall-clock schedule drifts from UTC arithmetic by at most the DST offset.
    while handoff(plan, zone, k) > at:
        k -= 1
    while handoff(plan, zone, k + 1) <= at:
        k += 1
    return k


def _plan_at(rota: Rota, at: datetime) -> int:
    return bisect.bisect_right(rota._starts, at)  # index into rota.plans


def _shift_bounds(rota: Rota, p: int, k: int) -> tuple[datetime, datetime]:
    """Start and end of plan p's shift k, cut to the plan's own time in effect. A plan's first
    shift begins when the plan does (a schedule change can take effect between handoffs)."""
    plan = rota.plans[p]
    start, end = handoff(plan, rota.zone, k), handoff(plan, rota.zone, k + 1)
    if plan.effective_from is not None:
        first = shift_index(plan, rota.zone, plan.effective_from)
        if k == first:
            start = plan.effective_from
    if p + 1 < len(rota.plans):
        end = min(end, rota.plans[p + 1].effective_from)
    return start, end


def base_shift_at(rota: Rota, at: datetime) -> Segment | None:
    """The rotation's own shift at `at` (overrides not applied); None before it started."""
    if not rota.plans:
        return None
    p = _plan_at(rota, at)
    plan = rota.plans[p]
    k = shift_index(plan, rota.zone, at)
    if k < 0 and plan.effective_from is None:
        return None
    start, end = _shift_bounds(rota, p, k)
    person = plan.holder(k)
    return Segment(start, end, person, "rotation" if person is not None else "gap", (p, k))


def _base_shifts(rota: Rota, start: datetime, end: datetime) -> list[Segment]:
    """The rotation's own shifts overlapping [start, end), in order, cut to it. Before the
    first handoff there is nothing: the rota has not begun."""
    segments: list[Segment] = []
    if not rota.plans:
        return [Segment(start, end, None, "gap")]
    first = rota.plans[0]
    begun = handoff(first, rota.zone, 0)
    if end <= begun:
        return [Segment(start, end, None, "gap")]
    if start < begun:
        segments.append(Segment(start, begun, None, "gap"))
        start = begun
    p = _plan_at(rota, start)
    k = shift_index(rota.plans[p], rota.zone, start)
    moment = start
    while moment < end:
        shift_start, shift_end = _shift_bounds(rota, p, k)
        person = rota.plans[p].holder(k)
        segments.append(
            Segment(
                max(shift_start, moment),
                min(shift_end, end),
                person,
                "rotation" if person is not None else "gap",
                (p, k),
            )
        )
        moment = shift_end
        if p + 1 < len(rota.plans) and moment >= rota.plans[p + 1].effective_from:
            p += 1
            k = shift_index(rota.plans[p], rota.zone, moment)
        else:
            k += 1
    return segments


def _paint(segments: list[Segment], cover: Segment) -> list[Segment]:
    """Lay `cover` over the timeline: what it overlaps is cut away."""
    painted: list[Segment] = []
    for segment in segments:
        if segment.end <= cover.start or segment.start >= cover.end:
            painted.append(segment)
            continue
        if segment.start < cover.start:
            painted.append(_cut(segment, segment.start, cover.start))
        if segment.end > cover.end:
            painted.append(_cut(segment, cover.end, segment.end))
    painted.append(cover)
    painted.sort(key=lambda s: s.start)
    return painted


def _cut(segment: Segment, start: datetime, end: datetime) -> Segment:
    return Segment(start, end, segment.person, segment.source, segment.shift, segment.override)


def _without_the_gone(segments: Iterable[Segment], gone: dict[int, datetime]) -> list[Segment]:
    """A deactivated person holds nothing from the instant they left: a gap to fill."""
    result = []
    for segment in segments:
        left = gone.get(segment.person) if segment.person is not None else None
        if left is None or segment.end <= left:
            result.append(segment)
            continue
        if segment.start < left:
            result.append(_cut(segment, segment.start, left))
        result.append(Segment(max(left, segment.start), segment.end, None, "gap", segment.shift))
    return result


def _merged(segments: list[Segment]) -> list[Segment]:
    """Neighbours held the same way by the same person become one stretch (one handoff)."""
    merged: list[Segment] = []
    for segment in segments:
        if segment.start >= segment.end:
            continue
        last = merged[-1] if merged else None
        if (
            last is not None
            and last.end == segment.start
            and last.person == segment.person
            and last.source == segment.source
            and last.override == segment.override
        ):
            merged[-1] = Segment(last.start, segment.end, last.person, last.source, last.shift)
            continue
        merged.append(segment)
    return merged


def timeline(rota: Rota, start: datetime, end: datetime) -> list[Segment]:
    """The final timeline over [start, end): contiguous, no overlaps, overrides applied (the
    latest created wins where they overlap), deactivated people replaced by gaps."""
    if end <= start:
        return []
    segments = _base_shifts(rota, start, end)
    for override in sorted(rota.overrides, key=lambda o: o.order):
        cover_start, cover_end = max(override.start, start), min(override.end, end)
        if cover_start < cover_end:
            cover = Segment(cover_start, cover_end, override.person, "override", None, override.id)
            segments = _paint(segments, cover)
    return _merged(_without_the_gone(segments, rota.gone))


def holder_at(rota: Rota, at: datetime) -> Segment:
    """Who holds the role at `at`, and over which stretch around it. The stretch is exact at
    its start; its end is where the current holder stops, looked for within one cycle."""
    base = base_shift_at(rota, at)
    if base is None:
        span_end = handoff(rota.plans[0], rota.zone, 0) if rota.plans else at + WEEK
        window_start, window_end = at, span_end
    else:
        window_start, window_end = base.start, base.end
    # Overrides may start before the shift and run past it: widen to what covers `at`.
    for override in rota.overrides:
        if override.start <= at < override.end:
            window_start = min(window_start, override.start)
            window_end = max(window_end, override.end)
    for segment in timeline(rota, window_start, window_end):
        if segment.start <= at < segment.end:
            return segment
    return Segment(at, at, None, "gap")


def handoffs_between(rota: Rota, start: datetime, end: datetime) -> list[Segment]:
    """The stretches of the final timeline that begin in (start, end]: each is a handoff to
    announce (its person, or a gap)."""
    segments = timeline(rota, start, end + timedelta(microseconds=1))
    return [segment for segment in segments if start < segment.start <= end]


def next_position(old: Sequence[int], new: Sequence[int], current: int | None) -> int:
    """Where a rota continues after its member list changes: the first person after the
    current holder, in the old order, who is still in the new list; the top of the new list
    when there is no such person (or nobody held the role)."""
    if not new:
        return 0
    if current is None or current not in old:
        return 0
    start = old.index(current)
    for step in range(1, len(old) + 1):
        candidate = old[(start + step) % len(old)]
        if candidate in new:
            return new.index(candidate)
    return 0

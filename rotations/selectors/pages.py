"""What the rota pages show: the grid of the coming weeks, the fairness panel, gaps and
conflicts, a person's shifts, and who is on call across all teams."""

from __future__ import annotations

import hashlib
import itertools
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Prefetch, Q
from django.utils import timezone

from core.versions import versions
from handbook.pages import MEMBERS_DEPENDENCY
from rotations.models import Override, Role, RoleMember, Rotation

from .rota import (
    Holder,
    Person,
    RotationSnapshot,
    Shift,
    holders_key,
    oncall_at,
    rotation_snapshot,
    shifts_between,
)

GRID_WEEKS = 12
FAIRNESS_DAYS = 183  # about six months


def rotation_list(*, team=None):
    rotations = Rotation.objects.select_related("team").order_by("team__name", "name")
    return rotations.filter(team=team) if team is not None else rotations


def rotation_api_list():
    """Rotations with their roles and members, for the API: four queries however many."""
    members = RoleMember.objects.select_related("user").order_by("position", "id")
    return (
        Rotation.objects.select_related("team")
        .prefetch_related(
            Prefetch("roles", queryset=Role.objects.order_by("position", "id")),
            Prefetch("roles__members", queryset=members),
        )
        .order_by("team__slug", "name", "id")
    )


def rotation_get(*, pk: int) -> Rotation:
    """The rotation, with its team and channel; Rotation.DoesNotExist otherwise."""
    return Rotation.objects.select_related("team", "channel").get(pk=pk)


def role_list(*, rotation: Rotation):
    return Role.objects.filter(rotation=rotation).order_by("position", "id")


def override_list(*, rotation: Rotation, now: datetime):
    """Overrides still to come or running now (cancelled ones are left out)."""
    return (
        Override.objects.filter(role__rotation=rotation, end__gt=now, cancelled_at__isnull=True)
        .select_related("role", "user", "created_by")
        .order_by("start", "id")
    )


def override_get(*, pk: int) -> Override:
    return Override.objects.select_related("role__rotation__team", "user").get(pk=pk)


def _week_start(moment: datetime, snapshot: RotationSnapshot) -> datetime:
    """Monday 00:00 of the week `moment` falls in, in the rotation's zone."""
    local = moment.astimezone(snapshot.zone)
    monday = local.date() - timedelta(days=local.weekday())
    return datetime.combine(monday, time(0), tzinfo=snapshot.zone)


@dataclass(frozen=True)
class GridWeek:
    start: datetime  # Monday 00:00 local
    cells: list[list[Shift]]  # one list per role, in role order


def rota_grid_key(*, snapshot: RotationSnapshot, now: datetime) -> str:
    """What the grid of rota_grid(snapshot=, now=) is made from: the snapshot's data versions
    and the week it starts with, so the rendered grid can be cached under it. Empty when the
    snapshot is not a cached one."""
    if not snapshot.key:
        return ""
    return f"{snapshot.key}:{_week_start(now, snapshot).date().isoformat()}:{GRID_WEEKS}"


def rota_fragment_key(*, snapshot: RotationSnapshot, now: datetime, minutes: int = 1) -> str:
    """A key for a part of the rota page made from the snapshot and the time, good for
    `minutes` (an override that ends drops off the list within that); empty when the snapshot
    is not a cached one (and then nothing is cached)."""
    if not snapshot.key:
        return ""
    return f"{snapshot.key}:{int(now.timestamp()) // (60 * minutes)}"


def override_form_key(*, snapshot: RotationSnapshot, now: datetime) -> str:
    """A key for the rota's empty override form: its roles come with the snapshot, the people
    it offers are the team's members."""
    fragment = rota_fragment_key(snapshot=snapshot, now=now)
    if not fragment:
        return ""
    return f"{fragment}:{versions([MEMBERS_DEPENDENCY])[MEMBERS_DEPENDENCY]}"


def rota_page_key(
    *, snapshot: RotationSnapshot, now: datetime, holders: list[Holder], rights: tuple
) -> str:
    """A key for the whole body of the rota page as `rights` (may edit, may override) see it:
    the override form's key (the snapshot's data versions, the minute, the team's members)
    and who holds each role until when, so a handoff shows at once, not up to a minute late.
    Empty when the snapshot is not a cached one."""
    form = override_form_key(snapshot=snapshot, now=now)
    if not form:
        return ""
    made_of = f"{form}:{holders_key(holders)}:{int(rights[0])}{int(rights[1])}"
    return f"rota-page:{snapshot.id}:{hashlib.sha256(made_of.encode()).hexdigest()}"


def rota_grid(*, snapshot: RotationSnapshot, now: datetime, weeks: int = GRID_WEEKS):
    """The coming weeks (from this one) by role: who holds each role in each week."""
    first = _week_start(now, snapshot)
    starts = [
        datetime.combine(first.date() + timedelta(weeks=i), time(0), tzinfo=snapshot.zone)
        for i in range(weeks + 1)
    ]
    shifts = shifts_between(snapshot=snapshot, start=starts[0], end=starts[-1])
    by_role = defaultdict(list)
    for shift in shifts:
        by_role[shift.role.id].append(shift)
    grid = []
    for week_start, week_end in itertools.pairwise(starts):
        cells = [
            [s for s in by_role[role.id] if s.start < week_end and s.end > week_start]
            for role in snapshot.roles
        ]
        grid.append(GridWeek(week_start, cells))
    return grid


@dataclass
class Fairness:
    person: Person
    shifts: int = 0
    hours: float = 0.0
    weekend_hours: float = 0.0
    holiday_hours: float = 0.0


def _public_holidays(country: str, years: set[int]) -> set[date]:
    if not country:
        return set()
    import holidays

    return set(holidays.country_holidays(country.upper(), years=sorted(years)).keys())


def _split_by_local_day(start: datetime, end: datetime, zone):
    """(local date, hours) for each local day [start, end) touches."""
    moment = start
    while moment < end:
        local = moment.astimezone(zone)
        next_midnight = datetime.combine(local.date() + timedelta(days=1), time(0), tzinfo=zone)
        stop = min(end, next_midnight)
        yield local.date(), (stop - moment).total_seconds() / 3600
        moment = stop


def fairness(*, snapshot: RotationSnapshot, now: datetime, days: int = FAIRNESS_DAYS):
    """Shifts and hours per person over the last `days`: weekends and public holidays (of
    the rotation's holiday country) counted apart, as they weigh more."""
    start = now - timedelta(days=days)
    shifts = [s for s in shifts_between(snapshot=snapshot, start=start, end=now) if s.person]
    years = {start.astimezone(snapshot.zone).year, now.astimezone(snapshot.zone).year}
    public = _public_holidays(snapshot.holiday_country, years)
    rows: dict[int, Fairness] = {}
    for shift in shifts:
        row = rows.setdefault(shift.person.id, Fairness(shift.person))
        row.shifts += 1
        for day, hours in _split_by_local_day(shift.start, shift.end, snapshot.zone):
            row.hours += hours
            if day in public:
                row.holiday_hours += hours
            elif day.weekday() >= 5:
                row.weekend_hours += hours
    return sorted(rows.values(), key=lambda r: (-r.hours, r.person.name))


@dataclass
class Problems:
    empty_roles: list[str] = field(default_factory=list)
    gaps: list[Shift] = field(default_factory=list)
    conflicts: list[tuple[Person, Shift, Shift]] = field(default_factory=list)

    def __bool__(self):
        return bool(self.empty_roles or self.gaps or self.conflicts)


def rota_problems(*, snapshot: RotationSnapshot, now: datetime, weeks: int = GRID_WEEKS):
    """What needs someone's attention in the coming weeks: roles nobody rotates through,
    stretches nobody holds, and one person holding two roles at once."""
    problems = Problems()
    for role in snapshot.roles:
        latest = role.rota.plans[-1].members if role.rota.plans else ()
        people = [snapshot.people.get(person_id) for person_id in latest]
        if not any(person is not None and person.active for person in people):
            problems.empty_roles.append(role.name)
    shifts = shifts_between(snapshot=snapshot, start=now, end=now + timedelta(weeks=weeks))
    problems.gaps = [s for s in shifts if s.person is None]
    held = [s for s in shifts if s.person is not None]
    for i, first in enumerate(held):
        for second in held[i + 1 :]:
            if (
                first.role.id != second.role.id
                and first.person.id == second.person.id
                and first.start < second.end
                and second.start < first.end
            ):
                problems.conflicts.append((first.person, first, second))
    return problems


def person_rotation_ids_query(*, user):
    """The rotations a person takes part in (through a role, an override, or their teams),
    as a subquery of ids."""
    return (
        Rotation.objects.filter(
            Q(team__memberships__user=user)
            | Q(roles__in=RoleMember.objects.filter(user=user).values("role"))
            | Q(roles__overrides__user=user)
        )
        .distinct()
        .values("pk")
    )


def person_rotation_ids(*, user) -> list[int]:
    return sorted(row["pk"] for row in person_rotation_ids_query(user=user))


@dataclass(frozen=True)
class PersonShift:
    rotation: RotationSnapshot
    shift: Shift


def person_shifts(*, user, start: datetime, end: datetime) -> list[PersonShift]:
    """Every stretch the person holds between start and end, in time order."""
    found = []
    for rotation_id in person_rotation_ids(user=user):
        snapshot = rotation_snapshot(rotation_id=rotation_id, since=start)
        if snapshot is None:
            continue
        for shift in shifts_between(snapshot=snapshot, start=start, end=end):
            if shift.person is not None and shift.person.id == user.pk:
                found.append(PersonShift(snapshot, shift))
    return sorted(found, key=lambda item: (item.shift.start, item.rotation.name))


def person_recent_shifts(
    *, user, now: datetime, within: timedelta = timedelta(weeks=4), limit: int = 5
) -> list[PersonShift]:
    """The person's latest shifts that are over (within the last `within`). The stretches
    are cut at `now`, so one still running ends at `now` exactly: it is not over, and left
    out (it is among the coming shifts)."""
    shifts = person_shifts(user=user, start=now - within, end=now)
    return [item for item in shifts if item.shift.end < now][-limit:]


@dataclass(frozen=True)
class RotationNow:
    snapshot: RotationSnapshot
    holders: list[Holder]


def oncall_now(
    *, now: datetime | None = None, team=None, team_slug: str | None = None
) -> list[RotationNow]:
    """Who holds every role of every rotation (of one team, or all), now."""
    now = now or timezone.now()
    rows = []
    rotations = rotation_list(team=team)
    if team_slug is not None:
        rotations = rotations.filter(team__slug=team_slug)
    for rotation_id in rotations.values_list("pk", flat=True):
        snapshot = rotation_snapshot(rotation_id=rotation_id)
        if snapshot is not None:
            rows.append(RotationNow(snapshot, oncall_at(snapshot=snapshot, at=now)))
    return rows

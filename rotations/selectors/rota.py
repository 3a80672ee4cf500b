"""Reading a rotation for the engine: its roles, their plans, overrides and people, as plain
values (rotations.schedule's), cached under the data versions they were read from.

A cold read is three queries (plans with their roles, rotation and team; the overrides; the
people), a warm one none: one round trip to the shared cache for the versions, and the
snapshot from this process's memory.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from django.db.models import F
from django.utils import timezone

from core.cache import frozen_get, frozen_set, layered_get_or_set
from core.versions import versions
from rotations import schedule
from rotations.models import Override, Role, RolePlan, Rotation

# What a snapshot is read from: a change to any of these makes it stale.
ROTA_DEPENDENCIES = (
    "rotations.Rotation",
    "rotations.Role",
    "rotations.RolePlan",
    "rotations.Override",
    "accounts.User",
    "handbook.Team",
)
# Overrides further back than this are read from the database when a window asks for them.
OVERRIDES_KEPT = timedelta(days=400)
SNAPSHOT_TIMEOUT = 24 * 3600


@dataclass(frozen=True)
class Person:
    id: int
    username: str
    name: str
    email: str
    timezone: str
    active: bool


@dataclass(frozen=True)
class OverrideChange:
    """An override as written (cancelled ones too): when it last changed, over what time."""

    start: datetime
    end: datetime
    changed_at: datetime


@dataclass(frozen=True)
class RoleRota:
    id: int
    name: str
    position: int
    timeout_minutes: int
    rota: schedule.Rota
    changes: tuple[OverrideChange, ...] = ()


@dataclass(frozen=True)
class RotationSnapshot:
    id: int
    name: str
    timezone: str
    team_id: int
    team_slug: str
    team_name: str
    channel_id: int | None
    header_channel_id: str
    holiday_country: str
    roles: tuple[RoleRota, ...]
    people: dict[int, Person] = field(default_factory=dict)
    overrides_since: datetime | None = None  # overrides ending before this are not in it
    # The cache key it is kept under (it names the data versions it was read from); empty
    # for a snapshot read for one caller only. What is rendered from a snapshot alone may be
    # cached under it.
    key: str = ""

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def role(self, role_id: int) -> RoleRota:
        for role in self.roles:
            if role.id == role_id:
                return role
        raise KeyError(role_id)


def plan_from_row(row: RolePlan) -> schedule.Plan:
    return schedule.Plan(
        effective_from=row.effective_from,
        weekday=row.handoff_weekday,
        at=row.handoff_time,
        cycle_weeks=row.cycle_weeks,
        anchor=row.anchor,
        members=tuple(row.members),
        first_position=row.first_position,
        written_at=row.created_at,
    )


def override_from_row(row: Override) -> schedule.Override:
    return schedule.Override(
        person=row.user_id, start=row.start, end=row.effective_end, order=row.pk, id=row.pk
    )


def _person(user) -> Person:
    return Person(user.pk, user.username, user.name, user.email, user.timezone, user.is_active)


def _snapshot_read(rotation_id: int, *, overrides_since: datetime) -> RotationSnapshot | None:
    from accounts.models import User

    plans = list(
        RolePlan.objects.filter(role__rotation_id=rotation_id)
        .select_related("role__rotation__team")
        .order_by("role__position", "role_id", F("effective_from").asc(nulls_first=True))
    )
    if plans:
        rotation = plans[0].role.rotation
    else:
        rotation = Rotation.objects.select_related("team").filter(pk=rotation_id).first()
        if rotation is None:
            return None
    overrides = list(
        Override.objects.filter(role__rotation_id=rotation_id, end__gt=overrides_since).order_by(
            "pk"
        )
    )
    people_ids = {person for row in plans for person in row.members}
    people_ids |= {row.user_id for row in overrides}
    users = User.objects.filter(pk__in=people_ids) if people_ids else []
    people = {user.pk: _person(user) for user in users}
    gone = {
        user.pk: user.deactivated_at for user in users if not user.is_active and user.deactivated_at
    }
    zone = ZoneInfo(rotation.timezone)
    roles: dict[int, tuple[Role, list]] = {}
    for row in plans:
        roles.setdefault(row.role_id, (row.role, []))[1].append(plan_from_row(row))
    by_role: dict[int, list] = {}
    changes: dict[int, list] = {}
    for row in overrides:
        if row.effective_end > row.start:
            by_role.setdefault(row.role_id, []).append(override_from_row(row))
        changed_at = max(row.created_at, row.cancelled_at or row.created_at)
        changes.setdefault(row.role_id, []).append(OverrideChange(row.start, row.end, changed_at))
    role_rotas = tuple(
        RoleRota(
            id=role.pk,
            name=role.name,
            position=role.position,
            timeout_minutes=role.escalation_timeout_minutes,
            rota=schedule.Rota(zone, tuple(role_plans), tuple(by_role.get(role.pk, ())), gone),
            changes=tuple(changes.get(role.pk, ())),
        )
        for role, role_plans in roles.values()
    )
    return RotationSnapshot(
        id=rotation.pk,
        name=rotation.name,
        timezone=rotation.timezone,
        team_id=rotation.team_id,
        team_slug=rotation.team.slug,
        team_name=rotation.team.name,
        channel_id=rotation.channel_id,
        header_channel_id=rotation.header_channel_id,
        holiday_country=rotation.holiday_country,
        roles=role_rotas,
        people=people,
        overrides_since=overrides_since,
    )


def rotation_snapshot(*, rotation_id: int, since: datetime | None = None):
    """The rotation as the engine needs it, or None when there is no such rotation.

    `since`: the earliest instant the caller will ask about; an older one than the cached
    snapshot covers is read from the database instead."""
    now = timezone.now()
    kept_from = (now - OVERRIDES_KEPT).replace(hour=0, minute=0, second=0, microsecond=0)
    if since is not None and since < kept_from:
        return _snapshot_read(rotation_id, overrides_since=since)
    known = versions(ROTA_DEPENDENCIES)
    key = "rota:{}:{}:{}".format(
        rotation_id,
        kept_from.date().isoformat(),
        ":".join(str(known[d]) for d in ROTA_DEPENDENCIES),
    )

    def read():
        snapshot = _snapshot_read(rotation_id, overrides_since=kept_from)
        return replace(snapshot, key=key) if snapshot is not None else False

    return layered_get_or_set(key, read, timeout=SNAPSHOT_TIMEOUT, frozen=True) or None


@dataclass(frozen=True)
class Holder:
    role: RoleRota
    person: Person | None
    start: datetime
    end: datetime
    source: str


def holders_key(holders) -> str:
    """Who holds each role, from when until when: what anything shown of `holders` is made
    of, besides the snapshot it came from."""
    return ",".join(
        f"{h.role.id}={h.person.id if h.person else '-'}"
        f"@{int(h.start.timestamp())}-{int(h.end.timestamp())}{h.source}"
        for h in holders
    )


def _covering(snapshot: RotationSnapshot, start: datetime) -> RotationSnapshot:
    """The snapshot, or a fresh read of the rotation when `start` is older than the overrides
    the snapshot holds."""
    if snapshot.overrides_since is not None and start < snapshot.overrides_since:
        return _snapshot_read(snapshot.id, overrides_since=start) or snapshot
    return snapshot


def oncall_at(*, snapshot: RotationSnapshot, at: datetime) -> list[Holder]:
    """Who holds each role at `at`, in escalation order.

    Nobody's hold changes between the latest start and the earliest end of the holders, so
    the last answer for a cached snapshot is kept in this process and given again for any
    instant inside that stretch (who is on call *now* is asked on every request)."""
    snapshot = _covering(snapshot, at)
    key = f"holders:{snapshot.key}" if snapshot.key else ""
    kept = frozen_get(key) if key else None
    if kept is not None and all(holder.start <= at < holder.end for holder in kept):
        return list(kept)
    holders = []
    for role in snapshot.roles:
        segment = schedule.holder_at(role.rota, at)
        person = snapshot.people.get(segment.person) if segment.person is not None else None
        holders.append(Holder(role, person, segment.start, segment.end, segment.source))
    if key:
        frozen_set(key, tuple(holders), timeout=SNAPSHOT_TIMEOUT)
    return holders


@dataclass(frozen=True)
class Shift:
    role: RoleRota
    person: Person | None
    start: datetime
    end: datetime
    source: str
    override: int | None
    sequence: int = 0  # grows whenever what decides this stretch changes (calendar SEQUENCE)
    changed_at: datetime | None = None  # the latest change behind it (calendar DTSTAMP)


# SEQUENCE numbers are seconds since this instant of the latest change behind a stretch: they
# only grow, and need nothing stored.
SEQUENCE_EPOCH = datetime(2020, 1, 1, tzinfo=UTC)


def _changed_at(role: RoleRota, segment: schedule.Segment) -> datetime | None:
    """When what decides the stretch last changed: the plan it comes from was written, an
    override over it was made or cancelled, or its person was deactivated during it (which cut
    it short)."""
    moments = []
    left = role.rota.gone.get(segment.person) if segment.person is not None else None
    if left is not None and segment.start < left <= segment.end:
        moments.append(left)
    if segment.shift is not None:
        written = role.rota.plans[segment.shift[0]].written_at
        if written is not None:
            moments.append(written)
    moments += [
        change.changed_at
        for change in role.changes
        if change.start < segment.end and change.end > segment.start
    ]
    return max(moments) if moments else None


def _sequence(changed_at: datetime | None) -> int:
    if changed_at is None:
        return 0
    return max(0, int((changed_at - SEQUENCE_EPOCH).total_seconds()))


def shifts_between(
    *, snapshot: RotationSnapshot, start: datetime, end: datetime, role_id: int | None = None
) -> list[Shift]:
    """The final timeline of every role (or one) over [start, end), role by role."""
    snapshot = _covering(snapshot, start)
    shifts = []
    for role in snapshot.roles:
        if role_id is not None and role.id != role_id:
            continue
        for segment in schedule.timeline(role.rota, start, end):
            person = snapshot.people.get(segment.person) if segment.person is not None else None
            changed_at = _changed_at(role, segment)
            shifts.append(
                Shift(
                    role,
                    person,
                    segment.start,
                    segment.end,
                    segment.source,
                    segment.override,
                    _sequence(changed_at),
                    changed_at,
                )
            )
    return shifts


def team_role_named(*, team_id: int, name: str) -> tuple[int, int] | None:
    """(rotation id, role id) of the team's role called `name` (any case), or else the first
    role of its rotation called `name`; None when there is neither. Other apps find a role
    people hold by its name this way (the releases' "Release Manager")."""
    roles = Role.objects.filter(rotation__team_id=team_id).order_by("rotation_id", "position")
    found = (
        roles.filter(name__iexact=name).values_list("rotation_id", "pk").first()
        or roles.filter(rotation__name__iexact=name).values_list("rotation_id", "pk").first()
    )
    return tuple(found) if found else None

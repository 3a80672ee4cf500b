"""Keeping a role's plans in step with what people edit.

A role's schedule (handoff weekday, time, cycle) and member list may change at any time; the
change takes effect at the next handoff, as a new plan. The plan in effect now, and every
earlier one, is never touched: past shifts stay as they were. Several changes before that
handoff replace one pending plan.
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from rotations import schedule
from rotations.models import Role, RolePlan
from rotations.selectors.rota import plan_from_row


def _members(role: Role) -> list[int]:
    return list(role.members.order_by("position", "id").values_list("user_id", flat=True))


def _first_anchor(role: Role) -> date:
    return schedule.first_weekday_on_or_after(role.start, role.handoff_weekday)


def _same_schedule(row: RolePlan, role: Role) -> bool:
    return (row.handoff_weekday, row.handoff_time, row.cycle_weeks) == (
        role.handoff_weekday,
        role.handoff_time,
        role.cycle_weeks,
    )


def role_begun(*, role: Role, now: datetime | None = None) -> bool:
    """Whether the role's first handoff has happened."""
    first = role.plans.filter(effective_from__isnull=True).first()
    if first is None:
        return False
    zone = ZoneInfo(role.rotation.timezone)
    return schedule.handoff(plan_from_row(first), zone, 0) <= (now or timezone.now())


@transaction.atomic
def role_plan_refresh(*, role: Role, user=None, now: datetime | None = None) -> RolePlan:
    """Make the role's plans follow its current schedule and members, from the next handoff.

    Before the role's first handoff nothing has happened yet, so the first plan is simply
    rewritten (start date included)."""
    now = now or timezone.now()
    role = Role.objects.select_for_update().select_related("rotation").get(pk=role.pk)
    zone = ZoneInfo(role.rotation.timezone)
    members = _members(role)
    rows = list(role.plans.order_by(F("effective_from").asc(nulls_first=True)))
    first = next((row for row in rows if row.effective_from is None), None)
    anchor = _first_anchor(role)

    if first is None or schedule.handoff(plan_from_row(first), zone, 0) > now:
        # Not begun: one plan from the start, as the role now says.
        role.plans.all().delete()
        return RolePlan.objects.create(
            role=role,
            effective_from=None,
            handoff_weekday=role.handoff_weekday,
            handoff_time=role.handoff_time,
            cycle_weeks=role.cycle_weeks,
            anchor=anchor,
            members=members,
            first_position=0,
            created_by=user,
        )

    in_effect = [row for row in rows if row.effective_from is None or row.effective_from <= now]
    current_row = in_effect[-1]
    current = plan_from_row(current_row)
    k_now = schedule.shift_index(current, zone, now)
    handoff_next = schedule.handoff(current, zone, k_now + 1)
    # Later plans that have not begun yet are replaced by the one written here.
    role.plans.filter(effective_from__gt=now).delete()

    holder = current.holder(k_now)
    position = schedule.next_position(current.members, members, holder)
    if _same_schedule(current_row, role):
        if current_row.members == members:
            return current_row  # nothing changes at the next handoff
        new_anchor, k_first = current.anchor, k_now + 1
    else:
        # The new schedule's first handoff on or after the next one of the old schedule; the
        # person taking over at that next handoff holds the role until then.
        local = handoff_next.astimezone(zone)
        new_anchor = schedule.first_weekday_on_or_after(local.date(), role.handoff_weekday)
        if schedule.local_instant(zone, new_anchor, role.handoff_time) < handoff_next:
            new_anchor += schedule.WEEK
        shape = schedule.Plan(
            handoff_next, role.handoff_weekday, role.handoff_time, role.cycle_weeks, new_anchor, ()
        )
        k_first = schedule.shift_index(shape, zone, handoff_next)  # -1: before its handoff 0
    first_position = (position - k_first) % len(members) if members else 0
    return RolePlan.objects.create(
        role=role,
        effective_from=handoff_next,
        handoff_weekday=role.handoff_weekday,
        handoff_time=role.handoff_time,
        cycle_weeks=role.cycle_weeks,
        anchor=new_anchor,
        members=members,
        first_position=first_position,
        created_by=user,
    )

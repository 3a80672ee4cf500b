"""What the date engine needs about a train: its business-day calendar, its milestone
template, and who the rotas propose as release manager."""

from datetime import date, datetime, time

from releases import schedule
from releases.models import Train

# A release manager is proposed as whoever holds the role at noon of release day (the
# train's zone): after any morning handoff, well before the evening.
MANAGER_LOOKUP_TIME = time(12, 0)


def train_calendar(*, train: Train, start: date, end: date) -> schedule.BusinessCalendar:
    """The train's business days over [start, end] (a year of margin either side, so that
    counting back from a release day early in a year sees the previous year's holidays)."""
    years = range(start.year - 1, end.year + 2)
    own = train.holidays.values_list("date", flat=True)
    return schedule.calendar_for(country=train.holiday_country, own_dates=own, years=years)


def train_template(*, train: Train) -> list[tuple[str, int]]:
    return list(train.milestone_templates.values_list("name", "offset_business_days"))


def manager_proposer(*, train: Train):
    """A function from a release day to the id of the person proposed as its manager (or
    None): the holder, on that day, of the team's rotation role named `train.manager_role`
    (or of the first role of a rotation by that name). Reads the rota once."""
    from rotations.selectors import oncall_at, rotation_snapshot, team_role_named

    name = train.manager_role.strip()
    found = team_role_named(team_id=train.team_id, name=name) if name else None
    if found is None:
        return lambda day: None
    rotation_id, role_id = found
    snapshot = rotation_snapshot(rotation_id=rotation_id)
    if snapshot is None:
        return lambda day: None
    zone = snapshot.zone

    def propose(day: date) -> int | None:
        at = datetime.combine(day, MANAGER_LOOKUP_TIME, tzinfo=zone)
        for holder in oncall_at(snapshot=snapshot, at=at):
            if holder.role.id == role_id:
                return holder.person.id if holder.person else None
        return None

    return propose

"""The rotas' part of a person's page, of the home page ("My next shifts") and of the person
calendar: registered with handbook.people in the app's ready()."""

from datetime import datetime, timedelta

from handbook.people import person_section_register
from rotations import selectors
from rotations.selectors.pages import PersonShift

# How far ahead the person page and the home page look for shifts.
NEXT_SHIFTS_WITHIN = timedelta(weeks=12)


def person_next_shifts(*, person, now: datetime, limit: int) -> list[PersonShift]:
    """The person's shift running now and the next ones, within NEXT_SHIFTS_WITHIN: one
    query for their rotations, and each rota's snapshot (cached)."""
    return selectors.person_shifts(user=person, start=now, end=now + NEXT_SHIFTS_WITHIN)[:limit]


person_section_register(
    "shifts",
    title="Shifts",
    home_title="My next shifts",
    selector=person_next_shifts,
    template="rotations/_person_shifts.html",
    empty="No shifts in the next 12 weeks.",
    events=selectors.person_shift_events,
    order=10,
)

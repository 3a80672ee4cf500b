"""What other apps know about a person: their sections on the person page and the home page,
and their events in the person's calendar feed.

The handbook owns people's pages (it owns teams and the directory) but may not import the
rotas, tickets or releases. Each of those apps registers a section in its AppConfig.ready()
with `person_section_register`: a selector that answers the person's items (their next
shifts, their open tickets, the releases they manage), the template that shows them, and
optionally the calendar components of the same things. One registration serves the person
page (`/people/<username>/`), the home page's "my next ..." lists (the same selector, for the
viewer) and the person's feed (`/people/<username>/calendar.ics`).

A selector is called as `selector(person=user, now=aware datetime, limit=int)` and returns a
list, in a fixed number of queries whatever the number of items. The template gets `items`,
`person`, `now` and `section`. An events provider is called as `events(person=user,
now=aware datetime)` and returns icalendar components (VEVENT, VTODO) whose content depends
on `now` only through the window it covers, so that a calendar app polling the same day gets
the same feed (and a 304).
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

Selector = Callable[..., list]
Events = Callable[..., Iterable]


@dataclass(frozen=True)
class PersonSection:
    key: str  # e.g. "shifts"; the section's id on the pages
    title: str  # on the person page, e.g. "Shifts"
    home_title: str  # on the home page, about the viewer, e.g. "My next shifts"
    selector: Selector
    template: str
    empty: str  # shown when the selector finds nothing, e.g. "No shifts in the next weeks."
    events: Events | None
    order: int


_sections: dict[str, PersonSection] = {}


def person_section_register(
    key: str,
    *,
    title: str,
    selector: Selector,
    template: str,
    home_title: str = "",
    empty: str = "Nothing here.",
    events: Events | None = None,
    order: int = 100,
) -> PersonSection:
    """Add a section about a person; call from AppConfig.ready(). `order` places it among the
    others (lower first)."""
    section = PersonSection(
        key=key,
        title=title,
        home_title=home_title or title,
        selector=selector,
        template=template,
        empty=empty,
        events=events,
        order=order,
    )
    _sections[key] = section
    return section


def person_sections() -> list[PersonSection]:
    return sorted(_sections.values(), key=lambda section: (section.order, section.key))


@dataclass(frozen=True)
class SectionItems:
    section: PersonSection
    items: list


def person_section_items(*, person, now: datetime, limit: int) -> list[SectionItems]:
    """Every registered section with the person's items, in section order."""
    return [
        SectionItems(section, list(section.selector(person=person, now=now, limit=limit)))
        for section in person_sections()
    ]


def person_events(*, person, now: datetime) -> list:
    """The calendar components of every section that has them, in section order."""
    return [
        component
        for section in person_sections()
        if section.events is not None
        for component in section.events(person=person, now=now)
    ]

"""The tickets' part of a person's page, of the home page ("My open tickets") and of the
person calendar: registered with handbook.people in the app's ready().

Tickets have no due date, so in the calendar each open ticket is a to-do (VTODO) without one:
calendar apps with tasks (Thunderbird, Apple Reminders through CalDAV clients) list them,
the others leave them out."""

from datetime import datetime

from django.conf import settings
from django.db.models import Case, IntegerField, QuerySet, Value, When
from icalendar import Todo

from handbook.people import person_section_register
from tickets.models import Column, Ticket

# The most open tickets a calendar lists (a person with more has a board to look at).
CALENDAR_TICKETS_MAX = 200
# RFC 5545 PRIORITY: 1 is the highest, 9 the lowest.
SEVERITY_PRIORITY = {"S1": 1, "S2": 3, "S3": 5, "S4": 7}


def _open_assigned(person) -> QuerySet[Ticket]:
    in_progress_first = Case(
        When(column__kind=Column.Kind.IN_PROGRESS, then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    return (
        Ticket.objects.filter(assignee=person)
        .exclude(column__kind=Column.Kind.DONE)
        .select_related("board", "column")
        .order_by(in_progress_first, "severity", "-updated_at", "id")
    )


def person_open_tickets(*, person, now: datetime, limit: int) -> list[Ticket]:
    """The tickets assigned to the person that are not done, those in progress first, then
    by severity: one query."""
    return list(_open_assigned(person)[:limit])


def _host() -> str:
    return settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0] or "bosun"


def person_ticket_todos(*, person, now: datetime) -> list[Todo]:
    """A VTODO per open ticket: its UID names the ticket, SEQUENCE is its version (which grows
    with each edit), DTSTAMP its last change; nothing depends on `now`."""
    todos = []
    for ticket in _open_assigned(person)[:CALENDAR_TICKETS_MAX]:
        todo = Todo()
        todo.add("uid", f"ticket-{ticket.pk}@{_host()}")
        todo.add("summary", f"{ticket.key} {ticket.title}")
        todo.add(
            "description",
            f"{ticket.get_kind_display()}, {ticket.get_severity_display()}, "
            f"in {ticket.column.name} of {ticket.board.name}.",
        )
        todo.add("url", settings.SITE_URL.rstrip("/") + ticket.get_absolute_url())
        todo.add("dtstamp", ticket.updated_at)
        todo.add("created", ticket.created_at)
        todo.add("sequence", ticket.version)
        todo.add("priority", SEVERITY_PRIORITY.get(ticket.severity, 0))
        in_progress = ticket.column.kind == Column.Kind.IN_PROGRESS
        todo.add("status", "IN-PROCESS" if in_progress else "NEEDS-ACTION")
        todos.append(todo)
    return todos


person_section_register(
    "tickets",
    title="Assigned tickets",
    home_title="My open tickets",
    selector=person_open_tickets,
    template="tickets/_person_tickets.html",
    empty="No open tickets assigned.",
    events=person_ticket_todos,
    order=20,
)

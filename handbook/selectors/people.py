"""Reads about people: the directory, one person with their teams, their teams' pages, and
their calendar (what the other apps contribute through handbook.people)."""

from datetime import datetime

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from icalendar import Calendar

from accounts.models import User
from handbook.models import Membership, Page

PEOPLE_PER_PAGE = 25
PERSON_PAGES_SHOWN = 15


def _with_memberships(people: QuerySet[User]) -> QuerySet[User]:
    return people.prefetch_related(
        Prefetch(
            "memberships",
            queryset=Membership.objects.select_related("team").order_by("team__name"),
        )
    )


def person_directory(
    *, search: str = "", team: str = "", role: str = "", timezone: str = ""
) -> QuerySet[User]:
    """Active people, by name, each with their memberships (and teams): two queries, plus
    the count when paginated. `team` is a team's slug, `role` a Membership.Role value (with
    `team`: the role in that team), `search` matches names and usernames."""
    people = User.objects.filter(is_active=True)
    if search:
        words = Q()
        for word in search.split():
            words &= (
                Q(username__icontains=word)
                | Q(display_name__icontains=word)
                | Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
            )
        people = people.filter(words)
    if team or role:
        memberships = Membership.objects.filter(user=OuterRef("pk"))
        if team:
            memberships = memberships.filter(team__slug=team)
        if role:
            memberships = memberships.filter(role=role)
        people = people.filter(Exists(memberships))
    if timezone:
        people = people.filter(timezone=timezone)
    return _with_memberships(people).order_by("display_name", "first_name", "username")


def people_timezones() -> list[str]:
    """The time zones active people are in, for the directory's filter (one query)."""
    return list(
        User.objects.filter(is_active=True)
        .order_by("timezone")
        .values_list("timezone", flat=True)
        .distinct()
    )


def person_get(*, username: str) -> User:
    """The person (active or not: their page keeps their history), with their memberships
    and teams; User.DoesNotExist otherwise."""
    return _with_memberships(User.objects.all()).get(username=username)


def person_team_pages(*, person: User, limit: int = PERSON_PAGES_SHOWN) -> list[Page]:
    """The pages a person looks after: those owned by the teams they are in, the last
    changed first (one query)."""
    return list(
        Page.objects.filter(team__memberships__user=person)
        .select_related("team")
        .only("path", "title", "updated_at", "review_by", "team__name", "team__slug")
        .order_by("-updated_at", "path")
        .distinct()[:limit]
    )


def person_pages_due(*, person: User, today, limit: int = PERSON_PAGES_SHOWN) -> list[Page]:
    """The pages of the person's teams past their review date, the longest overdue first
    (the same rule as the team page and the weekly digest: handbook.selectors.pages_stale)."""
    from .pages import pages_stale

    return list(
        pages_stale(today=today)
        .filter(team__memberships__user=person)
        .only("path", "title", "review_by", "team__name", "team__slug")
        .distinct()[:limit]
    )


def person_calendar_ical(*, person: User, now: datetime) -> bytes:
    """The person's calendar: what every app registered with person_section_register gives
    as events (shifts, open tickets, release duties)."""
    from handbook.people import person_events

    calendar = Calendar()
    calendar.add("prodid", "-//Bosun//People//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"{person.name} · Bosun")
    for component in person_events(person=person, now=now):
        calendar.add_component(component)
    return calendar.to_ical()


def person_calendar_feeds(*, user) -> list:
    """For "My account": the person's own calendar (no query)."""
    from django.urls import reverse

    from accounts.feeds import Feed

    path = reverse("handbook:person_calendar", kwargs={"username": user.username})
    return [Feed(title="My calendar: shifts, open tickets and release duties", path=path)]

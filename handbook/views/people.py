"""The people directory, a person's page and a person's calendar feed."""

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from accounts.feeds import calendar_feed
from accounts.models import User
from handbook import selectors
from handbook.forms import PeopleFilterForm
from handbook.people import person_section_items

# How many items of each app's section the person page shows (the home page shows fewer).
PERSON_SECTION_LIMIT = 10


@require_GET
@vary_on_headers("HX-Request")
def people_directory(request):
    """Everyone active, filtered by team, role, time zone and name; the filters swap only
    the list (htmx) and work as a plain form too."""
    form = PeopleFilterForm(request.GET or None, timezones=selectors.people_timezones())
    filters = form.filters() if form.is_bound else {}
    people = Paginator(selectors.person_directory(**filters), selectors.PEOPLE_PER_PAGE)
    page = people.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page_obj": page,
        "filtered": any(filters.values()),
        "query": query.urlencode(),
    }
    template = "handbook/people.html"
    if request.htmx:
        template += "#people-rows"
    return render(request, template, context)


def _person_or_404(username: str) -> User:
    try:
        return selectors.person_get(username=username)
    except User.DoesNotExist as exc:
        raise Http404("No such person.") from exc


def _zone(name: str):
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


@require_GET
def person_detail(request, username):
    """Anyone logged in may see anyone's page: who they are, how to reach them, and what
    they are on (shifts, tickets, releases: each already public to logged-in people)."""
    person = _person_or_404(username)
    now = timezone.now()
    context = {
        "person": person,
        "memberships": person.memberships.all(),
        "person_zone": _zone(person.timezone),
        "now": now,
        "pages": selectors.person_team_pages(person=person),
        "blocks": person_section_items(person=person, now=now, limit=PERSON_SECTION_LIMIT),
        "is_me": person.pk == request.user.pk,
    }
    return render(request, "handbook/person.html", context)


@calendar_feed
def person_calendar_ics(request, username):
    """Anyone logged in (or with their calendar token) may read anyone's calendar, as with
    the shifts feed of rotations: it holds only what their pages show."""
    person = _person_or_404(username)
    return HttpResponse(
        selectors.person_calendar_ical(person=person, now=timezone.now()),
        headers={"Content-Disposition": f'inline; filename="{person.username}.ics"'},
    )

"""The home page: what changed in the handbook, the viewer's pages, and what is next for them
(shifts, tickets, release deadlines: the sections other apps register in handbook.people)."""

from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from handbook import selectors
from handbook.people import person_section_items

HOME_LIST_LIMIT = 5
HOME_PAGES_LIMIT = 8


@require_GET
def home(request):
    now = timezone.now()
    person = request.user
    context = {
        "recent_pages": selectors.pages_recently_updated(limit=HOME_PAGES_LIMIT),
        "my_pages": selectors.person_team_pages(person=person, limit=HOME_PAGES_LIMIT),
        "due_pages": selectors.person_pages_due(
            person=person, today=timezone.localdate(), limit=HOME_PAGES_LIMIT
        ),
        "blocks": person_section_items(person=person, now=now, limit=HOME_LIST_LIMIT),
        "has_teams": person.memberships.exists(),
        "now": now,
    }
    return render(request, "handbook/home.html", context)

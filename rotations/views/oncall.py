"""Who is on call: now, across every team; and the logged-in person's own shifts."""

from datetime import timedelta

from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from rotations import selectors


@require_GET
def home(request):
    now = timezone.now()
    rows = selectors.oncall_now(now=now)
    return render(request, "rotations/oncall_now.html", {"rows": rows, "now": now})


@require_GET
def my_shifts(request):
    now = timezone.now()
    upcoming = selectors.person_shifts(user=request.user, start=now, end=now + timedelta(weeks=12))
    context = {
        "upcoming": upcoming,
        "recent": selectors.person_recent_shifts(user=request.user, now=now),
        "now": now,
    }
    return render(request, "rotations/my_shifts.html", context)

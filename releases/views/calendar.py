"""The releases' month calendar (the section's home) with the coming deadlines."""

from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from releases import selectors


@require_GET
@vary_on_headers("HX-Request")
def home(request):
    """`?month=YYYY-MM` (today's month in the viewer's zone by default); a bad month shows
    today's with a note, answered 400."""
    today = timezone.localdate()
    month, good = selectors.month_parse(request.GET.get("month"), today=today)
    context = {
        "view": selectors.month_view(month=month, today=today),
        "bad_month": None if good else request.GET.get("month"),
        "today": today,
    }
    template = "releases/home.html"
    if request.htmx and not request.htmx.history_restore_request:
        template += "#calendar"
    else:
        context["upcoming"] = selectors.upcoming_milestones(today=today)
    return render(request, template, context, status=200 if good else 400)

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from . import selectors
from .models import Team


@require_GET
@vary_on_headers("HX-Request")
def home(request):
    """The team directory; typing in the filter box swaps only the list (htmx)."""
    query = request.GET.get("q", "").strip()
    context = {"teams": selectors.team_directory(search=query), "query": query}
    template = "handbook/team_list.html"
    if request.htmx:
        template += "#team-rows"
    return render(request, template, context)


@require_GET
def team_detail(request, slug):
    try:
        team = selectors.team_get(slug=slug)
    except Team.DoesNotExist as exc:
        raise Http404("No such team.") from exc
    context = {
        "team": team,
        "can_edit": selectors.team_can_edit(user=request.user, team=team),
        "children": team.children.order_by("name"),
    }
    return render(request, "handbook/team_detail.html", context)

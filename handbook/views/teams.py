from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from accounts.feeds import calendar_feed
from handbook import generators, permissions, selectors
from handbook.models import Team
from handbook.pages import render as render_page


@require_GET
@vary_on_headers("HX-Request")
def team_directory(request):
    """The team directory; typing in the filter box swaps only the list (htmx)."""
    query = request.GET.get("q", "").strip()
    context = {"teams": selectors.team_directory(search=query), "query": query}
    template = "handbook/team_list.html"
    if request.htmx:
        template += "#team-rows"
    return render(request, template, context)


def _team_or_404(slug):
    try:
        return selectors.team_get(slug=slug)
    except Team.DoesNotExist as exc:
        raise Http404("No such team.") from exc


@require_GET
def team_detail(request, slug):
    team = _team_or_404(slug)
    context = {
        "team": team,
        "can_edit": permissions.team_can_edit(user=request.user, team=team),
        "children": team.children.order_by("name"),
        "meetings": selectors.team_meetings_upcoming(team=team, now=timezone.now()),
        "workstreams": team.workstreams.select_related("lead"),
        "pages": selectors.page_list(team=team),
        "stale_pages": selectors.pages_stale(team=team, today=timezone.localdate()),
        "broken_count": selectors.broken_links(team=team).count(),
        # Apps that know more about a team (who is on call) show it through their live block.
        "oncall": _live_block("oncall", team),
    }
    return render(request, "handbook/team_detail.html", context)


def _live_block(name: str, team: Team):
    markdown = generators.block(name, team.slug)
    if markdown is None:
        return None
    return render_page(markdown=markdown, path=f"teams/{team.slug}").html


@require_GET
def team_broken_links(request, slug):
    team = _team_or_404(slug)
    links = selectors.broken_links_described(team=team)
    return render(request, "handbook/broken_links.html", {"team": team, "links": links})


@calendar_feed
def team_meetings_ics(request, slug):
    """Any active person may read a team's meetings (as its page), by session or token."""
    team = _team_or_404(slug)
    return HttpResponse(
        selectors.team_meetings_ical(team=team),
        headers={"Content-Disposition": f'inline; filename="{team.slug}-meetings.ics"'},
    )


@require_GET
def team_history(request, slug):
    """Who changed what in the team, and when: open to every reader, as page histories are."""
    team = _team_or_404(slug)
    context = {
        "team": team,
        "changes": selectors.team_history(team=team),
        "can_edit": permissions.team_can_edit(user=request.user, team=team),
    }
    return render(request, "handbook/team_history.html", context)

"""The support-request form: anyone logged in asks a team for help; the request lands in the
team board's triage column (services.support_request_create)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from tickets import selectors, services
from tickets.forms import SupportRequestForm


@require_http_methods(["GET", "POST"])
def support_request(request):
    teams = selectors.support_team_choices()
    if request.method == "POST":
        form = SupportRequestForm(request.POST, teams=teams)
        if form.is_valid():
            data = form.cleaned_data
            try:
                ticket = services.support_request_create(
                    team=data["team"],
                    summary=data["summary"],
                    background=data["background"],
                    impact=data["impact"],
                    extra=data["extra"],
                    urgency=data["urgency"],
                    user=request.user,
                )
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(
                    request,
                    f"Filed {ticket.key}: {data['team'].name} will see it in triage "
                    f"({services.URGENCIES[data['urgency']].lower()}).",
                )
                return redirect(ticket)
    else:
        team = teams.filter(slug=request.GET.get("team", "")).first()
        form = SupportRequestForm(initial={"team": team}, teams=teams)
    return render(request, "tickets/support_request.html", {"form": form})

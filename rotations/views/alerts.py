"""An alert's page (its steps, with times) and acknowledging it: from the page, or from the
signed link in the message, which works without logging in."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import User
from core.exceptions import NotAllowed
from rotations import permissions, services
from rotations.models import Alert


def _alert_or_404(pk) -> Alert:
    alert = Alert.objects.select_related("rotation__team", "acknowledged_by").filter(pk=pk).first()
    if alert is None:
        raise Http404("No such alert.")
    return alert


@require_GET
def alert_detail(request, pk):
    alert = _alert_or_404(pk)
    steps = alert.steps.select_related("role", "user").order_by("index")
    context = {
        "alert": alert,
        "steps": steps,
        "can_ack": alert.acknowledged_at is None
        and permissions.alert_can_acknowledge(user=request.user, alert=alert),
    }
    return render(request, "rotations/alert.html", context)


@require_POST
def alert_ack(request, pk):
    alert = _alert_or_404(pk)
    try:
        services.alert_acknowledge(alert=alert, user=request.user)
    except NotAllowed as exc:
        raise PermissionDenied(exc.message) from exc
    messages.success(request, "Acknowledged: nobody else will be paged for this alert.")
    return redirect(alert)


@login_not_required
@require_http_methods(["GET", "POST"])
def alert_ack_link(request, pk, token):
    """The link in a page message: shows what it acknowledges; the button does it."""
    alert = _alert_or_404(pk)
    person_id = services.ack_token_person(alert=alert, token=token)
    person = User.objects.filter(pk=person_id, is_active=True).first() if person_id else None
    if person is None:
        raise Http404("This acknowledge link is not valid (or no longer).")
    if request.method == "POST":
        services.alert_acknowledge(alert=alert, user=person, checked=True)
        alert.refresh_from_db()
    return render(request, "rotations/alert_ack.html", {"alert": alert, "person": person})

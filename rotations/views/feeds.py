"""The shift calendars: a rotation's, and a person's (by session or calendar token)."""

from django.http import Http404, HttpResponse

from accounts.feeds import calendar_feed
from accounts.models import User
from rotations import selectors

from .rotation import rotation_or_404


@calendar_feed
def rotation_shifts_ics(request, pk):
    rotation = rotation_or_404(pk)
    snapshot = selectors.rotation_snapshot(rotation_id=rotation.pk)
    return HttpResponse(
        selectors.rotation_shifts_ical(snapshot=snapshot),
        headers={"Content-Disposition": f'inline; filename="rota-{rotation.pk}.ics"'},
    )


@calendar_feed
def person_shifts_ics(request, username):
    """Anyone logged in may read who is on call when (as on the rota pages)."""
    person = User.objects.filter(username=username).first()
    if person is None:
        raise Http404("No such person.")
    return HttpResponse(
        selectors.person_shifts_ical(user=person),
        headers={"Content-Disposition": f'inline; filename="{person.username}-shifts.ics"'},
    )

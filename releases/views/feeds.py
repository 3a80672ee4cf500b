"""The release calendars (by session or calendar token): all trains, or one."""

from django.http import Http404, HttpResponse

from accounts.feeds import calendar_feed
from releases import selectors
from releases.models import Train


@calendar_feed
def calendar_ics(request):
    """Anyone logged in may read the release calendar (as the API's release list)."""
    return HttpResponse(
        selectors.releases_ical(),
        headers={"Content-Disposition": 'inline; filename="releases.ics"'},
    )


@calendar_feed
def train_calendar_ics(request, slug):
    train = Train.objects.filter(slug=slug).first()
    if train is None:
        raise Http404("No such train.")
    return HttpResponse(
        selectors.releases_ical(train=train),
        headers={"Content-Disposition": f'inline; filename="releases-{train.slug}.ics"'},
    )

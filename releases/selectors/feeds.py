"""The release calendar as iCalendar: every release and every milestone, one all-day event
each, for all trains or one (a milestone on release day itself, T-0, is the release's event).

An event's UID names its row (`release-12@host`, `milestone-40@host`), so it stays the same
when the date moves. Its SEQUENCE counts the slips that moved it (the release's own, and for
a milestone those of its release plus its own), so it grows with each reschedule and never
otherwise; its DTSTAMP is the time of the latest of them (when the information last changed,
as RFC 5545 has it for a published calendar). The `icalendar` package writes the text,
escaping included. Nothing depends on the time the feed is read at but for the window, which
starts FEED_PAST before today: a calendar app polling the same day gets the same body (and a
304 on its ETag)."""

from datetime import date, datetime, timedelta

from django.conf import settings
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event

from accounts.feeds import Feed
from handbook.models import Team
from releases.models import Milestone, Release, Slip, Train

FEED_PAST = timedelta(days=365)


def _host() -> str:
    return settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0] or "bosun"


def _stamp(slips, fallback: datetime) -> datetime:
    return max((slip.at for slip in slips), default=fallback)


def _event(*, uid: str, summary: str, day: date, description: str, slips, since, cancelled):
    event = Event()
    event.add("uid", f"{uid}@{_host()}")
    event.add("summary", summary)
    event.add("description", description)
    event.add("dtstart", day)
    event.add("dtend", day + timedelta(days=1))
    event.add("dtstamp", _stamp(slips, since))
    event.add("sequence", len(slips))
    event.add("transp", "TRANSPARENT")
    if cancelled:
        event.add("status", "CANCELLED")
    return event


def feed_releases(*, today: date):
    """Releases from FEED_PAST before `today` on, with what their events need (narrow it
    further: a train, a manager): three queries."""
    return (
        Release.objects.filter(release_date__gte=today - FEED_PAST)
        .select_related("train", "manager")
        .prefetch_related(
            Prefetch("milestones", queryset=Milestone.objects.order_by("position", "id")),
            Prefetch("slips", queryset=Slip.objects.order_by("at", "id")),
        )
        .order_by("release_date", "id")
    )


def release_events(release: Release) -> list[Event]:
    """The release's all-day event and one per milestone before release day (a row of
    feed_releases)."""
    slips = list(release.slips.all())
    own = [slip for slip in slips if slip.milestone_id is None]
    manager = release.manager.name if release.manager else "nobody yet"
    about = f"{release.train.name} ({release.train.get_kind_display()}), {release.version}"
    cancelled = release.status == Release.Status.CANCELLED
    since = release.created_at
    events = [
        _event(
            uid=f"release-{release.pk}",
            summary=f"Release {release.version} ({release.train.name})",
            day=release.release_date,
            description=f"{about}. Release manager: {manager}.",
            slips=own,
            since=since,
            cancelled=cancelled,
        )
    ]
    for milestone in release.milestones.all():
        if milestone.offset_business_days == 0:
            continue  # release day itself: the release's own event
        moved = own + [slip for slip in slips if slip.milestone_id == milestone.pk]
        events.append(
            _event(
                uid=f"milestone-{milestone.pk}",
                summary=f"{milestone.name}: {release.version} ({release.train.name})",
                day=milestone.due,
                description=f"{about}: {milestone.name}, "
                f"{milestone.offset_business_days} business days before release day. "
                f"Release manager: {manager}.",
                slips=sorted(moved, key=lambda slip: slip.at),
                since=since,
                cancelled=cancelled,
            )
        )
    return events


def releases_ical(*, train: Train | None = None, today: date | None = None) -> bytes:
    """The calendar of `train`'s releases (None: every train's): three queries."""
    releases = feed_releases(today=today or timezone.localdate())
    if train is not None:
        releases = releases.filter(train=train)
    calendar = Calendar()
    calendar.add("prodid", "-//Bosun//Releases//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"Releases: {train.name}" if train else "Releases")
    for release in releases:
        for event in release_events(release):
            calendar.add_component(event)
    return calendar.to_ical()


def release_feeds(*, user) -> list[Feed]:
    """The feeds the "My account" page offers: every train's releases, then each train of
    the person's teams."""
    feeds = [Feed("Releases: all trains", reverse("releases:calendar_ics"))]
    teams = Team.objects.filter(memberships__user=user)
    for train in Train.objects.filter(team__in=teams).order_by("name"):
        feeds.append(
            Feed(
                f"Releases: {train.name}", reverse("releases:train_calendar_ics", args=[train.slug])
            )
        )
    return feeds

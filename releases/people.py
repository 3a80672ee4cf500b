"""The releases' part of a person's page, of the home page ("My next release deadlines") and
of the person calendar: the releases the person is release manager of (`Release.manager`,
which planning proposes from the train's `manager_role` on the team's rota). Registered with
handbook.people in the app's ready()."""

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.db.models import Prefetch

from handbook.people import person_section_register
from releases.models import Milestone, Release
from releases.selectors.feeds import feed_releases, release_events


def _today(person, now: datetime) -> date:
    return now.astimezone(ZoneInfo(person.timezone or "UTC")).date()


@dataclass(frozen=True)
class ReleaseDuty:
    release: Release
    overdue: list[Milestone]  # not done, due before the person's today
    upcoming: list[Milestone]  # not done, due from today on, soonest first

    @property
    def next_deadline(self) -> Milestone | None:
        return self.upcoming[0] if self.upcoming else None


def person_release_duties(*, person, now: datetime, limit: int) -> list[ReleaseDuty]:
    """The planned releases the person manages, from the person's today on, soonest first,
    each with its milestones not done yet (overdue, and to come): two queries."""
    today = _today(person, now)
    open_milestones = Milestone.objects.filter(done_at__isnull=True).order_by("due", "position")
    releases = (
        Release.objects.filter(
            manager=person, status=Release.Status.PLANNED, release_date__gte=today
        )
        .select_related("train")
        .prefetch_related(Prefetch("milestones", queryset=open_milestones, to_attr="open"))
        .order_by("release_date", "id")[:limit]
    )
    return [
        ReleaseDuty(
            release,
            overdue=[milestone for milestone in release.open if milestone.due < today],
            upcoming=[milestone for milestone in release.open if milestone.due >= today],
        )
        for release in releases
    ]


def person_release_events(*, person, now: datetime) -> list:
    """The release-calendar events (release days and milestones) of the releases the person
    manages, as the release calendar has them: same UIDs, same SEQUENCE."""
    releases = feed_releases(today=_today(person, now)).filter(manager=person)
    return [event for release in releases for event in release_events(release)]


person_section_register(
    "releases",
    title="Release duties",
    home_title="My next release deadlines",
    selector=person_release_duties,
    template="releases/_person_releases.html",
    empty="Release manager of no planned release.",
    events=person_release_events,
    order=30,
)

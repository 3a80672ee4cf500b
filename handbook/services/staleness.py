"""The weekly digest of pages past their review date."""

from handbook.models import Page, Team


def stale_digests_send(*, today) -> int:
    """Send each team one message a week listing its pages past their review date.

    The delivery key names the team, channel and ISO week, so running this twice in a week
    (a retry, a second beat) sends nothing twice. Returns the number of teams notified.
    """
    from django.conf import settings

    from handbook.selectors import pages_stale
    from notifications.services import notify

    year, week, _ = today.isocalendar()
    stale_by_team: dict[int, list[Page]] = {}
    for page in pages_stale(today=today).exclude(team=None):
        stale_by_team.setdefault(page.team_id, []).append(page)
    teams = Team.objects.filter(pk__in=stale_by_team).prefetch_related("notification_channels")
    notified = 0
    for team in teams:
        channels = [c for c in team.notification_channels.all() if c.is_active]
        if not channels:
            continue
        pages = stale_by_team[team.pk]
        lines = [f"{len(pages)} handbook page(s) of {team.name} are due for review:"]
        lines += [
            f"- [{page.title}]({settings.SITE_URL}{page.get_absolute_url()}) "
            f"(review was due {page.review_by:%Y-%m-%d})"
            for page in pages
        ]
        for channel in channels:
            notify(
                channel=channel,
                key=f"stale-digest:{team.slug}:{channel.pk}:{year}-W{week:02d}",
                text="\n".join(lines),
            )
        notified += 1
    return notified

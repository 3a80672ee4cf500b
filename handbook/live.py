"""The handbook's own live blocks: a team's members, contacts, meetings and workstreams."""

from django.utils import timezone

from .generators import GeneratorArgumentError, escape, register
from .meetings import describe_recurrence, meeting_next
from .models import Team


def _team(slug: str | None) -> Team:
    if not slug:
        raise GeneratorArgumentError("name a team, e.g. `team_members.delivery`.")
    team = Team.objects.filter(slug=slug).first()
    if team is None:
        raise GeneratorArgumentError(f"there is no team “{escape(slug)}”.")
    return team


MEMBERS_READ = ("handbook.Membership", "handbook.Team", "accounts.User")


@register(
    "team_members",
    depends_on=MEMBERS_READ,
    description="The team's members and roles, from the team directory.",
)
def team_members(slug):
    team = _team(slug)
    rows = team.memberships.select_related("user").order_by("role", "user__username")
    if not rows:
        return f"*{escape(team.name)} has no members yet.*"
    lines = ["| Name | Role | Time zone |", "|---|---|---|"]
    lines += [
        f"| {escape(m.user.name)} | {escape(m.get_role_display())} | {escape(m.user.timezone)} |"
        for m in rows
    ]
    return "\n".join(lines)


# Handbooks kept in git call the same block `product_team.<team>`: pages imported from them
# show their members without an edit.
register(
    "product_team",
    depends_on=MEMBERS_READ,
    description="Another name for team_members, as handbooks kept in git write it.",
)(team_members)


@register(
    "team_contacts",
    depends_on=("handbook.ContactRoute", "handbook.Team"),
    description="How to reach the team: reason, contacts in order, channel.",
)
def team_contacts(slug):
    team = _team(slug)
    routes = list(team.contacts.all())
    if not routes:
        return f"*{escape(team.name)} has not listed its contacts yet.*"
    lines = ["| Reason | Contact, in order | Via |", "|---|---|---|"]
    for route in routes:
        contacts = "<br>".join(f"{i}. `{escape(c)}`" for i, c in enumerate(route.contacts, 1))
        lines.append(f"| {escape(route.reason)} | {contacts} | {escape(route.via)} |")
    return "\n".join(lines)


@register(
    "team_meetings",
    depends_on=("handbook.Meeting", "handbook.Team"),
    description="The team's meetings with their cadence and next occurrence.",
)
def team_meetings(slug):
    team = _team(slug)
    meetings = list(team.meetings.all())
    if not meetings:
        return f"*{escape(team.name)} has no meetings listed.*"
    now = timezone.now()
    lines = ["| Meeting | Topic | Participants | Cadence | Next |", "|---|---|---|---|---|"]
    for meeting in meetings:
        upcoming = meeting_next(meeting=meeting, now=now)
        when = upcoming.strftime("%a %d %b %Y, %H:%M %Z") if upcoming else "—"
        lines.append(
            f"| {escape(meeting.name)} | {escape(meeting.topic)} | "
            f"{escape(meeting.participants)} | {escape(describe_recurrence(meeting.recurrence))} | "
            f"{escape(when)} |"
        )
    return "\n".join(lines)


@register(
    "team_workstreams",
    depends_on=("handbook.Workstream", "handbook.Team", "accounts.User"),
    description="What the team is working on now, and who leads each stream.",
)
def team_workstreams(slug):
    team = _team(slug)
    streams = list(team.workstreams.select_related("lead"))
    if not streams:
        return f"*{escape(team.name)} has no current workstreams.*"
    lines = ["| Workstream | Lead | About |", "|---|---|---|"]
    lines += [
        f"| {escape(s.name)} | {escape(s.lead.name if s.lead else '—')} | {escape(s.description)} |"
        for s in streams
    ]
    return "\n".join(lines)

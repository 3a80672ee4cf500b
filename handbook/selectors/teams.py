"""Reads about teams: the directory and a team with its members and contacts."""

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet

from handbook.models import Membership, Team


def team_directory(*, search: str = "") -> QuerySet[Team]:
    """Teams with their parent and member count, in one query: the directory's rows."""
    teams = (
        Team.objects.select_related("parent")
        .annotate(member_count=Count("memberships", distinct=True))
        .order_by("name")
    )
    return teams.filter(team_matches(search=search)) if search else teams


def team_matches(*, search: str) -> Q:
    return Q(name__icontains=search) | Q(slug__icontains=search) | Q(mission__icontains=search)


def team_list(*, search: str = "") -> QuerySet[Team]:
    """Teams with members and contacts too, in a fixed number of queries."""
    return team_directory(search=search).prefetch_related(
        Prefetch(
            "memberships",
            queryset=Membership.objects.select_related("user").order_by("user__username"),
        ),
        "contacts",
    )


def team_get(*, slug: str) -> Team:
    return team_list().get(slug=slug)


def team_contact_rows(*, team: Team) -> list[dict]:
    """The team's contacts as the edit page's rows show them (contacts separated by commas)."""
    return [
        {
            "id": route.pk,
            "reason": route.reason,
            "contacts": ", ".join(route.contacts),
            "via": route.via,
        }
        for route in team.contacts.all()
    ]


def team_workstream_rows(*, team: Team) -> list[dict]:
    return [
        {
            "id": stream.pk,
            "name": stream.name,
            "lead": stream.lead.username if stream.lead else "",
            "description": stream.description,
        }
        for stream in team.workstreams.select_related("lead")
    ]


def people_to_pick(*, limit: int = 2000):
    """Active people for the edit page's person picker (a datalist: username and name)."""
    from django.contrib.auth import get_user_model

    return (
        get_user_model()
        .objects.filter(is_active=True)
        .order_by("username")
        .only("username", "display_name", "first_name", "last_name")[:limit]
    )


@dataclass(frozen=True)
class CharterMerge:
    """A charter saved from an older version, laid over the one saved meanwhile: `values` take
    the saved value where only the others changed a field, the writer's elsewhere; `taken`
    are the fields so taken from the saved version, `conflicts` those both changed."""

    values: dict
    taken: list[str]
    conflicts: list[str]


def team_charter_merge(*, current: Team, base_version: int, mine: dict) -> CharterMerge:
    """Field by field, against the version the writer started from (from the team's history;
    when it cannot be found, every field that differs is a conflict)."""
    base = current.history.filter(version=base_version).order_by("-history_date").first()
    values, taken, conflicts = dict(mine), [], []
    for name, value in mine.items():
        saved = getattr(current, name)
        if saved == value:
            continue
        before = getattr(base, name) if base is not None else None
        if base is not None and before == value:
            values[name] = saved
            taken.append(name)
        elif base is None or before != saved:
            conflicts.append(name)
    return CharterMerge(values=values, taken=taken, conflicts=conflicts)

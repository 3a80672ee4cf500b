"""Reads about teams: the directory and a team with its members and contacts."""

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

from django.contrib.auth import get_user_model
from django.db.models import Count, Prefetch, Q, QuerySet

from .models import Membership, Team

User = get_user_model()


def memberships_with_team() -> QuerySet[Membership]:
    return Membership.objects.select_related("team").order_by("team__name")


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


def team_can_edit(*, user, team: Team) -> bool:
    """Admins with the change permission, or the team's leads and managers."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.has_perm("handbook.change_team"):
        return True
    return Membership.objects.filter(
        team=team, user=user, role__in=Membership.MANAGING_ROLES
    ).exists()


def person_list(*, include_inactive: bool = False) -> QuerySet:
    people = User.objects.prefetch_related(
        Prefetch("memberships", queryset=memberships_with_team())
    ).order_by("username")
    return people if include_inactive else people.filter(is_active=True)


def person_get(*, username: str):
    return person_list(include_inactive=True).get(username=username)

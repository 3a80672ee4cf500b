"""Reads about people: the directory lists everyone with the teams they belong to; whose
calendar token a feed URL carries."""

from django.contrib.auth import get_user_model
from django.db.models import Prefetch, QuerySet

from .models import CalendarToken

User = get_user_model()


def _memberships_with_team() -> QuerySet:
    # Memberships are the handbook's (the app above this one): reached through the relation
    # so that accounts never imports handbook.
    membership = User._meta.get_field("memberships").related_model
    return membership._default_manager.select_related("team").order_by("team__name")


def person_list(*, include_inactive: bool = False) -> QuerySet:
    people = User.objects.prefetch_related(
        Prefetch("memberships", queryset=_memberships_with_team())
    ).order_by("username")
    return people if include_inactive else people.filter(is_active=True)


def person_get(*, username: str):
    return person_list(include_inactive=True).get(username=username)


def calendar_token_get(*, user) -> CalendarToken | None:
    return CalendarToken.objects.filter(user=user).first()


def calendar_token_find(*, raw: str) -> CalendarToken | None:
    """The token whose key is `raw`, with its person, if that person is still active."""
    if not raw:
        return None
    return (
        CalendarToken.objects.select_related("user")
        .filter(key_hash=CalendarToken.hash_key(raw), user__is_active=True)
        .first()
    )

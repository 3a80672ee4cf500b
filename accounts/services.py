import secrets
from datetime import datetime, timedelta
from typing import NamedTuple

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from rest_framework.authtoken.models import Token

from .models import CalendarToken, User

PROFILE_FIELDS = ("email", "display_name", "timezone", "first_name", "last_name")


@transaction.atomic
def person_create(*, username: str, password: str | None = None, **profile) -> User:
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": ["A person with this username already exists."]})
    person = User(username=username, **{k: v for k, v in profile.items() if k in PROFILE_FIELDS})
    person.full_clean(exclude=["password"])
    if password:
        try:
            validate_password(password, person)
        except ValidationError as exc:
            raise ValidationError({"password": exc.messages}) from exc
        person.set_password(password)
    else:
        # Accounts synced from an identity provider log in through it, not with a password.
        person.set_unusable_password()
    person.save()
    return person


@transaction.atomic
def person_update(*, person: User, by: User, **changes) -> User:
    active = changes.pop("is_active", None)
    if active is False and person.is_active:
        person_deactivate(person=person, by=by)
    elif active is True:
        person.is_active = True
    for field, value in changes.items():
        if field not in PROFILE_FIELDS:
            raise ValidationError({field: ["This field cannot be changed."]})
        setattr(person, field, value)
    person.full_clean(exclude=["password"])
    person.save()
    return person


@transaction.atomic
def person_deactivate(*, person: User, by: User) -> User:
    """Deactivate instead of deleting, so rotas, tickets and history keep their people."""
    if person.pk == by.pk:
        raise ValidationError({"username": ["You cannot deactivate your own account."]})
    person.is_active = False
    person.save(update_fields=["is_active"])
    Token.objects.filter(user=person).delete()
    CalendarToken.objects.filter(user=person).delete()
    return person


def api_token_get_or_create(*, user: User) -> str:
    token, _ = Token.objects.get_or_create(user=user)
    return token.key


class IssuedCalendarToken(NamedTuple):
    token: str  # the raw key: shown once, never stored
    created_at: datetime


@transaction.atomic
def calendar_token_create_or_rotate(*, user: User) -> IssuedCalendarToken:
    """Give `user` a new calendar token; the one they had, if any, stops working at once."""
    raw = secrets.token_urlsafe(32)
    record, _ = CalendarToken.objects.update_or_create(
        user=user,
        defaults={
            "key_hash": CalendarToken.hash_key(raw),
            "created_at": timezone.now(),
            "last_used_at": None,
        },
    )
    return IssuedCalendarToken(token=raw, created_at=record.created_at)


def calendar_token_revoke(*, user: User) -> bool:
    """Remove `user`'s calendar token; whether there was one."""
    deleted, _ = CalendarToken.objects.filter(user=user).delete()
    return bool(deleted)


# Calendar apps poll every few minutes: the time of use is written at most this often.
CALENDAR_TOKEN_USE_RESOLUTION = timedelta(hours=1)


def calendar_token_mark_used(*, token: CalendarToken) -> None:
    now = timezone.now()
    if token.last_used_at is not None and token.last_used_at >= now - CALENDAR_TOKEN_USE_RESOLUTION:
        return
    # Conditional, so that of several feeds polled at once only one writes.
    CalendarToken.objects.filter(pk=token.pk).filter(
        Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - CALENDAR_TOKEN_USE_RESOLUTION)
    ).update(last_used_at=now)

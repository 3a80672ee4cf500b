from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from rest_framework.authtoken.models import Token

from .models import User

PROFILE_FIELDS = ("email", "display_name", "timezone", "first_name", "last_name")


@transaction.atomic
def person_create(*, username: str, password: str | None = None, **profile) -> User:
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": ["A person with this username already exists."]})
    person = User(username=username, **{k: v for k, v in profile.items() if k in PROFILE_FIELDS})
    person.full_clean(exclude=["password"])
    if password:
        validate_password(password, person)
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
    return person


def api_token_get_or_create(*, user: User) -> str:
    token, _ = Token.objects.get_or_create(user=user)
    return token.key

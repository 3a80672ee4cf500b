"""`{% person_link someone %}`: a person's name linking to their page, wherever names are
shown. Takes a user or anything with `username` and `name` (the rotas' Person); None (or an
empty username) gives `default`, unlinked."""

from django import template
from django.urls import reverse
from django.utils.html import format_html

register = template.Library()


@register.simple_tag
def person_link(person, default=""):
    username = getattr(person, "username", "") if person is not None else ""
    if not username:
        return default
    return format_html(
        '<a href="{}" class="person-link">{}</a>',
        reverse("handbook:person", kwargs={"username": username}),
        person.name,
    )

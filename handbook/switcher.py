"""What the quick switcher finds in the handbook: pages, teams and people. Imported by the
app's ready(); other apps register their kinds in their own switcher.py."""

from django.db.models.signals import post_save
from django.dispatch import receiver
from django.urls import reverse

from accounts.models import User
from handbook.models import Page, Team
from handbook.selectors.switcher import SwitcherMatch, name_matches, switcher_register
from handbook.services import person_words_add, team_words_add


@switcher_register("page", label="Pages", order=10)
def pages_find(query: str, limit: int):
    rows = name_matches(
        Page.objects.all(),
        fields=["title"],
        query=query,
        values=["title", "path"],
        limit=limit,
        large=True,
    )
    return [
        SwitcherMatch(
            kind="page", label=title, detail=path, url=reverse("handbook:page", args=[path])
        )
        for title, path in rows
    ]


@switcher_register("team", label="Teams", order=20)
def teams_find(query: str, limit: int):
    rows = name_matches(
        Team.objects.all(),
        fields=["name", "slug"],
        query=query,
        values=["name", "slug"],
        limit=limit,
        large=True,
    )
    return [
        SwitcherMatch(
            kind="team", label=name, detail=slug, url=reverse("handbook:team", args=[slug])
        )
        for name, slug in rows
    ]


@switcher_register("person", label="People", order=30)
def people_find(query: str, limit: int):
    """Active people, to their person page."""
    values = name_matches(
        User.objects.filter(is_active=True),
        fields=User.NAME_FIELDS,
        query=query,
        values=User.NAME_FIELDS,
        limit=limit,
        large=True,
    )
    return [
        SwitcherMatch(
            kind="person",
            label=User.name_of(display_name, first_name, last_name, username),
            detail=username,
            url=reverse("handbook:person", kwargs={"username": username}),
        )
        for username, display_name, first_name, last_name in values
    ]


@receiver(post_save, sender=User, dispatch_uid="handbook.switcher.person_saved")
def person_saved(sender, instance: User, update_fields=None, **kwargs):
    """A saved person's name words go into the dictionary that typos are found with (a save
    of other fields alone, such as the last login, adds nothing)."""
    if update_fields is None or set(update_fields) & set(User.NAME_FIELDS):
        person_words_add(people=[instance])


@receiver(post_save, sender=Team, dispatch_uid="handbook.switcher.team_saved")
def team_saved(sender, instance: Team, **kwargs):
    """A saved team's name and slug words go into the dictionary too."""
    team_words_add(team=instance)

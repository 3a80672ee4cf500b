"""What the quick switcher finds in the handbook: pages, teams and people. Imported by the
app's ready(); other apps register their kinds in their own switcher.py."""

from django.urls import reverse

from accounts.models import User
from handbook.models import Page, Team
from handbook.selectors.switcher import SwitcherMatch, name_matches, switcher_register


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
    names = ["username", "display_name", "first_name", "last_name"]
    values = name_matches(
        User.objects.filter(is_active=True),
        fields=names,
        query=query,
        values=names,
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

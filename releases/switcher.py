"""Trains and releases in the quick switcher (handbook.selectors.switcher); imported by the
app's ready()."""

from django.urls import reverse

from handbook.selectors.switcher import SwitcherMatch, name_matches, switcher_register
from releases.models import Release, Train


@switcher_register("train", label="Release trains", order=60)
def trains_find(query: str, limit: int):
    """A train leads to the release calendar (the month of its next release is a click on)."""
    rows = name_matches(
        Train.objects.all(),
        fields=["name", "slug"],
        query=query,
        values=["name", "kind", "team__name"],
        limit=limit,
    )
    return [
        SwitcherMatch(
            kind="train",
            label=name,
            detail=f"{kind} · {team_name}",
            url=reverse("releases:home"),
        )
        for name, kind, team_name in rows
    ]


@switcher_register("release", label="Releases", order=70)
def releases_find(query: str, limit: int):
    rows = name_matches(
        Release.objects.all(),
        fields=["version"],
        query=query,
        values=["version", "train__name", "release_date"],
        limit=limit,
    )
    return [
        SwitcherMatch(
            kind="release",
            label=version,
            detail=f"{train_name} · {day:%a} {day.day} {day:%b %Y}",
            url=reverse("releases:release", args=[version]),
        )
        for version, train_name, day in rows
    ]

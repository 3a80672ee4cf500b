"""Rotas in the quick switcher (handbook.selectors.switcher); imported by the app's ready()."""

from django.urls import reverse

from handbook.selectors.switcher import SwitcherMatch, name_matches, switcher_register
from rotations.models import Rotation


@switcher_register("rota", label="Rotas", order=40)
def rotations_find(query: str, limit: int):
    rows = name_matches(
        Rotation.objects.all(),
        fields=["name"],
        query=query,
        values=["pk", "name", "team__name"],
        limit=limit,
    )
    return [
        SwitcherMatch(
            kind="rota",
            label=name,
            detail=team_name,
            url=reverse("rotations:rotation", kwargs={"pk": pk}),
        )
        for pk, name, team_name in rows
    ]

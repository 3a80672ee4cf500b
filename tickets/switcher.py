"""Boards in the quick switcher (handbook.selectors.switcher); imported by the app's ready()."""

from django.urls import reverse

from handbook.selectors.switcher import SwitcherMatch, name_matches, switcher_register
from tickets.models import Board


@switcher_register("board", label="Boards", order=50)
def boards_find(query: str, limit: int):
    rows = name_matches(
        Board.objects.all(),
        fields=["name", "key_prefix"],
        query=query,
        values=["pk", "name", "key_prefix", "team__name"],
        limit=limit,
    )
    return [
        SwitcherMatch(
            kind="board",
            label=name,
            detail=f"{key_prefix} · {team_name}",
            url=reverse("tickets:board", args=[pk]),
        )
        for pk, name, key_prefix, team_name in rows
    ]

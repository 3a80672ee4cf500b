"""The ordered rows of a team (its contacts, its workstreams): made to match a list, in order,
changing only what differs so that the team's history says what really changed."""

from django.db import models

from handbook.models import Team


def rows_apply(*, team: Team, model: type[models.Model], rows: list[dict], by) -> bool:
    """Make the team's rows of `model` the given ones, in this order. A row naming the `id` of
    one of the team's rows changes that row (an id of another team's row is ignored: the row
    is added); rows not named are removed. Returns whether anything changed."""
    existing = {row.pk: row for row in model.objects.select_for_update().filter(team=team)}
    kept: set[int] = set()
    changed = False
    for position, values in enumerate(rows):
        values = dict(values)
        row = existing.get(values.pop("id", None))
        values["position"] = position
        if row is not None:
            kept.add(row.pk)
            if all(getattr(row, name) == value for name, value in values.items()):
                continue
        else:
            row = model(team=team)
        for name, value in values.items():
            setattr(row, name, value)
        row.full_clean()
        row._history_user = by
        row.save()
        changed = True
    for pk, row in existing.items():
        if pk not in kept:
            row._history_user = by
            row.delete()
            changed = True
    return changed

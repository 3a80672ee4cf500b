"""The rotas' live block for handbook pages: `{{generator:oncall.<team>}}`.

Who is on call changes with time, not only with data: the block also depends on the handoff
rows, which the handoff task writes at every change of holder, so a page showing it is drawn
again after each handoff."""

from django.urls import reverse
from django.utils import timezone

from handbook.generators import GeneratorArgumentError, escape, register
from handbook.models import Team

from .selectors import oncall_now
from .selectors.rota import ROTA_DEPENDENCIES


@register(
    "oncall",
    depends_on=(*ROTA_DEPENDENCIES, "rotations.Handoff"),
    description="Who holds each role of the team's rotas now, and until when.",
)
def oncall(slug):
    if not slug:
        raise GeneratorArgumentError("name a team, e.g. `oncall.delivery`.")
    rows = oncall_now(team_slug=slug, now=timezone.now())
    if not rows:
        team = Team.objects.filter(slug=slug).only("name").first()
        if team is None:
            raise GeneratorArgumentError(f"there is no team “{escape(slug)}”.")
        return f"*{escape(team.name)} has no rota yet.*"
    lines = ["| Rota | Role | On call | Until |", "|---|---|---|---|"]
    for row in rows:
        zone = row.snapshot.zone
        for holder in row.holders:
            who = _person(holder.person) if holder.person else "—"
            until = holder.end.astimezone(zone)
            lines.append(
                f"| {escape(row.snapshot.name)} | {escape(holder.role.name)} | {who} | "
                f"{until:%a} {until.day} {until:%b} {until:%H:%M} {escape(row.snapshot.timezone)} |"
            )
    return "\n".join(lines)


def _person(person) -> str:
    """The holder's name, linking to their person page, and their handle."""
    url = reverse("handbook:person", kwargs={"username": person.username})
    return f"[{escape(person.name)}]({url}) (@{escape(person.username)})"

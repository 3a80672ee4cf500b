"""The releases' live block for handbook pages: `{{generator:releases.next.<train>}}`, the
train's next release and its milestones.

"Next" is the earliest release still planned (not released, not cancelled), so the block
changes only with the data: a release whose day has passed stays next until someone marks it
released, which is what the team needs to see."""

from handbook.generators import GeneratorArgumentError, escape, register

from .models import Milestone, Release, Train


def _day(value) -> str:
    return f"{value:%a} {value.day} {value:%b %Y}"


@register(
    "releases",
    depends_on=("releases.Train", "releases.Release", "releases.Milestone"),
    description="A train's next release and its milestones: `releases.next.<train slug>`.",
)
def releases_block(arg):
    what, _, slug = (arg or "").partition(".")
    if what != "next" or not slug:
        raise GeneratorArgumentError("name a train, e.g. `releases.next.self-managed`.")
    train = Train.objects.filter(slug=slug).first()
    if train is None:
        raise GeneratorArgumentError(f"there is no train “{escape(slug)}”.")
    release = (
        Release.objects.filter(train=train, status=Release.Status.PLANNED)
        .select_related("manager")
        .order_by("release_date", "id")
        .first()
    )
    if release is None:
        return f"*{escape(train.name)} has no planned release.*"
    manager = release.manager.name if release.manager else "not chosen yet"
    lines = [
        f"**{escape(train.name)} {escape(release.version)}**: release day "
        f"{_day(release.release_date)}; release manager {escape(manager)}.",
        "",
        "| Milestone | Due | Done |",
        "|---|---|---|",
    ]
    for milestone in Milestone.objects.filter(release=release).order_by("position", "id"):
        done = "yes" if milestone.done_at else "—"
        lines.append(f"| {escape(milestone.name)} | {_day(milestone.due)} | {done} |")
    return "\n".join(lines)

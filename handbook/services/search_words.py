"""The dictionary that mistyped search words are corrected against (handbook.SearchWord), and
that the quick switcher finds mistyped names with: the words of the pages, of the active
people's names and of the teams' names."""

from collections.abc import Iterable

from accounts.models import User
from handbook.models import Page, SearchWord, Team
from handbook.selectors.spelling import text_words

PRUNE_BATCH = 1000


def search_words_add(*, text: str) -> None:
    """Add the words of a saved page (its title and text) to the dictionary: one insert that
    skips the words already there. Sorted, so that two saves at once take the unique index's
    locks in the same order."""
    words = sorted(text_words(text))
    if words:
        SearchWord.objects.bulk_create(
            [SearchWord(word=word) for word in words], ignore_conflicts=True
        )


def person_words_add(*, people: Iterable[User]) -> None:
    """Add the words of these people's names (and usernames) to the dictionary: one insert. A
    save of a person does it (handbook/switcher.py); a bulk insert of people calls it."""
    search_words_add(text=" ".join(_name_text(values) for values in _names(people)))


def team_words_add(*, team: Team) -> None:
    """Add the words of a team's name and slug to the dictionary (a save of the team does it,
    handbook/switcher.py)."""
    search_words_add(text=_team_text(team.name, team.slug))


def _names(people: Iterable[User]):
    for person in people:
        yield [getattr(person, field) for field in User.NAME_FIELDS]


def _name_text(values) -> str:
    return " ".join(value for value in values if value)


def _team_text(name: str, slug: str) -> str:
    return f"{name} {slug}"


def search_words_rebuild() -> int:
    """Remove the words that no page, no active person's name and no team's name uses any
    more (after deletions and edits); returns how many. Reads every page's text once: a
    periodic task, not part of a save."""
    used: set[str] = set()
    for title, text in Page.objects.values_list("title", "plain_text").iterator():
        used |= text_words(f"{title} {text}")
    active = User.objects.filter(is_active=True)
    for values in active.values_list(*User.NAME_FIELDS).iterator():
        used |= text_words(_name_text(values))
    for name, slug in Team.objects.values_list("name", "slug").iterator():
        used |= text_words(_team_text(name, slug))
    unused = [pk for pk, word in SearchWord.objects.values_list("pk", "word") if word not in used]
    for start in range(0, len(unused), PRUNE_BATCH):
        SearchWord.objects.filter(pk__in=unused[start : start + PRUNE_BATCH]).delete()
    missing = used - set(SearchWord.objects.values_list("word", flat=True))
    if missing:
        SearchWord.objects.bulk_create(
            [SearchWord(word=word) for word in sorted(missing)], ignore_conflicts=True
        )
    return len(unused)

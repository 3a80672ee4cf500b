"""The dictionary that mistyped search words are corrected against (handbook.SearchWord)."""

from handbook.models import Page, SearchWord
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


def search_words_rebuild() -> int:
    """Remove the words no page uses any more (after deletions and edits); returns how many.
    Reads every page's text once: a periodic task, not part of a save."""
    used: set[str] = set()
    for title, text in Page.objects.values_list("title", "plain_text").iterator():
        used |= text_words(f"{title} {text}")
    unused = [pk for pk, word in SearchWord.objects.values_list("pk", "word") if word not in used]
    for start in range(0, len(unused), PRUNE_BATCH):
        SearchWord.objects.filter(pk__in=unused[start : start + PRUNE_BATCH]).delete()
    missing = used - set(SearchWord.objects.values_list("word", flat=True))
    if missing:
        SearchWord.objects.bulk_create(
            [SearchWord(word=word) for word in sorted(missing)], ignore_conflicts=True
        )
    return len(unused)

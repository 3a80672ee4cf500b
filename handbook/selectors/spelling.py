"""Correcting mistyped search words against the handbook's own words (handbook.SearchWord).

On PostgreSQL a word of a search that no page uses is replaced by the most similar word that
one does (pg_trgm, over a GIN trigram index on the dictionary). SQLite has no trigrams: there
a search is never corrected."""

import re
from dataclasses import dataclass

from django.db import connection

from handbook.models import SEARCH_WORD_MAX_LENGTH, SEARCH_WORD_MIN_LENGTH

# Runs of letters, long enough to be worth keeping and not so long they are noise (a longer
# run is skipped whole, not cut).
_LETTERS = r"[^\W\d_]"
WORD = re.compile(
    rf"(?<!{_LETTERS}){_LETTERS}{{{SEARCH_WORD_MIN_LENGTH},{SEARCH_WORD_MAX_LENGTH}}}(?!{_LETTERS})"
)
# How close a dictionary word must be to the typed one to replace it: pg_trgm's
# word_similarity (shared trigrams); "relese" and "release" are at 0.57.
CORRECTION_THRESHOLD = 0.5
# Words of a search that are operators of websearch_to_tsquery, never corrected.
_OPERATORS = {"or", "and", "not"}


def text_words(text: str) -> set[str]:
    """The distinct lower-case words of a text that go into the dictionary."""
    return set(WORD.findall(text.lower()))


@dataclass(frozen=True)
class SearchCorrection:
    searched_for: str  # the search as run: the query with its unknown words corrected
    corrected: bool  # whether any word was replaced
    original: str  # the query as typed


# One query for a few words: a branch per word, which picks the dictionary words most like it.
# `%` (similarity >= pg_trgm.similarity_threshold, 0.3 by default) is what the GIN index
# answers; the word similarity then decides, and whole-word similarity breaks ties ("release"
# over "releases" for "relese"). The words are parameters of their own branch rather than rows
# of an unnest(): the planner then sees each word and reads the index (for a row of unnest()
# it guesses, and reads the whole table). `{known}` is either nothing or a WHERE that skips a
# word the dictionary has (no candidates are then looked for).
_SIMILAR_SQL = """
SELECT %s::text, ARRAY(
    SELECT candidate.word FROM handbook_searchword candidate
    WHERE candidate.word %% %s::text AND word_similarity(%s::text, candidate.word) >= %s
    ORDER BY similarity(candidate.word, %s::text) DESC,
             word_similarity(%s::text, candidate.word) DESC,
             candidate.word
    LIMIT %s
)
{known}
"""
_UNKNOWN_ONLY = (
    "WHERE NOT EXISTS (SELECT 1 FROM handbook_searchword known WHERE known.word = %s::text)"
)
# Words of a search corrected at most (a search is at most 200 characters).
CORRECTED_WORDS_MAX = 10


def similar_words(words: list[str], *, per_word: int, unknown_only: bool) -> dict[str, list[str]]:
    """For each of `words` (lower-case, at most CORRECTED_WORDS_MAX), the at most `per_word`
    dictionary words most like it, best first: a known word is its own best. With
    `unknown_only`, the words the dictionary has are left out (and cost nothing). One query on
    PostgreSQL; none on SQLite or for no words. A word with nothing like it is left out."""
    words = words[:CORRECTED_WORDS_MAX]
    if not words or connection.vendor != "postgresql":
        return {}
    branch = _SIMILAR_SQL.format(known=_UNKNOWN_ONLY if unknown_only else "")
    params = []
    for word in words:
        params += [word, word, word, CORRECTION_THRESHOLD, word, word, per_word]
        if unknown_only:
            params.append(word)
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join([branch] * len(words)), params)
        return {word: similar for word, similar in cursor.fetchall() if similar}


def _correctable_words(query: str) -> list[str]:
    """The words of a search that may be corrected: not excluded (`-word`), not operators."""
    words = []
    for match in WORD.finditer(query):
        if query[: match.start()].endswith("-"):
            continue
        word = match.group().lower()
        if word not in _OPERATORS and word not in words:
            words.append(word)
    return words


def search_correction(*, query: str) -> SearchCorrection:
    """The search to run for `query`: each word no page uses replaced by the most similar one
    that a page does, if one is similar enough; a known word, or one with nothing similar, is
    left as typed. One query, on PostgreSQL only; none for a search without words."""
    unchanged = SearchCorrection(searched_for=query, corrected=False, original=query)
    similar = similar_words(_correctable_words(query), per_word=1, unknown_only=True)
    corrections = {word: best for word, (best, *_others) in similar.items()}
    if not corrections:
        return unchanged

    def replace(match):
        if query[: match.start()].endswith("-"):
            return match.group()
        return corrections.get(match.group().lower(), match.group())

    return SearchCorrection(searched_for=WORD.sub(replace, query), corrected=True, original=query)

"""The quick switcher (Ctrl+K): the best matches for a few typed letters over everything one
can jump to, kind by kind.

Each app registers its kinds in its AppConfig.ready() with `switcher_register` (the handbook's
pages, teams and people in handbook/switcher.py; rotas and boards in their apps), so the
handbook never imports them. A kind's finder gets the query and a limit and answers at most
that many matches, best first: `name_matches` finds and ranks them for it, in one to three
small queries.
Releases will register theirs ("release", by version and train name) the same way when the
releases app lands.
"""

import functools
import re
from collections import namedtuple
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from django.contrib.postgres.search import TrigramWordSimilarity
from django.db import connection
from django.db.models import Case, F, Func, IntegerField, Q, QuerySet, TextField, Value, When
from django.db.models.functions import Collate, Upper

SWITCHER_LIMIT_PER_KIND = 5
SWITCHER_QUERY_MAX_LENGTH = 100
# Typo-tolerant matches need a few letters to compare trigrams with.
TYPO_MIN_LENGTH = 3
# How many word-start or typo matches are ranked at most, per kind and step (PostgreSQL):
# the ones the index gives first, so that a common word reads a bounded number of rows.
SWITCHER_CANDIDATES = 200


@dataclass(frozen=True)
class SwitcherMatch:
    kind: str  # the registered kind, e.g. "team"
    label: str  # what is shown and matched, e.g. the team's name
    url: str
    detail: str = ""  # a second line, e.g. the team's slug or a page's path


Finder = Callable[[str, int], Iterable[SwitcherMatch]]


@dataclass(frozen=True)
class SwitcherKind:
    name: str
    label: str  # the group's heading, e.g. "Teams"
    find: Finder
    order: int


_kinds: dict[str, SwitcherKind] = {}


def switcher_register(name: str, *, label: str, order: int = 100) -> Callable[[Finder], Finder]:
    """Register a kind of thing the switcher finds; call from AppConfig.ready(). `order`
    places its group among the others (lower first)."""

    def decorator(find: Finder) -> Finder:
        _kinds[name] = SwitcherKind(name=name, label=label, find=find, order=order)
        return find

    return decorator


def switcher_kinds() -> list[SwitcherKind]:
    return sorted(_kinds.values(), key=lambda kind: (kind.order, kind.name))


def switcher_search(
    *, query: str, limit: int = SWITCHER_LIMIT_PER_KIND
) -> list[tuple[SwitcherKind, list[SwitcherMatch]]]:
    """The best matches of each kind that has any, kinds in their order: at most `limit` of
    each, in one to three queries per kind (see name_matches; none for an empty query)."""
    # PostgreSQL takes no NUL character in a text.
    query = " ".join(query.replace("\x00", "").split())[:SWITCHER_QUERY_MAX_LENGTH]
    if not query:
        return []
    groups = []
    for kind in switcher_kinds():
        matches = list(kind.find(query, limit))[:limit]
        if matches:
            groups.append((kind, matches))
    return groups


def name_matches(
    queryset: QuerySet,
    *,
    fields: Iterable[str],
    query: str,
    values: Sequence[str],
    limit: int,
    large: bool = False,
) -> list[tuple]:
    """At most `limit` rows of `queryset` one of whose `fields` matches `query`, best first,
    each a named tuple of `values`: rows with a field starting with it (alphabetically by
    that field, case-blind), then rows with a word starting with its words (on PostgreSQL
    punctuation counts as a space: "scale team" finds "scale-team-4"), then (PostgreSQL,
    three letters or more) rows with a word like it by trigram word similarity (pg_trgm's
    `%>`, word_similarity at least 0.6), the likest first.

    A table of a few hundred rows (teams, rotas, boards) is ranked in one query. On a
    `large` one (pages, people), on PostgreSQL, each of the three is its own small query,
    run only while the ones before have left room, and no row is found twice: the first
    reads at most `limit` rows of an index per field, in the index's order; the others rank
    at most SWITCHER_CANDIDATES matches each, whichever the index gives first. A large table
    needs the indexes matching these expressions (docs/handbook.md, "Quick switcher")."""
    fields, values = list(fields), list(values)
    row = _row_type(tuple(values))
    if connection.vendor != "postgresql":
        return [
            row(*found) for found in _name_matches_plain(queryset, fields, query, values, limit)
        ]
    text = _joined(fields)
    prefix = Upper(Value(query, output_field=TextField()))
    has_words = bool(_NON_WORD.sub("", query))
    base = queryset.alias(
        **{f"switch_key_{i}": _prefix_key(field) for i, field in enumerate(fields)},
        switch_words=SwitchWords(text),
    )
    starts = Q()
    for i in range(len(fields)):
        starts |= Q(**{f"switch_key_{i}__startswith": prefix})
    word_starts = Q(switch_words__contains=QueryWords(Value(query, output_field=TextField())))
    typos = Q(switch_words__trigram_word_similar=query)
    if not large:
        found = starts | word_starts if has_words else starts
        if has_words and len(query) >= TYPO_MIN_LENGTH:
            found |= typos
        rows = (
            base.filter(found)
            .alias(similarity=TrigramWordSimilarity(query, text))
            .order_by(_rank(starts, word_starts), F("similarity").desc(), *fields)
            .values_list(*values)
        )
        return [row(*found_values) for found_values in rows[:limit]]
    found = _prefix_matches(queryset, fields, prefix, values, limit)
    if len(found) >= limit or not has_words:
        return [row(*found_values) for found_values in found]
    stages = [word_starts & ~starts]
    if len(query) >= TYPO_MIN_LENGTH:
        stages.append(typos & ~word_starts & ~starts)
    for stage in stages:
        # Unordered (no model ordering either): the first the index gives.
        candidates = base.filter(stage).order_by().values("pk")[:SWITCHER_CANDIDATES]
        ranked = (
            queryset.filter(pk__in=candidates)
            .alias(similarity=TrigramWordSimilarity(query, text))
            .order_by(F("similarity").desc(), *fields)
            .values_list(*values)
        )
        found += ranked[: limit - len(found)]
        if len(found) >= limit:
            break
    return [row(*found_values) for found_values in found]


class SwitchWords(Func):
    """A text's words, lower-cased, each after one space: " scale team 4 notes" for
    "Scale-team-4 notes". `LIKE '% word%'` on it finds a word start, which a trigram index on
    this very expression answers whatever the length of the word (the pages' in handbook
    migration 0011, the people's in accounts migration 0005)."""

    template = "(' ' || lower(regexp_replace(%(expressions)s, '[^[:alnum:]_]+', ' ', 'g')))"
    output_field = TextField()


class QueryWords(Func):
    """The query's words as SwitchWords has them, without a space at the end."""

    template = "(' ' || btrim(lower(regexp_replace(%(expressions)s, '[^[:alnum:]_]+', ' ', 'g'))))"
    output_field = TextField()


# What QueryWords drops: a query of none but these has no words to look for.
_NON_WORD = re.compile(r"\W+")


def _prefix_key(field: str) -> Collate:
    """What a prefix is matched and ordered by: `upper(field) COLLATE "C"`, which a btree index
    on the same expression reads in order for `LIKE 'PREFIX%'`."""
    return Collate(Upper(F(field)), "C")


def _prefix_matches(
    queryset: QuerySet, fields: list[str], prefix: Upper, values: list[str], limit: int
) -> list[tuple]:
    """The first `limit` rows (as `values`) with a field starting with `prefix`, by that
    field: the first `limit` of each field's, in one query (UNION ALL), merged."""
    per_field = [
        queryset.annotate(switch_key=_prefix_key(field))
        .filter(switch_key__startswith=prefix)
        .order_by("switch_key")
        .values_list("pk", "switch_key", *values)[:limit]
        for field in fields
    ]
    rows = per_field[0].union(*per_field[1:], all=True) if len(per_field) > 1 else per_field[0]
    found, seen = [], set()
    for pk, _key, *found_values in sorted(rows, key=lambda row: (row[1], row[0])):
        if pk not in seen:
            seen.add(pk)
            found.append(tuple(found_values))
    return found[:limit]


def _joined(fields: list[str]):
    if len(fields) == 1:
        return F(fields[0])
    # `a || ' ' || b`, not concat_ws(), which is not immutable and so cannot be indexed
    # (accounts' migration 0005 indexes the people's names this way). Fields must be NOT
    # NULL, as CharFields are.
    return Func(
        *(F(field) for field in fields),
        template="(%(expressions)s)",
        arg_joiner=" || ' ' || ",
        output_field=TextField(),
    )


@functools.cache
def _row_type(values: tuple[str, ...]) -> type:
    return namedtuple("Match", values)


def _name_matches_plain(
    queryset: QuerySet, fields: list[str], query: str, values: list[str], limit: int
) -> list[tuple]:
    """SQLite: fields starting with the query, then fields with a word starting with it, in
    one query."""
    starts = Q()
    word_starts = Q()
    for field in fields:
        starts |= Q(**{f"{field}__istartswith": query})
        for separator in (" ", "-"):
            word_starts |= Q(**{f"{field}__icontains": f"{separator}{query}"})
    rows = queryset.filter(starts | word_starts).order_by(_rank(starts, word_starts), *fields)
    return list(rows.values_list(*values)[:limit])


def _rank(starts: Q, word_starts: Q) -> Case:
    return Case(
        When(starts, then=Value(0)),
        When(word_starts, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )

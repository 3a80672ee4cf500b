"""The quick switcher (Ctrl+K): the best matches for a few typed letters over everything one
can jump to, kind by kind.

Each app registers its kinds in its AppConfig.ready() with `switcher_register` (the handbook's
pages, teams and people in handbook/switcher.py; rotas and boards in their apps), so the
handbook never imports them. A kind's finder gets the query and a limit and answers at most
that many matches, best first, in one query: `name_matches` does the ranking for it.
Releases will register theirs ("release", by version and train name) the same way when the
releases app lands.
"""

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import connection
from django.db.models import Case, F, Func, IntegerField, Q, QuerySet, TextField, Value, When

SWITCHER_LIMIT_PER_KIND = 5
SWITCHER_QUERY_MAX_LENGTH = 100
# Typo-tolerant matches need a few letters to compare trigrams with.
TYPO_MIN_LENGTH = 3


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
    each, in one query per kind (none for an empty query)."""
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


def name_matches(queryset: QuerySet, *, fields: Iterable[str], query: str) -> QuerySet:
    """`queryset` narrowed to the rows one of whose `fields` matches `query`, best first:
    fields starting with it, then fields with a word starting with it, then (PostgreSQL,
    three letters or more) fields with a word like it, by trigram word similarity (pg_trgm's
    `%>`, word_similarity at least 0.6). Slice it to the limit."""
    fields = list(fields)
    if connection.vendor != "postgresql":
        return _name_matches_plain(queryset, fields, query)
    # On PostgreSQL the word starts are a case-blind regular expression (`~*`) and the typos
    # `%>`, both of which a trigram index on a single field answers (the page titles have
    # one); several fields are matched as one text, so each row is compared once.
    escaped = re.escape(query)
    if len(fields) == 1:
        text = F(fields[0])
    else:
        # `a || ' ' || b`, not concat_ws(), which is not immutable and so cannot be indexed
        # (accounts' migration 0004 indexes the people's names this way). Fields must be
        # NOT NULL, as CharFields are.
        text = Func(
            *(F(field) for field in fields),
            template="(%(expressions)s)",
            arg_joiner=" || ' ' || ",
            output_field=TextField(),
        )
    queryset = queryset.alias(switch_text=text)
    found = Q(switch_text__iregex=rf"\m{escaped}")
    starts = Q()
    for field in fields:
        starts |= Q(**{f"{field}__iregex": rf"^{escaped}"})
    order = [_rank(starts, Q(switch_text__iregex=rf"\m{escaped}"))]
    if len(query) >= TYPO_MIN_LENGTH:
        from django.contrib.postgres.search import TrigramWordSimilarity

        found |= Q(switch_text__trigram_word_similar=query)
        queryset = queryset.alias(similarity=TrigramWordSimilarity(query, "switch_text"))
        order.append(F("similarity").desc())
    return queryset.filter(found).order_by(*order, *fields)


def _name_matches_plain(queryset: QuerySet, fields: list[str], query: str) -> QuerySet:
    """SQLite: fields starting with the query, then fields with a word starting with it."""
    starts = Q()
    word_starts = Q()
    for field in fields:
        starts |= Q(**{f"{field}__istartswith": query})
        for separator in (" ", "-"):
            word_starts |= Q(**{f"{field}__icontains": f"{separator}{query}"})
    return queryset.filter(starts | word_starts).order_by(_rank(starts, word_starts), *fields)


def _rank(starts: Q, word_starts: Q) -> Case:
    return Case(
        When(starts, then=Value(0)),
        When(word_starts, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )

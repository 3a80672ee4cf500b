"""The quick switcher (Ctrl+K): the best matches for a few typed letters over everything one
can jump to, kind by kind.

Each app registers its kinds in its AppConfig.ready() with `switcher_register` (the handbook's
pages, teams and people in handbook/switcher.py; rotas and boards in their apps), so the
handbook never imports them. A kind's finder gets the query and a limit and answers at most
that many matches, best first, in one query: `name_matches` does the ranking for it.
Releases will register theirs ("release", by version and train name) the same way when the
releases app lands.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import connection
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Greatest

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
    query = " ".join(query.split())[:SWITCHER_QUERY_MAX_LENGTH]
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
    starts = Q()
    word_starts = Q()
    for field in fields:
        starts |= Q(**{f"{field}__istartswith": query})
        word_starts |= Q(**{f"{field}__icontains": f" {query}"}) | Q(
            **{f"{field}__icontains": f"-{query}"}
        )
    found = starts | word_starts
    order = [
        Case(
            When(starts, then=Value(0)),
            When(word_starts, then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        )
    ]
    if connection.vendor == "postgresql" and len(query) >= TYPO_MIN_LENGTH:
        from django.contrib.postgres.search import TrigramWordSimilarity

        for field in fields:
            found |= Q(**{f"{field}__trigram_word_similar": query})
        similarities = [TrigramWordSimilarity(query, field) for field in fields]
        queryset = queryset.annotate(
            similarity=similarities[0] if len(similarities) == 1 else Greatest(*similarities)
        )
        order.append("-similarity")
    return queryset.filter(found).order_by(*order, *fields)

"""The quick switcher (Ctrl+K): the best matches for a few typed letters over everything one
can jump to, kind by kind.

Each app registers its kinds in its AppConfig.ready() with `switcher_register` (the handbook's
pages, teams and people in handbook/switcher.py; rotas and boards in their apps), so the
handbook never imports them. A kind's finder gets the query and a limit and answers at most
that many matches, best first: `name_matches` finds and ranks them for it, in one to five
small queries.
Releases will register theirs ("release", by version and train name) the same way when the
releases app lands.
"""

import functools
import itertools
import re
from collections import namedtuple
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from django.contrib.postgres.search import TrigramWordSimilarity
from django.db import connection, connections
from django.db.models import (
    BooleanField,
    Case,
    F,
    Func,
    IntegerField,
    Q,
    QuerySet,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Collate, Upper

from .spelling import WORD, similar_words

SWITCHER_LIMIT_PER_KIND = 5
SWITCHER_QUERY_MAX_LENGTH = 100
# Typo-tolerant matches need a few letters to compare trigrams with.
TYPO_MIN_LENGTH = 3
# How many word-start or typo matches are ranked at most, per kind and step (PostgreSQL):
# the ones the index gives first, so that a common word reads a bounded number of rows.
SWITCHER_CANDIDATES = 200
# How like the query a typo's name must be: pg_trgm's word_similarity, as its `%>` has it by
# default (pg_trgm.word_similarity_threshold).
WORD_SIMILARITY = 0.6
# A large kind's typos (see _typo_variants): dictionary words tried for each word of the
# query, and variants of the query tried in all.
TYPO_VARIANTS = 3
TYPO_QUERIES = 8


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
    each, in one to five queries per kind (see name_matches; none for an empty query)."""
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
    three letters or more) rows with a word like it by trigram word similarity
    (word_similarity at least 0.6), the likest first.

    A table of a few dozen rows (rotas, boards, trains) is ranked in one query, with `%>` for
    the typos. On a `large` one (pages, teams, people), on PostgreSQL, each step is its own
    small query, run only while the ones before have left room, and no row is found twice:
    the first reads at most `limit` rows of an index per field, in the index's order; the
    word starts rank at most SWITCHER_CANDIDATES matches, whichever the index gives first;
    the typos look up the dictionary's words like the query's (_typo_variants), then take
    the names starting with the variants so made, then those with a variant at a word start
    (at most SWITCHER_CANDIDATES, ranked). A large table needs the indexes matching these
    expressions, and its names' words in the dictionary (docs/handbook.md, "Quick
    switcher")."""
    fields, values = tuple(fields), tuple(values)
    row = _row_type(values)
    query = query.replace("\x00", "")  # PostgreSQL takes no NUL; the statements' markers have one
    if connection.vendor != "postgresql":
        return [
            row(*found)
            for found in _name_matches_plain(queryset, list(fields), query, list(values), limit)
        ]
    has_words = bool(_NON_WORD.sub("", query))
    shape = _Shape(queryset, fields, values, limit)
    typed = {_QUERY: query}
    if not large:
        typos = has_words and len(query) >= TYPO_MIN_LENGTH
        rows = shape.fetch(
            ("small", has_words, typos), lambda: _small(shape, has_words, typos), typed
        )
        return [row(*found_values) for found_values in rows]
    found = _prefix_merged(shape.fetch(("prefix",), lambda: _prefix(shape), typed), limit)
    if len(found) >= limit or not has_words:
        return [row(*found_values) for _pk, *found_values in found]
    # Each step: where its candidates are, and how like the query (as typed) they must be: a
    # word start is no worse for being unlike it, a typo must be like it (as `%>` has it). A
    # row an earlier step found is dropped here rather than excluded in SQL, which would
    # compute each candidate's words once more.
    seen = {pk for pk, *_found_values in found}

    def add(rows):
        for pk, *found_values in rows:
            if pk not in seen and len(found) < limit:
                seen.add(pk)
                found.append((pk, *found_values))

    add(shape.fetch(("words",), lambda: _ranked(shape, shape.word_starts(), 0), typed))
    if len(found) < limit and len(query) >= TYPO_MIN_LENGTH:
        variants = _typo_variants(query)
        markers = _VARIANTS[: len(variants)]
        substitutions = {**typed, **dict(zip(markers, variants, strict=True))}
        # As for the query as typed: names starting with a variant, in the index's order,
        # then names with a variant at a word start, ranked.
        if variants:
            step = ("typo prefix", len(variants))
            rows = shape.fetch(step, lambda: _prefix(shape, markers), substitutions)
            add(_prefix_merged(rows, limit))
        if variants and len(found) < limit:
            add(
                shape.fetch(
                    ("typos", len(variants)),
                    lambda: _ranked(shape, _any_word_starts(shape, markers), WORD_SIMILARITY),
                    substitutions,
                )
            )
    return [row(*found_values) for _pk, *found_values in found]


# The statements of name_matches are compiled once per shape (the kind's queryset, fields,
# values and limit, and the step) with markers where the query and its variants go, then run
# with them replaced: building and compiling them through the ORM cost about a millisecond
# each, more than most of them take to run, and a switcher answer runs a dozen. A marker has a
# NUL character, which no query has (name_matches drops it).
_QUERY = "\x00query\x00"
_VARIANTS = [f"\x00variant {n}\x00" for n in range(TYPO_QUERIES)]
_STATEMENTS_MAX = 512
_statements: dict[tuple, tuple[str, tuple]] = {}


@dataclass(frozen=True)
class _Shape:
    queryset: QuerySet
    fields: tuple[str, ...]
    values: tuple[str, ...]
    limit: int

    @property
    def text(self):
        return _joined(list(self.fields))

    def base(self) -> QuerySet:
        return self.queryset.alias(
            **{f"switch_key_{i}": _prefix_key(field) for i, field in enumerate(self.fields)},
            switch_words=SwitchWords(self.text),
        )

    def starts(self, query: str = _QUERY) -> Q:
        prefix = Upper(Value(query, output_field=TextField()))
        found = Q()
        for i in range(len(self.fields)):
            found |= Q(**{f"switch_key_{i}__startswith": prefix})
        return found

    def word_starts(self, query: str = _QUERY) -> Q:
        return Q(switch_words__contains=QueryWords(Value(query, output_field=TextField())))

    def similarity(self) -> TrigramWordSimilarity:
        return TrigramWordSimilarity(Value(_QUERY, output_field=TextField()), self.text)

    @functools.cached_property
    def key(self) -> tuple:
        """What tells this shape's statements from others': the queryset's own statement
        (compiled once a call, not once a step) and what is read of it."""
        base_sql, base_params = self.queryset.query.sql_with_params()
        # repr(): a parameter may be a list (`__in`), which is no dict key
        return (self.queryset.model, base_sql, repr(base_params), self.fields, self.values)

    def fetch(self, step: tuple, build: Callable[[], QuerySet], substitutions: dict) -> list:
        """The rows of the statement `build` makes for this step, with the markers replaced
        by `substitutions`; built and compiled on the first call only."""
        key = (*self.key, self.limit, *step)
        statement = _statements.get(key)
        if statement is None:
            sql, params = build().query.sql_with_params()
            for param in params:
                if isinstance(param, str) and "\x00" in param and param not in substitutions:
                    raise ValueError(f"a switcher statement changed its marker: {param!r}")
            if len(_statements) >= _STATEMENTS_MAX:
                _statements.clear()
            statement = _statements[key] = (sql, tuple(params))
        sql, params = statement
        with connections[self.queryset.db].cursor() as cursor:
            cursor.execute(sql, [_substituted(param, substitutions) for param in params])
            return cursor.fetchall()


def _substituted(param, substitutions: dict):
    return substitutions.get(param, param) if isinstance(param, str) else param


def _small(shape: _Shape, has_words: bool, typos: bool) -> QuerySet:
    """A small table's matches, ranked in one statement."""
    starts, word_starts = shape.starts(), shape.word_starts()
    found = starts | word_starts if has_words else starts
    if typos:
        found |= Q(switch_words__trigram_word_similar=Value(_QUERY, output_field=TextField()))
    return (
        shape.base()
        .filter(found)
        .alias(similarity=shape.similarity())
        .order_by(_rank(starts, word_starts), F("similarity").desc(), *shape.fields)
        .values_list(*shape.values)[: shape.limit]
    )


def _prefix(shape: _Shape, markers: Sequence[str] = (_QUERY,)) -> QuerySet:
    """The first `limit` rows with a field starting with the query (or with one of the
    variants `markers` stand for), by that field: the first `limit` of each field's and
    query's, in one statement (UNION ALL), merged by _prefix_merged."""
    parts = [
        shape.queryset.annotate(switch_key=_prefix_key(field))
        .filter(switch_key__startswith=Upper(Value(marker, output_field=TextField())))
        .order_by("switch_key")
        .values_list("pk", "switch_key", *shape.values)[: shape.limit]
        for marker in markers
        for field in shape.fields
    ]
    return parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]


def _prefix_merged(rows: list[tuple], limit: int) -> list[tuple]:
    """The rows of _prefix by key, each once, as (pk, *values)."""
    found, seen = [], set()
    for pk, _key, *found_values in sorted(rows, key=lambda row: (row[1], row[0])):
        if pk not in seen:
            seen.add(pk)
            found.append((pk, *found_values))
    return found[:limit]


def _any_word_starts(shape: _Shape, markers: list[str]) -> "WordStartsAny":
    return WordStartsAny(
        SwitchWords(shape.text), *(Value(marker, output_field=TextField()) for marker in markers)
    )


def _ranked(shape: _Shape, stage: Q | Func, least_similarity: float) -> QuerySet:
    """At most SWITCHER_CANDIDATES rows of `stage` at least `least_similarity` like the query,
    unordered (no model ordering either: the first the index gives), ranked by how like it
    they are, as (pk, *values). Not `%>`: the planner would answer that with the index, over
    every row sharing a trigram with the query, rather than over the rows this step finds."""
    candidates = shape.base().filter(stage)
    if least_similarity:
        candidates = candidates.alias(similarity=shape.similarity()).filter(
            similarity__gte=least_similarity
        )
    candidates = candidates.order_by().values("pk")[:SWITCHER_CANDIDATES]
    # Twice as many as shown: as many of the best may be rows an earlier step found.
    return (
        shape.queryset.filter(pk__in=candidates)
        .alias(similarity=shape.similarity())
        .order_by(F("similarity").desc(), *shape.fields)
        .values_list("pk", *shape.values)[: 2 * shape.limit]
    )


def _typo_variants(query: str) -> list[str]:
    """What a large kind looks for typos with: the query with each of its words replaced by a
    dictionary word like it (handbook.SearchWord, which has the words of page titles and texts,
    of people's names and of team names; at most TYPO_VARIANTS a word and TYPO_QUERIES in all,
    the likest first), each to be found at a name's start or a word start. `%>` over the
    whole table would compare every name sharing a trigram with the query ("enginer" and ten
    thousand "Engineer <n>"); a dictionary word of the name is matched by an index instead.
    A variant that another starts ("incident" for "incidents") finds nothing more and is left
    out. None at all when the dictionary has nothing like any word but the words themselves."""
    typed = query.lower()
    words = list(dict.fromkeys(WORD.findall(typed)))
    similar = similar_words(words, per_word=TYPO_VARIANTS, unknown_only=False)
    if not similar:
        return []
    choices = [similar.get(word, [word]) for word in words]
    variants = []
    # The likest combinations come first; a query of many words has too many to try.
    for chosen in itertools.islice(itertools.product(*choices), 4 * TYPO_QUERIES):
        replacement = dict(zip(words, chosen, strict=True))
        variant = WORD.sub(lambda match, chosen=replacement: chosen[match.group()], typed)
        if variant != typed and variant not in variants:
            variants.append(variant)
    variants = [v for v in variants if not any(v != o and v.startswith(o) for o in variants)]
    return variants[:TYPO_QUERIES]


class SwitchWords(Func):
    """A text's words, lower-cased, each after one space: " scale team 4 notes" for
    "Scale-team-4 notes". `LIKE '% word%'` on it finds a word start, which a trigram index on
    this very expression answers whatever the length of the word. The SQL function
    `bosun_switch_words` (handbook migration 0013, which also builds the indexes of pages,
    people and teams on it) is `' ' || lower(regexp_replace(text, '[^[:alnum:]_]+', ' ',
    'g'))`, costed as the regexp it is, so that the planner reads the index rather than
    compute it for every row of a small table."""

    function = "bosun_switch_words"
    output_field = TextField()


class WordStartsAny(Func):
    """Whether a SwitchWords text has any of several queries' words at a word start:
    `words LIKE ANY (ARRAY['% engineer 77%', ...])`, each pattern made (and escaped) in SQL as
    the `contains` lookup makes it. One test a row, not one a query: the text is computed once
    (an OR of LIKEs computes it for each, which on a table read whole costs more than all the
    rest), and a bitmap scan of the trigram index answers the array as it does one pattern."""

    output_field = BooleanField()

    def as_sql(self, compiler, connection, **extra_context):
        words, *queries = self.get_source_expressions()
        sql, params = compiler.compile(words)
        patterns = []
        for query in queries:
            query_sql, query_params = compiler.compile(QueryWords(query))
            patterns.append(f"('%%' || {connection.pattern_esc.format(query_sql)} || '%%')")
            params = (*params, *query_params)
        return f"({sql} LIKE ANY (ARRAY[{', '.join(patterns)}]))", params


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

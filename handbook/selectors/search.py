"""Search: ranked full-text and title matches on PostgreSQL, a plain match elsewhere, and
snippets quoting the matches."""

from django.db.models import Q

from handbook.models import Page, Team

from .spelling import SearchCorrection, search_correction


def page_search(*, query: str, team: Team | None = None, limit: int = 50) -> list[Page]:
    """Pages ranked by relevance: full-text (title > headings > body) plus typo-tolerant
    title matching on PostgreSQL; a plain substring match elsewhere. Each result carries
    `rank`; `page_search_snippets` quotes the ones that will be shown."""
    from django.db import connection

    query = query.strip()
    if not query:
        return []
    pages = Page.objects.select_related("team")
    if team is not None:
        pages = pages.filter(team=team)
    if connection.vendor == "postgresql":
        return _page_search_postgres(pages, query, limit)
    return _page_search_plain(pages, query, limit)


def page_search_corrected(
    *, query: str, team: Team | None = None, limit: int = 50, exact: bool = False
) -> tuple[list[Page], SearchCorrection]:
    """page_search for the query with its mistyped words corrected (see
    search_correction; `exact`: as typed), and the correction, which says what was searched
    for. Quote the results with the corrected words (`correction.searched_for`)."""
    query = query.strip()
    if exact:
        correction = SearchCorrection(searched_for=query, corrected=False, original=query)
    else:
        correction = search_correction(query=query)
    return page_search(query=correction.searched_for, team=team, limit=limit), correction


SNIPPET_OPTIONS = {
    "start_sel": "<mark>",
    "stop_sel": "</mark>",
    "max_words": 30,
    "min_words": 12,
}


# Full-text ranking computes ts_rank over every match, which at a hundred thousand pages is
# tens of thousands for a common word. Pages with the words in their title or a heading come
# first (found through a GIN index on those parts of the vector alone, migration 0010); only
# when they are too few are pages matching in the body alone ranked too. Either way, at most
# RANKED_CANDIDATES of them are ranked.
RANKED_CANDIDATES = 1000
_HEAD_PARTS = "ts_filter(%(expressions)s, '{a,b}'::\"char\"[])"


def _text_matches(pages, search_query, limit) -> list[tuple[int, str, float, int]]:
    """(pk, path, score, step) of the best full-text matches: those naming the words in a
    title or heading (step 0), best first, ties by path; then, while there is room, those
    matching in the body alone (step 1)."""
    from django.contrib.postgres.search import SearchRank, SearchVectorField
    from django.db.models import F, Func

    def ranked(matching, step):
        candidates = matching.order_by().values("pk")[:RANKED_CANDIDATES]
        rows = (
            pages.filter(pk__in=candidates)
            .annotate(score=SearchRank(F("search_vector"), search_query))
            .order_by("-score", "path")
            .values_list("pk", "path", "score")[:limit]
        )
        return [(pk, path, score, step) for pk, path, score in rows]

    head = Func(F("search_vector"), template=_HEAD_PARTS, output_field=SearchVectorField())
    found = ranked(pages.alias(head=head).filter(head=search_query), 0)
    if len(found) < limit:
        known = [pk for pk, *_ in found]
        body = pages.filter(search_vector=search_query).exclude(pk__in=known)
        found += ranked(body, 1)[: limit - len(found)]
    return found


def _page_search_postgres(pages, query, limit):
    """Ranked in index-driven queries, merged here: full-text matches by ts_rank (see
    _text_matches), then, when those leave room, typo-tolerant title matches by word distance
    (trigram GiST on the title, which hands them over best first). One query with an OR would
    compute both scores for every match. Only the top results are then quoted, since a
    headline is costly."""
    from django.contrib.postgres.search import SearchQuery
    from django.db.models import F, FloatField, Func, Value

    search_query = SearchQuery(query, search_type="websearch", config="english")
    # Each step's matches come after the earlier steps' (a page keeps its earliest step and
    # its best score), so that asking for more results only adds to the end: pages of
    # results never overlap, however far one pages.
    ranks: dict[int, float] = {}
    steps: dict[int, int] = {}
    paths: dict[int, str] = {}
    by_text = _text_matches(pages, search_query, limit)
    for pk, path, score, step in by_text:
        ranks[pk], steps[pk], paths[pk] = score, step, path
    if len(by_text) < limit:
        # `title <->> query` is 1 - word_similarity(query, title), with the indexed column on
        # the left so that the GiST index can order by it (Django's TrigramWordDistance puts
        # it right).
        distance = Func(
            F("title"),
            Value(query),
            arg_joiner=" <->> ",
            template="%(expressions)s",
            output_field=FloatField(),
        )
        by_title = (
            pages.filter(title__trigram_word_similar=query)
            .annotate(distance=distance)
            .order_by("distance", "path")
            .values_list("pk", "path", "distance")[:limit]
        )
        for pk, path, distance in by_title:
            ranks[pk], paths[pk] = max(ranks.get(pk, 0.0), (1 - distance) * 0.5), path
            steps.setdefault(pk, 2)
    # Ties go by path, in every query and here.
    order = sorted(ranks, key=lambda pk: (steps[pk], -ranks[pk], paths[pk]))[:limit]
    place = {pk: n for n, pk in enumerate(order)}
    results = list(pages.filter(pk__in=order).defer("markdown", "search_vector", "plain_text"))
    for page in results:
        page.rank = ranks[page.pk]
    results.sort(key=lambda page: place[page.pk])
    return results


# A headline parses the text it is given, so a long page is quoted from a window around its
# first match only. PostgreSQL finds that with a regular expression: a word starting with one
# of the query's stems or with one of its words as typed (stems are not always the start of
# their word: "policy" is "polici"). Only word characters go into the pattern. When nothing
# is found, the window is the start of the page.
SNIPPET_WINDOW_CHARS = 1200
SNIPPET_LEAD_CHARS = 300
_SNIPPET_WINDOW_SQL = """
CASE WHEN char_length(plain_text) <= %s THEN plain_text
ELSE substr(plain_text, greatest(1, coalesce(nullif(regexp_instr(plain_text, (
    SELECT '\\m(' || string_agg(word, '|') || ')'
    FROM unnest(tsvector_to_array(to_tsvector('english', %s)) || %s::text[]) AS typed(raw),
         regexp_replace(raw, '\\W', '', 'g') AS word
    WHERE word <> ''
), 1, 1, 0, 'i'), 0), 1) - %s), %s) END
"""


def _typed_words(query: str) -> list[str]:
    """The words of a search as typed, lower case, without the ones it excludes (`-word`)."""
    return [
        word.lower().strip("\"'")
        for word in query.split()
        if not word.startswith("-") and word.lower() != "or"
    ]


def page_search_snippets(*, pages: list[Page], query: str) -> None:
    """Set `snippet` on the results about to be shown: their text around the matches, HTML
    with <mark> tags and everything else escaped. One query, on PostgreSQL."""
    from django.db import connection

    if not pages:
        return
    if connection.vendor != "postgresql":
        for page in pages:
            page.snippet = _plain_snippet(page.plain_text, query)
        return
    from django.contrib.postgres.search import SearchHeadline, SearchQuery
    from django.db.models import TextField
    from django.db.models.expressions import RawSQL

    search_query = SearchQuery(query, search_type="websearch", config="english")
    # The query text goes in as a parameter, never into the SQL string.
    window = RawSQL(  # noqa: S611
        _SNIPPET_WINDOW_SQL,
        (
            SNIPPET_WINDOW_CHARS,
            query,
            _typed_words(query),
            SNIPPET_LEAD_CHARS,
            SNIPPET_WINDOW_CHARS,
        ),
        output_field=TextField(),
    )
    headlines = dict(
        Page.objects.filter(pk__in=[page.pk for page in pages])
        .annotate(
            headline=SearchHeadline(window, search_query, config="english", **SNIPPET_OPTIONS)
        )
        .values_list("pk", "headline")
    )
    for page in pages:
        page.snippet = _safe_snippet(headlines.get(page.pk, ""))


def _page_search_plain(pages, query, limit):

    results = list(
        pages.filter(Q(title__icontains=query) | Q(plain_text__icontains=query)).order_by("path")[
            :limit
        ]
    )
    for page in results:
        page.rank = 1.0 if query.lower() in page.title.lower() else 0.5
    results.sort(key=lambda p: (-p.rank, p.path))
    return results


def _plain_snippet(text: str, query: str) -> str:
    """About 60 characters before the first match and 100 after, cut at word boundaries
    where one is near (text without spaces is cut where the counts end)."""
    import html

    at = text.lower().find(query.lower())
    if at < 0:
        at = end = 0
    else:
        end = at + len(query)
    start = max(at - 60, 0)
    if start:
        space = text.rfind(" ", max(start - 40, 0), start)
        start = space + 1 if space >= 0 else start
    stop = min(end + 100, len(text))
    if stop < len(text):
        space = text.find(" ", stop, stop + 40)
        stop = space if space >= 0 else stop
    before = ("… " if start else "") + html.escape(text[start:at])
    after = html.escape(text[end:stop]) + (" …" if stop < len(text) else "")
    matched = f"<mark>{html.escape(text[at:end])}</mark>" if end > at else ""
    return f"{before}{matched}{after}"


def _safe_snippet(snippet: str) -> str:
    """PostgreSQL's headline is raw page text with <mark> added: escape all but the marks."""
    import html

    escaped = html.escape(snippet or "")
    return escaped.replace("&lt;mark&gt;", "<mark>").replace("&lt;/mark&gt;", "</mark>")

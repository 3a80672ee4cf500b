from typing import NamedTuple

from django.contrib.auth import get_user_model
from django.db.models import Count, Prefetch, Q, QuerySet

from .models import Membership, Page, PageLink, PageRedirect, Team

User = get_user_model()


def memberships_with_team() -> QuerySet[Membership]:
    return Membership.objects.select_related("team").order_by("team__name")


def team_directory(*, search: str = "") -> QuerySet[Team]:
    """Teams with their parent and member count, in one query: the directory's rows."""
    teams = (
        Team.objects.select_related("parent")
        .annotate(member_count=Count("memberships", distinct=True))
        .order_by("name")
    )
    return teams.filter(team_matches(search=search)) if search else teams


def team_matches(*, search: str) -> Q:
    return Q(name__icontains=search) | Q(slug__icontains=search) | Q(mission__icontains=search)


def team_list(*, search: str = "") -> QuerySet[Team]:
    """Teams with members and contacts too, in a fixed number of queries."""
    return team_directory(search=search).prefetch_related(
        Prefetch(
            "memberships",
            queryset=Membership.objects.select_related("user").order_by("user__username"),
        ),
        "contacts",
    )


def team_get(*, slug: str) -> Team:
    return team_list().get(slug=slug)


def team_can_edit(*, user, team: Team) -> bool:
    """Admins with the change permission, or the team's leads and managers."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.has_perm("handbook.change_team"):
        return True
    return Membership.objects.filter(
        team=team, user=user, role__in=Membership.MANAGING_ROLES
    ).exists()


def person_list(*, include_inactive: bool = False) -> QuerySet:
    people = User.objects.prefetch_related(
        Prefetch("memberships", queryset=memberships_with_team())
    ).order_by("username")
    return people if include_inactive else people.filter(is_active=True)


def person_get(*, username: str):
    return person_list(include_inactive=True).get(username=username)


# Pages


def page_can_edit(
    *,
    user,
    page: Page | None = None,
    team: Team | None = None,
    known: dict[str, int] | None = None,
) -> bool:
    """Admins, and members of the page's owning team (for a new page: of the chosen team).

    Every page view asks, so the answer is kept in the caches under the versions of
    memberships and permissions, for a few minutes at most (a change that slipped past the
    versions cannot outlast that); `known`: those versions (pages.view_versions()), when
    read already. Whether the person is active or a superuser comes from their row, which
    each request reads anyway."""
    from config.cache import LOCAL_TIMEOUT, layered_get_or_set

    from .generators import RIGHTS_DEPENDENCY
    from .pages import MEMBERS_DEPENDENCY, view_versions

    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    owner = page.team_id if page is not None else (team.pk if team else None)
    current = known or view_versions()
    key = (
        f"handbook:can-edit:{user.pk}:{owner}:"
        f"{current[MEMBERS_DEPENDENCY]}:{current[RIGHTS_DEPENDENCY]}"
    )
    return layered_get_or_set(
        key, lambda: _page_rights_read(user=user, owner=owner), timeout=LOCAL_TIMEOUT
    )


def _page_rights_read(*, user, owner: int | None) -> bool:
    """One query for both ways in: the change permission, held directly or through a group
    (as ModelBackend, our only auth backend, grants it), or membership of the owning team."""
    from django.contrib.auth.models import Permission
    from django.db.models import Exists

    granted = Permission.objects.filter(
        content_type__app_label="handbook", codename="change_page"
    ).filter(Q(user=user) | Q(group__user=user))
    allowed = Exists(granted)
    if owner is not None:
        allowed |= Exists(Membership.objects.filter(team_id=owner, user=user))
    return User.objects.filter(pk=user.pk).filter(allowed).exists()


# What showing a page needs; the search columns (plain text, vector) are left in the table.
PAGE_VIEW_FIELDS = (
    "path",
    "title",
    "markdown",
    "team",
    "review_by",
    "reviewed_at",
    "anchors",
    "updated_at",
)


def page_find(*, path: str) -> tuple[Page | None, str | None]:
    """(page, None) for a page; (None, new path) for an old path that moved; (None, None)."""
    # The big derived columns are for search; a view never needs them.
    page = (
        Page.objects.select_related("team")
        .only(*PAGE_VIEW_FIELDS, "team__slug", "team__name")
        .filter(path=path)
        .first()
    )
    if page is not None:
        return page, None
    redirect = PageRedirect.objects.select_related("page").filter(old_path=path).first()
    if redirect is not None:
        return None, redirect.page.path
    return None, None


def page_find_for_view(
    *, path: str, known: dict[str, int] | None = None
) -> tuple[Page | None, str | None]:
    """page_find for showing a page, from a cache: the row is read from the database once
    per change of any page's row or any team (both versions are in the key), so a cached
    page view needs no query for it. `known`: versions from pages.view_versions(), when
    read already. Never use the row to change a page."""
    from config.cache import layered_get, layered_set

    from .pages import PAGE_ROWS_DEPENDENCY, TEAMS_DEPENDENCY, view_versions

    current = known or view_versions()
    key = f"handbook:page-row:{path}:{current[PAGE_ROWS_DEPENDENCY]}:{current[TEAMS_DEPENDENCY]}"
    page = layered_get(key)
    if page is not None:
        return page, None
    page, moved_to = page_find(path=path)
    if page is not None:
        layered_set(key, page, timeout=24 * 3600)
    return page, moved_to


def page_navigation(
    *, current: str = "", depth: int = 1, known: dict[str, int] | None = None
) -> dict:
    """The navigation around a page: `tree`, the handbook as folders, pruned to the first
    `depth` levels plus the folders along `current`'s path; `breadcrumbs`, its ancestor
    folders (linked to their index pages); and `key`, naming this exact tree for caches.

    The page list is read once per change of the page set (titles included) and the result
    kept in the caches, so a page view costs no query and no round trip here once warm, however
    large the handbook. `known`: versions from pages.view_versions(), when read already.
    """
    from config.cache import layered_get_or_set

    from .generators import versions
    from .pages import PAGES_DEPENDENCY

    tree_version = (known or versions([PAGES_DEPENDENCY]))[PAGES_DEPENDENCY]
    folder = current.rpartition("/")[0]

    def build() -> dict:
        full = _tree_full()
        return {
            "tree": _tree_pruned(full, current=current, depth=depth),
            "breadcrumbs": _breadcrumbs(full, current=current),
            "key": f"{tree_version}:{depth}:{folder}",
        }

    return layered_get_or_set(
        f"handbook:nav:{tree_version}:{depth}:{current}", build, timeout=24 * 3600
    )


def _breadcrumbs(full: dict, *, current: str) -> list[dict]:
    crumbs = []
    node = full
    parts = current.split("/")[:-1]
    for i, part in enumerate(parts):
        node = node["children"].get(part, {"children": {}, "page": None})
        index = node["page"]
        if index is not None and index["path"] == current:
            break
        crumbs.append(
            {
                "title": index["title"] if index else part,
                "path": index["path"] if index else None,
                "folder": "/".join(parts[: i + 1]),
            }
        )
    return crumbs


def _tree_full() -> dict:
    root: dict = {"children": {}, "page": None}
    for path, title in Page.objects.order_by("path").values_list("path", "title"):
        node = root
        parts = path.split("/")
        for part in parts[:-1]:
            node = node["children"].setdefault(part, {"children": {}, "page": None})
        if parts[-1] == "index":
            node["page"] = {"path": path, "title": title}
        else:
            child = node["children"].setdefault(parts[-1], {"children": {}, "page": None})
            child["page"] = {"path": path, "title": title}
    return root


def _tree_pruned(node: dict, *, current: str, depth: int, prefix: str = "") -> list[dict]:
    items = []
    for name, child in sorted(node["children"].items()):
        folder = f"{prefix}{name}"
        on_path = current.startswith(f"{folder}/")
        expand = on_path or depth > 1
        items.append(
            {
                "name": name,
                "page": child["page"],
                "children": _tree_pruned(
                    child, current=current, depth=depth - 1, prefix=f"{folder}/"
                )
                if expand
                else [],
                "collapsed": bool(child["children"]) and not expand,
            }
        )
    return items


def page_links(*, page: Page) -> list[PageLink]:
    return list(page.links.order_by("position"))


def broken_links(*, team: Team | None = None):
    links = (
        PageLink.objects.filter(broken=True)
        .select_related("page")
        .order_by("page__path", "position")
    )
    return links.filter(page__team=team) if team is not None else links


class BrokenLink(NamedTuple):
    page_path: str
    href: str
    reason: str


def broken_links_described(
    *, team: Team | None = None, paths: set[str] | None = None
) -> list[BrokenLink]:
    """Broken links (of a team's pages, or of the given pages) with why each is broken."""
    from .pages import targets_lookup

    links = broken_links(team=team)
    if paths is not None:
        links = links.filter(page__path__in=paths)
    links = list(links)
    targets = targets_lookup({link.target_path for link in links if link.target_path})
    described = []
    for link in links:
        target = targets.get(link.target_path) if link.target_path else None
        if link.target_path is None:
            reason = "not a handbook link"
        elif link.target_path.startswith("../"):
            # The renderer keeps the `..` of links that climb out of the tree: no page could
            # ever be created there.
            reason = "missing page: the link leads above the handbook's root"
        elif target is None:
            reason = f"missing page {link.target_path}"
        else:
            reason = f"missing anchor #{link.anchor} on {target.path}"
        described.append(BrokenLink(link.page.path, link.href, reason))
    return described


def pages_linking_to(*, path: str):
    return Page.objects.filter(links__target_path=path).distinct().order_by("path")


def pages_stale(*, today, team: Team | None = None):
    pages = Page.objects.filter(review_by__lt=today).select_related("team").order_by("review_by")
    return pages.filter(team=team) if team is not None else pages


def page_list(*, team: Team | None = None):
    pages = Page.objects.select_related("team").order_by("path")
    return pages.filter(team=team) if team is not None else pages


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


SNIPPET_OPTIONS = {
    "start_sel": "<mark>",
    "stop_sel": "</mark>",
    "max_words": 30,
    "min_words": 12,
}


def _page_search_postgres(pages, query, limit):
    """Ranked in two index-driven queries, merged here: full-text matches by ts_rank (GIN on
    the vector), and typo-tolerant title matches by word distance (trigram GiST on the title,
    which hands them over best first). One query with an OR would compute both scores for
    every match. Only the top results are then quoted, since a headline is costly."""
    from django.contrib.postgres.search import SearchQuery, SearchRank
    from django.db.models import F, FloatField, Func, Value

    search_query = SearchQuery(query, search_type="websearch", config="english")
    ranks: dict[int, float] = {}
    by_text = (
        pages.filter(search_vector=search_query)
        .annotate(score=SearchRank(F("search_vector"), search_query))
        .order_by("-score")
        .values_list("pk", "score")[:limit]
    )
    # `title <->> query` is 1 - word_similarity(query, title), with the indexed column on the
    # left so that the GiST index can order by it (Django's TrigramWordDistance puts it right).
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
        .order_by("distance")
        .values_list("pk", "distance")[:limit]
    )
    for pk, score in by_text:
        ranks[pk] = score
    for pk, distance in by_title:
        ranks[pk] = max(ranks.get(pk, 0.0), (1 - distance) * 0.5)
    top = dict(sorted(ranks.items(), key=lambda item: -item[1])[:limit])
    results = list(pages.filter(pk__in=top).defer("markdown", "search_vector", "plain_text"))
    for page in results:
        page.rank = top[page.pk]
    results.sort(key=lambda page: (-page.rank, page.path))
    return results


# A headline parses the text it is given, so a long page is quoted from a window around its
# first match only. PostgreSQL finds that with a regular expression: a word starting with one
# of the query's stems or with one of its words as typed (stems are not always the start of
# their word: "policy" is "polici"). Only word characters go into the pattern. When nothing
# is found, the window is the start of the page.
SNIPPET_WINDOW_CHARS = 3000
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


# Meetings


def team_meetings_upcoming(*, team: Team, now, count: int = 3) -> list[dict]:
    from .meetings import describe_recurrence, meeting_occurrences

    return [
        {
            "meeting": meeting,
            "cadence": describe_recurrence(meeting.recurrence),
            "next": meeting_occurrences(meeting=meeting, after=now, count=count),
        }
        for meeting in team.meetings.all()
    ]


def team_meetings_ical(*, team: Team) -> bytes:
    """An iCalendar feed of the team's meetings; UIDs are stable across requests."""
    from datetime import timedelta
    from zoneinfo import ZoneInfo

    from django.conf import settings
    from icalendar import Calendar, Event, vRecur

    calendar = Calendar()
    calendar.add("prodid", "-//Bosun//Team meetings//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"{team.name} meetings")
    host = settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0] or "bosun"
    for meeting in team.meetings.all():
        event = Event()
        event.add("uid", f"meeting-{meeting.pk}@{host}")
        event.add("summary", meeting.name)
        if meeting.topic or meeting.participants:
            event.add("description", "\n".join(filter(None, [meeting.topic, meeting.participants])))
        start = meeting.start.astimezone(ZoneInfo(meeting.timezone))
        event.add("dtstart", start)
        event.add("dtend", start + timedelta(minutes=meeting.duration_minutes))
        event.add("dtstamp", meeting.start)
        if meeting.recurrence:
            event.add("rrule", vRecur.from_ical(meeting.recurrence.removeprefix("RRULE:")))
        calendar.add_component(event)
    return calendar.to_ical()

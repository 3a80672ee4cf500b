"""The ticket page's reads: one ticket with its comments, history and mentions, rendered by
the handbook's markdown pipeline, in a fixed number of queries."""

from dataclasses import dataclass

from django.core.exceptions import FieldDoesNotExist
from django.db.models import Prefetch, Q

from handbook import selectors as handbook_selectors
from handbook.models import Page
from handbook.pages import page_url
from handbook.rendering import PageTarget, render_markdown

from .. import mentions
from ..models import Activity, Comment, Label, Ticket

ACTIVITY_SHOWN = 100  # the latest changes a ticket page lists
MENTIONED_BY_SHOWN = 50
MENTIONS_RESOLVED = 200  # of each kind: a pasted list of a thousand keys makes no huge query


def ticket_get(*, key: str) -> Ticket:
    """The ticket of this key, with its board and team; raises Ticket.DoesNotExist for a key
    that is malformed or names no ticket."""
    parsed = mentions.key_parse(key)
    if parsed is None:
        raise Ticket.DoesNotExist(key)
    prefix, number = parsed
    return Ticket.objects.select_related("board__team").get(board__key_prefix=prefix, number=number)


def ticket_key_moved(*, key: str) -> Ticket | None:
    """The ticket that had this key before it was routed to another board, if any: old keys
    are never given out again, so links to them keep working."""
    if mentions.key_parse(key) is None:
        return None
    found = (
        Activity.objects.filter(action="routed", changes__key__0=key)
        .select_related("ticket__board")
        .order_by("-at", "-id")
        .first()
    )
    return found.ticket if found else None


@dataclass
class Mentions:
    tickets: list[Ticket]  # in order of first mention
    pages: list[Page]  # likewise; the current page when the link names an old path
    targets: dict[str, PageTarget]  # every linked path found, for rendering the texts


def ticket_mentions(*, texts: list[str], exclude: Ticket | None = None) -> Mentions:
    """The existing tickets and handbook pages the texts mention (see tickets.mentions):
    each text parsed once, then one query for the tickets and one for the pages."""
    keys, paths = {}, {}
    for text in texts:
        keys.update(dict.fromkeys(mentions.ticket_keys(text)))
        paths.update(dict.fromkeys(mentions.page_paths(text)))
    keys = dict.fromkeys(list(keys)[:MENTIONS_RESOLVED])
    paths = dict.fromkeys(list(paths)[:MENTIONS_RESOLVED])
    tickets = []
    if keys:
        condition = Q()
        for prefix, number in keys:
            condition |= Q(board__key_prefix=prefix, number=number)
        found = {
            (ticket.board.key_prefix, ticket.number): ticket
            for ticket in Ticket.objects.filter(condition).select_related("board")
        }
        tickets = [
            found[key]
            for key in keys
            if key in found and (exclude is None or found[key].pk != exclude.pk)
        ]
    pages = handbook_selectors.pages_at(paths=set(paths)) if paths else {}
    shown = list({pages[path].pk: pages[path] for path in paths if path in pages}.values())
    targets = {
        path: PageTarget(path=page.path, anchors=page.anchors) for path, page in pages.items()
    }
    return Mentions(tickets=tickets, pages=shown, targets=targets)


def ticket_mentioned_by(*, ticket: Ticket) -> list[Ticket]:
    """Tickets whose description or comments mention this one by its key: one query."""
    # A word boundary that PostgreSQL's and Python's regular expressions both understand.
    pattern = rf"(^|[^A-Za-z0-9_]){ticket.key}([^A-Za-z0-9_]|$)"
    commented = Comment.objects.filter(markdown__regex=pattern).values("ticket_id")
    return list(
        Ticket.objects.filter(Q(description__regex=pattern) | Q(pk__in=commented))
        .exclude(pk=ticket.pk)
        .select_related("board")
        .order_by("board__key_prefix", "number")[:MENTIONED_BY_SHOWN]
    )


@dataclass
class RenderedComment:
    comment: Comment
    html: str


@dataclass
class ActivityLine:
    activity: Activity
    words: str  # what happened, after the person's name: "moved it to Done"


@dataclass
class TicketPage:
    ticket: Ticket
    description_html: str
    comments: list[RenderedComment]
    activity: list[ActivityLine]  # newest first
    activity_more: bool  # older changes than those listed exist
    mentions: Mentions
    mentioned_by: list[Ticket]


def _render(markdown: str, targets: dict[str, PageTarget]) -> str:
    """The text as the handbook renders pages (sanitised), its page links resolved from
    `targets`, found beforehand for every text of the page at once."""
    return render_markdown(
        markdown,
        page_path=mentions.TEXT_PATH,
        lookup=lambda paths: {path: targets[path] for path in paths if path in targets},
        url_for=lambda path: "" if path == mentions.TEXT_PATH else page_url(path),
    ).html


def _shown(value) -> str:
    if isinstance(value, list):
        return ", ".join(str(item) for item in value) or "none"
    return "nobody" if value in (None, "") else str(value)


def activity_words(activity: Activity) -> str:
    """One change in words, as the ticket page lists it."""
    changes = activity.changes or {}
    if activity.action == "created":
        return "created the ticket"
    if activity.action == "commented":
        return "commented"
    if activity.action == "routed" and "key" in changes:
        before, after = changes["key"]
        return f"routed it from {before} to {after}"
    if activity.action == "moved":
        if "column" in changes:
            before, after = changes["column"]
            return f"moved it from {before} to {after}"
        return "moved it within its column"
    parts = []
    for name, (before, after) in changes.items():
        try:
            label = Ticket._meta.get_field(name).verbose_name
        except FieldDoesNotExist:
            label = name
        if name == "description":
            parts.append("changed the description")
        else:
            parts.append(f"changed {label} from {_shown(before)} to {_shown(after)}")
    return "; ".join(parts) or activity.action


def ticket_page(*, key: str) -> TicketPage:
    """Everything the ticket page shows, in a fixed number of queries however many comments
    and changes it has: the ticket, labels, comments and authors, activity and people, the
    tickets and pages mentioned, and the tickets mentioning it. Raises Ticket.DoesNotExist."""
    parsed = mentions.key_parse(key)
    if parsed is None:
        raise Ticket.DoesNotExist(key)
    prefix, number = parsed
    ticket = (
        Ticket.objects.select_related("board__team", "column", "reporter", "assignee")
        .prefetch_related(
            Prefetch("labels", queryset=Label.objects.order_by("name")),
            Prefetch(
                "comments",
                queryset=Comment.objects.select_related("author").order_by("created_at", "id"),
            ),
        )
        .get(board__key_prefix=prefix, number=number)
    )
    comments = list(ticket.comments.all())
    changes = list(
        Activity.objects.filter(ticket=ticket)
        .select_related("user")
        .order_by("-at", "-id")[: ACTIVITY_SHOWN + 1]
    )
    found = ticket_mentions(
        texts=[ticket.description, *(comment.markdown for comment in comments)], exclude=ticket
    )
    return TicketPage(
        ticket=ticket,
        description_html=_render(ticket.description, found.targets),
        comments=[RenderedComment(c, _render(c.markdown, found.targets)) for c in comments],
        activity=[ActivityLine(a, activity_words(a)) for a in changes[:ACTIVITY_SHOWN]],
        activity_more=len(changes) > ACTIVITY_SHOWN,
        mentions=found,
        mentioned_by=ticket_mentioned_by(ticket=ticket),
    )

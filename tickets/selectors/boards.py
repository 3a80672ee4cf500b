"""The tickets' reads, with a fixed number of queries whatever the board's size."""

from collections import defaultdict
from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery

from accounts.models import User
from core.cache import layered_get_or_set
from core.versions import versions

from ..models import Board, Column, Label, Ticket


def board_list() -> QuerySet[Board]:
    columns = Column.objects.order_by("position", "id")
    return Board.objects.select_related("team").prefetch_related(
        Prefetch("columns", queryset=columns)
    )


def board_ticket_ids(boards) -> dict[int, list[int]]:
    """Each column's ticket ids, top first, for these boards: one query."""
    order = defaultdict(list)
    rows = (
        Ticket.objects.filter(board__in=boards)
        .order_by("column_id", "position", "id")
        .values_list("column_id", "pk")
    )
    for column_id, pk in rows:
        order[column_id].append(pk)
    return order


def ticket_list() -> QuerySet[Ticket]:
    """Tickets with what their API answer shows, in board order (filters narrow it)."""
    return (
        Ticket.objects.select_related("board", "column", "reporter", "assignee")
        .prefetch_related("labels")
        .order_by("board_id", "column__position", "position", "id")
    )


# The board page.

CARDS_PER_PAGE = 50


def board_get(*, pk: int) -> Board:
    return Board.objects.select_related("team").get(pk=pk)


def board_version(*, pk: int) -> int | None:
    """The board's version alone (one query): what a viewer polls to learn of changes."""
    return Board.objects.filter(pk=pk).values_list("version", flat=True).first()


@dataclass(frozen=True)
class BoardFilters:
    """What the board page narrows its cards to (GET parameters kept in the URL)."""

    assignee: str = ""  # a username, or "none" for cards nobody has
    label: str = ""
    severity: str = ""
    text: str = ""

    @property
    def active(self) -> bool:
        return any((self.assignee, self.label, self.severity, self.text))

    def query(self) -> str:
        pairs = {
            "assignee": self.assignee,
            "label": self.label,
            "severity": self.severity,
            "q": self.text,
        }
        return urlencode({key: value for key, value in pairs.items() if value})

    def q(self, board: Board) -> Q:
        condition = Q()
        if self.assignee == "none":
            condition &= Q(assignee__isnull=True)
        elif self.assignee:
            condition &= Q(assignee__username=self.assignee)
        if self.label:
            condition &= Q(
                pk__in=Ticket.labels.through.objects.filter(label__name=self.label).values(
                    "ticket_id"
                )
            )
        if self.severity:
            condition &= Q(severity=self.severity)
        if self.text:
            text = Q(title__icontains=self.text)
            prefix, _, number = self.text.strip().upper().rpartition("-")
            if number.isdigit() and prefix in ("", board.key_prefix):
                text |= Q(number=int(number))
            condition &= text
        return condition


@dataclass
class CardTicket:
    """What a card shows of its ticket, read as plain values: a page of 200 cards then builds
    no model instances (which cost more than the query)."""

    pk: int
    number: int
    key_prefix: str
    title: str
    severity: str
    assignee_name: str | None
    labels: list[str]

    @property
    def key(self) -> str:
        return f"{self.key_prefix}-{self.number}"

    @property
    def severity_label(self) -> str:
        return Ticket.Severity(self.severity).label


_CARD_FIELDS = (
    "pk",
    "number",
    "title",
    "severity",
    "column_id",
    "assignee__display_name",
    "assignee__first_name",
    "assignee__last_name",
    "assignee__username",
)


def _card_tickets(board: Board, queryset) -> list[tuple[int, CardTicket]]:
    """(column id, card ticket) for each row of `queryset`, in its order, with the labels of
    them all in one more query."""
    rows = list(queryset.values_list(*_CARD_FIELDS))
    labels = defaultdict(list)
    if rows:
        for ticket_id, name in (
            Ticket.labels.through.objects.filter(ticket_id__in=[row[0] for row in rows])
            .order_by("label__name")
            .values_list("ticket_id", "label__name")
        ):
            labels[ticket_id].append(name)
    cards = []
    for pk, number, title, severity, column_id, display, first, last, username in rows:
        assignee = User.name_of(display, first, last, username) if username else None
        ticket = CardTicket(
            pk, number, board.key_prefix, title, severity, assignee, labels.get(pk, [])
        )
        cards.append((column_id, ticket))
    return cards


@dataclass
class Card:
    ticket: CardTicket
    up_after: int | None  # the `after` that moves it one up ("" at the top: None)
    can_up: bool
    down_after: int | None
    can_down: bool
    html: str = ""  # the card rendered (tickets.views.cards), what the page shows


@dataclass
class ColumnView:
    column: Column
    cards: list[Card]
    count: int  # all its cards (what the WIP limit counts)
    shown_count: int  # its cards that pass the filters
    more_from: int | None  # the offset of the next page of cards, None: no more
    left: Column | None = None
    right: Column | None = None

    @property
    def over_soft_limit(self) -> bool:
        column = self.column
        return (
            column.wip_limit is not None
            and column.wip_mode == Column.WipMode.SOFT
            and self.count > column.wip_limit
        )

    @property
    def at_hard_limit(self) -> bool:
        column = self.column
        return (
            column.wip_limit is not None
            and column.wip_mode == Column.WipMode.HARD
            and self.count >= column.wip_limit
        )


def _cards(tickets: list[CardTicket], *, start: int, offset: int) -> list[Card]:
    """Cards for tickets[start:] (the ones before are only neighbours), `offset` being the
    index of tickets[0] in the column as the viewer sees it."""
    cards = []
    for index in range(start, len(tickets)):
        above = offset + index
        cards.append(
            Card(
                ticket=tickets[index],
                up_after=tickets[index - 2].pk if index >= 2 else None,
                can_up=above > 0,
                down_after=tickets[index + 1].pk if index + 1 < len(tickets) else None,
                can_down=index + 1 < len(tickets),
            )
        )
    return cards


def board_columns(
    *,
    board: Board,
    filters: BoardFilters = BoardFilters(),
    only: set[int] | None = None,
    limit: int = CARDS_PER_PAGE,
) -> list[ColumnView]:
    """The board's columns (or those in `only`), each with its first `limit` cards passing
    the filters: four queries whatever the board's size (columns, counts, cards, labels)."""
    matching = filters.q(board)
    # Each column with the position of its card just past the page (None: no such card),
    # read from the index: the cards are then a range of positions per column.
    past_page = (
        Ticket.objects.filter(matching, column_id=OuterRef("pk"))
        .order_by("position", "id")
        .values("position")[limit : limit + 1]
    )
    columns = list(
        Column.objects.filter(board=board)
        .annotate(last_position=Subquery(past_page))
        .order_by("position", "id")
    )
    counts = {
        row["column_id"]: row
        for row in Ticket.objects.filter(board=board)
        .values("column_id")
        .annotate(count=Count("id"), shown=Count("id", filter=matching))
        .order_by()
    }
    wanted = [column.pk for column in columns if only is None or column.pk in only]
    # One more than shown: it tells whether there is more, and where the last card goes down.
    ranges = Q(pk__in=[])
    for column in columns:
        if column.pk in wanted:
            ranges |= Q(column_id=column.pk) & (
                Q() if column.last_position is None else Q(position__lte=column.last_position)
            )
    rows = Ticket.objects.filter(matching, ranges, board=board).order_by(
        "column_id", "position", "id"
    )
    by_column = defaultdict(list)
    for column_id, ticket in _card_tickets(board, rows):
        by_column[column_id].append(ticket)
    views = []
    for index, column in enumerate(columns):
        if column.pk not in wanted:
            continue
        tickets = by_column[column.pk]
        shown = tickets[:limit]
        cards = _cards(tickets, start=0, offset=0)[: len(shown)]
        numbers = counts.get(column.pk, {"count": 0, "shown": 0})
        views.append(
            ColumnView(
                column=column,
                cards=cards,
                count=numbers["count"],
                shown_count=numbers["shown"],
                more_from=limit if len(tickets) > limit else None,
                left=columns[index - 1] if index > 0 else None,
                right=columns[index + 1] if index + 1 < len(columns) else None,
            )
        )
    return views


def column_page(
    *,
    board: Board,
    column_pk: int,
    offset: int,
    filters: BoardFilters = BoardFilters(),
    limit: int = CARDS_PER_PAGE,
) -> ColumnView:
    """One column's next page of cards from `offset` ("Show more"), with its neighbours for
    the cards' left and right moves. Three queries (columns, cards, labels); raises
    Column.DoesNotExist for a column of another board."""
    columns = list(Column.objects.filter(board=board).order_by("position", "id"))
    index = next((n for n, column in enumerate(columns) if column.pk == column_pk), None)
    if index is None:
        raise Column.DoesNotExist(column_pk)
    column = columns[index]
    start = max(offset - 2, 0)  # the two above are the first card's neighbours
    rows = Ticket.objects.filter(filters.q(board), column=column).order_by("position", "id")
    tickets = [ticket for _, ticket in _card_tickets(board, rows[start : offset + limit + 1])]
    return ColumnView(
        column=column,
        cards=_cards(tickets, start=offset - start, offset=start)[:limit],
        count=0,
        shown_count=0,
        more_from=offset + limit if len(tickets) - (offset - start) > limit else None,
        left=columns[index - 1] if index > 0 else None,
        right=columns[index + 1] if index + 1 < len(columns) else None,
    )


# What the filters offer changes only with the board's cards (each change bumps the board's
# version) and with the names of people and labels.
CHOICES_DEPENDENCIES = ("accounts.User", "tickets.Label")
CHOICES_TIMEOUT = 3600


def board_filter_choices(*, board: Board) -> dict:
    """Who and which labels the filters offer: the people and labels on the board's cards,
    as `{"people": [{"username", "name"}], "labels": [{"name"}]}`. Finding them scans the
    board's tickets, so they are kept under the board's version and the versions of people
    and labels: worked out once per change, not per view."""
    known = versions(CHOICES_DEPENDENCIES)
    key = ":".join(
        ["board-choices", str(board.pk), str(board.version)]
        + [str(known[label]) for label in CHOICES_DEPENDENCIES]
    )
    return layered_get_or_set(key, lambda: _filter_choices(board), timeout=CHOICES_TIMEOUT)


def _filter_choices(board: Board) -> dict:
    people = (
        User.objects.filter(assigned_tickets__board=board)
        .distinct()
        .order_by("display_name", "username")
    )
    labels = Label.objects.filter(tickets__board=board).distinct().order_by("name")
    return {
        "people": [{"username": person.username, "name": person.name} for person in people],
        "labels": [{"name": name} for name in labels.values_list("name", flat=True)],
    }

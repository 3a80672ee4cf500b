"""The board's cards as HTML, each rendered once and then kept in this process's memory.

Django's templates cost about a millisecond per card of the board page (its key, labels,
assignee and up to four move buttons), which made a page of 200 cards six times slower than
one of 20. A card's HTML depends on nothing but the values named in its cache key (the
ticket's fields, its neighbours for the up and down moves, the columns beside it and whether
the viewer may move it), so a copy under that key can never be stale: there is nothing to
invalidate, and a changed card simply has another key. A process keeps them in its own
memory (CACHES["cards"], bounded): no round trip, no pickling across processes.
"""

import hashlib

from django.core.cache import caches
from django.template.loader import get_template
from django.utils.safestring import mark_safe

from tickets.selectors import Card, ColumnView

CARD_TEMPLATE = "tickets/board.html#card"
CARD_CACHE = "cards"
CARD_TIMEOUT = 3600


def _card_key(card: Card, view: ColumnView, *, board_pk: int, can_work: bool) -> str:
    ticket = card.ticket
    left, right = view.left, view.right
    parts = (
        board_pk,
        ticket.pk,
        ticket.number,
        ticket.key_prefix,
        ticket.title,
        ticket.severity,
        ticket.assignee_name,
        ticket.labels,
        can_work,
        view.column.pk,
        card.can_up,
        card.up_after,
        card.can_down,
        card.down_after,
        (left.pk, left.name) if left else None,
        (right.pk, right.name) if right else None,
    )
    return "card:" + hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()


def cards_render(views: list[ColumnView], *, board, can_work: bool) -> None:
    """Give every card of these columns its HTML (`card.html`): from memory when a card has
    not changed, else rendered now and kept."""
    store = caches[CARD_CACHE]
    keyed = [
        (card, view, _card_key(card, view, board_pk=board.pk, can_work=can_work))
        for view in views
        for card in view.cards
    ]
    found = store.get_many([key for _, _, key in keyed])
    template = get_template(CARD_TEMPLATE)
    made = {}
    for card, view, key in keyed:
        html = found.get(key) or made.get(key)
        if html is None:
            html = made[key] = template.render(
                {
                    "card": card,
                    "view": view,
                    "column": view.column,
                    "board": board,
                    "can_work": can_work,
                }
            )
        card.html = mark_safe(html)  # noqa: S308 - rendered by the template, escaped there
    if made:
        store.set_many(made, timeout=CARD_TIMEOUT)

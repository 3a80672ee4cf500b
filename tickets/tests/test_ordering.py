"""Moves on a board: many people at once, many times into one slot, after a card that has
gone, against WIP limits; and ticket keys under concurrency."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, reset_queries
from django.test.utils import CaptureQueriesContext

from core.exceptions import StaleWrite
from tickets import services
from tickets.models import Column, Ticket
from tickets.services import column_order

from .factories import cards, column, make_board


def _in_threads(*jobs):
    """Run each job in its own thread (its own database connection), released together."""
    barrier = threading.Barrier(len(jobs))
    errors = []

    def run(job):
        try:
            barrier.wait()
            job()
        except Exception as error:  # noqa: BLE001 - any failure is reported by the caller
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def _positions(column_id):
    return list(
        Ticket.objects.filter(column_id=column_id)
        .order_by("position", "id")
        .values_list("position", flat=True)
    )


@pytest.mark.django_db(transaction=True)
def test_two_people_moving_two_cards_into_one_slot_never_collide_or_lose_a_card():
    board = make_board()
    todo, doing = column(board, "To do"), column(board, "In progress")
    queue = cards(board, "To do", 5)
    anchor = queue[1]
    first, second = cards(board, "In progress", 2, prefix="moving")
    total = Ticket.objects.count()

    for round_ in range(100):
        errors = _in_threads(
            lambda: services.ticket_move(ticket=first, column=todo, after=anchor.pk),
            lambda: services.ticket_move(ticket=second, column=todo, after=anchor.pk),
        )
        assert errors == [], f"round {round_}: {errors}"
        order = column_order(todo.pk)
        assert Ticket.objects.count() == total
        positions = _positions(todo.pk)
        assert positions == sorted(set(positions)), f"round {round_}: positions collide"
        at = order.index(anchor.pk)
        assert set(order[at + 1 : at + 3]) == {first.pk, second.pk}, f"round {round_}: {order}"
        # Back to In progress for the next round, one after the other.
        services.ticket_move(ticket=first, column=doing, after=None)
        services.ticket_move(ticket=second, column=doing, after=None)


@pytest.mark.django_db
def test_a_thousand_moves_into_one_slot_keep_a_strict_order_and_touch_one_column():
    board = make_board()
    todo, done = column(board, "To do"), column(board, "Done")
    queue = cards(board, "To do", 30)
    elsewhere = cards(board, "Done", 5)
    done_before = _positions(done.pk)
    anchor = queue[0]
    most_updates = 0
    renumbered = 0

    for n in range(1000):
        order = column_order(todo.pk)
        bottom = Ticket(pk=order[-1], board_id=board.pk)  # the last card goes to 2nd place
        reset_queries()
        with CaptureQueriesContext(connection) as queries:
            moved = services.ticket_move(ticket=bottom, column=todo, after=anchor.pk)
        updates = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("UPDATE")]
        most_updates = max(most_updates, len(updates))
        renumbered += moved.renumbered
        assert moved.columns[todo.pk][:2] == [anchor.pk, bottom.pk], f"move {n}"
        assert moved.columns[todo.pk][2:] == order[1:-1], f"move {n}: the others kept order"

    positions = _positions(todo.pk)
    assert positions == sorted(set(positions))
    assert len(positions) == 30
    # Renumbering is one UPDATE of that column; with it a move writes at most three:
    # the renumbering, the card, the board's version.
    assert most_updates == 3
    assert renumbered > 0
    assert _positions(done.pk) == done_before
    assert column_order(done.pk) == [card.pk for card in elsewhere]


@pytest.mark.django_db
def test_moving_after_a_card_that_has_left_the_column_is_stale_and_loses_nothing():
    board = make_board()
    todo, doing = column(board, "To do"), column(board, "In progress")
    queue = cards(board, "To do", 3)
    services.ticket_move(ticket=queue[1], column=doing, after=None)  # someone else's move
    mover = cards(board, "Triage", 1)[0]

    with pytest.raises(StaleWrite) as stale:
        services.ticket_move(ticket=mover, column=todo, after=queue[1].pk)

    assert stale.value.current == [queue[0].pk, queue[2].pk]
    assert Ticket.objects.get(pk=mover.pk).column == column(board, "Triage")
    assert Ticket.objects.count() == 4


@pytest.mark.django_db
def test_a_hard_wip_limit_refuses_a_move_and_a_soft_one_lets_it_through():
    board = make_board()
    doing = column(board, "In progress")
    Column.objects.filter(pk=doing.pk).update(wip_limit=2, wip_mode=Column.WipMode.HARD)
    cards(board, "In progress", 2)
    waiting = cards(board, "To do", 2)

    with pytest.raises(ValidationError) as refused:
        services.ticket_move(ticket=waiting[0], column=doing, after=None)
    assert "In progress is at its limit of 2" in str(refused.value.message_dict["column"])
    assert Ticket.objects.get(pk=waiting[0].pk).column.name == "To do"

    Column.objects.filter(pk=doing.pk).update(wip_mode=Column.WipMode.SOFT)
    doing.refresh_from_db()
    services.ticket_move(ticket=waiting[0], column=doing, after=None)
    assert Ticket.objects.get(pk=waiting[0].pk).column == doing


@pytest.mark.django_db
def test_a_column_of_another_board_or_a_card_after_itself_is_refused():
    board, other = make_board(), make_board()
    card = cards(board, "To do", 1)[0]
    with pytest.raises(ValidationError) as wrong_board:
        services.ticket_move(ticket=card, column=column(other, "To do"), after=None)
    assert "column" in wrong_board.value.message_dict
    with pytest.raises(ValidationError) as itself:
        services.ticket_move(ticket=card, column=column(board, "Done"), after=card.pk)
    assert "after" in itself.value.message_dict


@pytest.mark.django_db(transaction=True)
def test_tickets_filed_at_once_get_keys_with_no_gap_and_no_duplicate():
    board = make_board(key_prefix="DEL")

    def file_five():
        for n in range(5):
            services.ticket_create(board=board, title=f"request {n}")

    errors = _in_threads(*[file_five] * 6)
    assert errors == []
    numbers = sorted(Ticket.objects.filter(board=board).values_list("number", flat=True))
    assert numbers == list(range(1, 31))
    assert Ticket.objects.filter(board=board, number=30).get().key == "DEL-30"
    positions = _positions(column(board, "Triage").pk)
    assert positions == sorted(set(positions))

"""Triage: the default order of a ready column, and handing a ticket to another team."""

import pytest

from tickets import services
from tickets.models import Ticket
from tickets.services import column_order

from .factories import column, make_board

pytestmark = pytest.mark.django_db


def test_sort_by_priority_puts_hotfixes_first_then_severity_then_age():
    board = make_board()
    todo = column(board, "To do")

    def filed(title, priority_class, severity):
        return services.ticket_create(
            board=board,
            column=todo,
            title=title,
            priority_class=priority_class,
            severity=severity,
        )

    old_other = filed("old other S1", "other", "S1")
    release = filed("release S3", "release", "S3")
    hotfix_minor = filed("hotfix S4", "hotfix", "S4")
    customer = filed("customer S2", "customer", "S2")
    hotfix_major = filed("hotfix S2", "hotfix", "S2")
    new_other = filed("new other S1", "other", "S1")
    # Someone dragged the newest card to the top: a manual order, kept until asked.
    services.ticket_move(ticket=new_other, column=todo, after=None)
    assert column_order(todo.pk)[0] == new_other.pk

    order = services.column_sort_by_priority(column=todo)

    expected = [hotfix_major, hotfix_minor, release, customer, old_other, new_other]
    assert order == [ticket.pk for ticket in expected]
    assert column_order(todo.pk) == order


def test_routing_a_ticket_gives_it_a_key_on_the_owning_teams_board():
    source, owner = make_board(key_prefix="SUP"), make_board(key_prefix="DEL")
    services.ticket_create(board=owner, title="already there")
    ticket = services.ticket_create(board=source, title="belongs to delivery")

    routed = services.ticket_route(ticket=ticket, board=owner)

    assert routed.key == "DEL-2"
    assert routed.column == column(owner, "Triage")
    assert column_order(column(owner, "Triage").pk)[-1] == routed.pk
    assert not Ticket.objects.filter(board=source).exists()
    assert routed.activity.last().changes["key"] == ["SUP-1", "DEL-2"]
    following = services.ticket_create(board=owner, title="next")
    assert following.key == "DEL-3"


def test_an_accepted_ticket_takes_its_place_in_the_default_order_and_hand_moves_stay():
    board = make_board()
    todo = column(board, "To do")
    triage = column(board, "Triage")

    def filed(title, priority_class="other", severity="S3", where=todo):
        return services.ticket_create(
            board=board, column=where, title=title, priority_class=priority_class, severity=severity
        )

    release = filed("release work", "release")
    minor = filed("minor", severity="S4")
    major = filed("major", severity="S2")
    # Someone put the S4 above the S2 by hand: that order is theirs to keep.
    services.ticket_move(ticket=major, column=todo, after=minor.pk)
    assert column_order(todo.pk) == [release.pk, minor.pk, major.pk]
    hotfix = filed("hotfix", "hotfix", "S4", where=triage)
    services.ticket_accept(ticket=hotfix)
    customer = filed("customer", "customer", where=triage)
    services.ticket_accept(ticket=customer)
    ordinary = filed("ordinary", where=triage)
    services.ticket_accept(ticket=ordinary)
    assert column_order(todo.pk) == [
        hotfix.pk,  # hotfixes first
        release.pk,
        customer.pk,  # customer reported after release work
        ordinary.pk,  # other, S3: above the first card that comes after it (the S4)
        minor.pk,
        major.pk,
    ]

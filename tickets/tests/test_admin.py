"""Tickets in the admin: the same rules as the board and the API."""

import pytest
from django.urls import reverse

from accounts.tests.factories import AdminFactory, UserFactory
from tests.support import form_fields, resubmit_form
from tickets import services
from tickets.models import Column, Ticket

from .factories import cards, make_board

pytestmark = pytest.mark.django_db


def test_a_ticket_saved_in_the_admin_over_a_newer_change_is_refused(client):
    board = make_board()
    ticket = cards(board, "Triage", 1)[0]
    client.force_login(AdminFactory())
    url = reverse("admin:tickets_ticket_change", args=[ticket.pk])
    fields = form_fields(client.get(url).content.decode())
    services.ticket_update(ticket=ticket, title="Changed on the board")  # meanwhile

    fields["title"] = "Changed in the admin"
    response = client.post(url, fields)
    assert response.status_code == 200
    assert "Someone changed this ticket since you opened it" in response.content.decode()
    assert Ticket.objects.get(pk=ticket.pk).title == "Changed on the board"

    response = resubmit_form(client, url, lambda f: f.update(title="Changed in the admin"))
    assert response.status_code == 302, response.context["adminform"].form.errors
    saved = Ticket.objects.get(pk=ticket.pk)
    assert (saved.title, saved.version) == ("Changed in the admin", 3)
    assert saved.activity.last().changes["title"][1] == "Changed in the admin"


def test_a_column_that_holds_tickets_cannot_be_removed_in_the_admin(client):
    board = make_board()
    cards(board, "Done", 1)
    client.force_login(AdminFactory())
    url = reverse("admin:tickets_board_change", args=[board.pk])

    def remove_done(fields):
        for key, value in list(fields.items()):
            if key.endswith("-name") and value == "Done":
                fields[key.replace("-name", "-DELETE")] = "on"

    response = resubmit_form(client, url, remove_done)
    assert response.status_code == 200
    assert "Done still holds tickets" in response.content.decode()
    assert Column.objects.filter(board=board, name="Done").exists()


def test_a_staff_member_of_another_team_cannot_open_the_board_or_its_tickets(client):
    board = make_board()
    ticket = cards(board, "Triage", 1)[0]
    client.force_login(UserFactory(is_staff=True))
    for url in (
        reverse("admin:tickets_board_change", args=[board.pk]),
        reverse("admin:tickets_ticket_change", args=[ticket.pk]),
    ):
        assert client.get(url).status_code == 403
        assert client.post(url, {"title": "Taken", "name": "Taken"}).status_code == 403
    assert Ticket.objects.get(pk=ticket.pk).title == ticket.title

"""Tickets in the admin: the same rules as the board and the API; importing a CSV export."""

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.tests.factories import AdminFactory, UserFactory
from handbook.tests.factories import MembershipFactory
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


# Importing a CSV export from the Board admin.

IMPORT_URL = "/admin/tickets/board/import/"
EXPORT = """Issue key,Summary,Status,Priority,Assignee
OPS-1,Disk fills up,To Do,High,
OPS-2,Login slow,In Progress,Whenever,
,No key here,To Do,Low,
OPS-3,Old report,Won't Do,Low,nobody@example.com
"""


def _upload(client, board, text, name="export.csv"):
    return client.post(
        IMPORT_URL, {"board": board.pk, "file": SimpleUploadedFile(name, text.encode())}
    )


def test_the_board_list_links_the_import_and_its_form_opens(client):
    make_board()
    client.force_login(AdminFactory())
    assert IMPORT_URL in client.get("/admin/tickets/board/").content.decode()
    html = client.get(IMPORT_URL).content.decode()
    assert 'type="file"' in html and 'name="board"' in html


def test_an_upload_creates_the_tickets_and_reports_the_rows_it_could_not_map(client):
    board = make_board(key_prefix="DEL")
    client.force_login(AdminFactory())

    response = _upload(client, board, EXPORT)

    assert response.status_code == 200
    html = response.content.decode()
    assert "3 created, 0 updated, 0 unchanged, 4 problems." in html
    assert "Created: OPS-1, OPS-2, OPS-3" in html
    assert "<td>3</td><td>priority &#x27;Whenever&#x27;: not known, left at S3</td>" in html
    assert "<td>4</td><td>no key or no title: skipped</td>" in html
    assert "status &quot;Won&#x27;t Do&quot;: no such column, put in Triage" in html
    assert "assignee &#x27;nobody@example.com&#x27;: nobody here" in html
    disk = Ticket.objects.get(board=board, external_key="OPS-1")
    assert (disk.title, disk.column.name, disk.severity) == ("Disk fills up", "To do", "S2")
    assert Ticket.objects.filter(board=board).count() == 3


def test_a_second_upload_of_the_same_file_creates_nothing(client):
    board = make_board(key_prefix="DEL")
    client.force_login(AdminFactory())
    _upload(client, board, EXPORT)

    response = _upload(client, board, EXPORT.replace("Disk fills up", "Disk fills up fast"))

    html = response.content.decode()
    assert "0 created, 1 updated, 2 unchanged" in html
    assert "Updated: OPS-1" in html
    assert Ticket.objects.filter(board=board).count() == 3
    assert Ticket.objects.get(external_key="OPS-1").title == "Disk fills up fast"


def test_a_file_that_cannot_be_imported_is_a_form_error(client):
    board = make_board()
    client.force_login(AdminFactory())
    for text, error in (
        ("", "The submitted file is empty."),
        ("\n", "The file is empty."),
        ("Name,Colour\nx,y\n", "The file needs a key and a title (summary) column."),
    ):
        response = _upload(client, board, text)
        assert response.status_code == 200
        assert error in response.content.decode()
    response = client.post(
        IMPORT_URL, {"board": board.pk, "file": SimpleUploadedFile("x.csv", b"\xff\xfe\x00bad")}
    )
    assert "The file is not UTF-8 text" in response.content.decode()
    assert client.post(IMPORT_URL, {"board": board.pk}).status_code == 200
    assert not Ticket.objects.exists()


def test_only_staff_who_may_add_or_change_tickets_may_import(client):
    board = make_board()
    client.force_login(UserFactory(is_staff=True))
    assert client.get(IMPORT_URL).status_code == 403
    assert _upload(client, board, EXPORT).status_code == 403
    client.force_login(UserFactory())  # not staff: the admin's login page
    response = _upload(client, board, EXPORT)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert not Ticket.objects.exists()


def test_staff_who_may_add_tickets_import_only_onto_their_teams_boards(client):
    board = make_board()
    importer = UserFactory(is_staff=True)
    importer.user_permissions.add(Permission.objects.get(codename="add_ticket"))
    client.force_login(importer)

    response = _upload(client, board, EXPORT)

    assert response.status_code == 200
    assert "Only members of the" in response.content.decode()
    assert not Ticket.objects.exists()
    MembershipFactory(team=board.team, user=importer)
    _upload(client, board, EXPORT)
    assert Ticket.objects.filter(board=board).count() == 3

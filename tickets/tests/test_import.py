"""Importing a CSV export of Jira or GitHub issues, twice."""

import io

import pytest
from django.core.management import call_command

from accounts.tests.factories import UserFactory
from tickets.models import Ticket

from .factories import column, make_board

pytestmark = pytest.mark.django_db

JIRA = """Issue key,Summary,Description,Status,Priority,Labels,Labels,Assignee
OPS-1,Disk fills up,Logs grow,To Do,High,infra,urgent,ana@example.com
OPS-2,Login slow,,In Progress,Medium,,,nobody@example.com
OPS-3,Old report,,Won't Do,Trivial,,,
,No key here,,To Do,Low,,,
OPS-4,Odd priority,,Done,Whenever,,,
"""
GITHUB = """number,title,body,state,labels,assignees
34,Crash on save,Steps follow,open,"bug, p1",ben
35,Typo in footer,,closed,docs,
"""


def _import(board, text, tmp_path):
    path = tmp_path / "export.csv"
    path.write_text(text)
    out, err = io.StringIO(), io.StringIO()
    call_command("import_tickets", board.key_prefix, str(path), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_a_jira_export_maps_status_priority_labels_and_people_and_reports_the_rest(tmp_path):
    board = make_board(key_prefix="DEL")
    ana = UserFactory(email="ana@example.com")
    out, err = _import(board, JIRA, tmp_path)

    assert "4 created, 0 updated, 0 unchanged, 4 problems." in out
    disk = Ticket.objects.get(external_key="OPS-1")
    assert (disk.title, disk.column, disk.severity, disk.assignee) == (
        "Disk fills up",
        column(board, "To do"),
        "S2",
        ana,
    )
    assert sorted(disk.labels.values_list("name", flat=True)) == ["infra", "urgent"]
    assert Ticket.objects.get(external_key="OPS-2").column == column(board, "In progress")
    assert Ticket.objects.get(external_key="OPS-4").column == column(board, "Done")
    assert Ticket.objects.get(external_key="OPS-3").column == column(board, "Triage")
    assert "line 3: assignee 'nobody@example.com': nobody here" in err
    assert 'line 4: status "Won\'t Do": no such column, put in Triage' in err
    assert "line 5: no key or no title: skipped" in err
    assert "line 6: priority 'Whenever': not known, left at S3" in err


def test_importing_the_same_export_again_updates_what_changed_and_duplicates_nothing(tmp_path):
    board = make_board(key_prefix="GH")
    UserFactory(username="ben")
    _import(board, GITHUB, tmp_path)
    assert Ticket.objects.count() == 2
    crash = Ticket.objects.get(external_key="34")
    assert (crash.key, crash.severity, crash.assignee.username) == ("GH-1", "S3", "ben")
    assert sorted(crash.labels.values_list("name", flat=True)) == ["bug", "p1"]

    out, _ = _import(board, GITHUB.replace("Crash on save", "Crash on save (Safari)"), tmp_path)

    assert "0 created, 1 updated, 1 unchanged" in out
    assert Ticket.objects.count() == 2
    assert Ticket.objects.get(external_key="34").title == "Crash on save (Safari)"

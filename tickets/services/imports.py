"""Importing tickets from a CSV export of Jira or GitHub issues.

Headers are matched by name, case-insensitively (Jira's "Issue key", "Summary", "Status",
"Priority", repeated "Labels" columns; GitHub's "number", "title", "body", "state",
"labels", "assignees"). Each row becomes a ticket keyed by its key there, so a second import
of the same file updates what changed and creates nothing twice. Whatever a row says that
cannot be mapped (a status with no column, an unknown priority or person) is reported with
its line; a row without a title or key is skipped and reported."""

import csv
import io
import re
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from tickets.models import Board, Column, Ticket

from .tickets import ticket_create, ticket_update

HEADERS = {
    "key": ("issue key", "key", "number", "id"),
    "title": ("summary", "title"),
    "description": ("description", "body"),
    "status": ("status", "state"),
    "priority": ("priority",),
    "labels": ("labels", "label"),
    "assignee": ("assignee", "assignees"),
}
# Jira's priorities and GitHub's usual labels for them, to severities.
PRIORITIES = {
    "blocker": "S1",
    "highest": "S1",
    "critical": "S1",
    "p0": "S1",
    "high": "S2",
    "major": "S2",
    "p1": "S2",
    "medium": "S3",
    "normal": "S3",
    "p2": "S3",
    "low": "S4",
    "lowest": "S4",
    "minor": "S4",
    "trivial": "S4",
    "p3": "S4",
}
STATUS_KINDS = {
    "open": Column.Kind.READY,
    "to do": Column.Kind.READY,
    "todo": Column.Kind.READY,
    "backlog": Column.Kind.READY,
    "selected for development": Column.Kind.READY,
    "in progress": Column.Kind.IN_PROGRESS,
    "in review": Column.Kind.IN_PROGRESS,
    "done": Column.Kind.DONE,
    "closed": Column.Kind.DONE,
    "resolved": Column.Kind.DONE,
}
LABEL_SPLIT = re.compile(r"[,;]\s*|\s+")


@dataclass
class ImportReport:
    created: list[str] = field(default_factory=list)  # keys there
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    problems: list[tuple[int, str]] = field(default_factory=list)  # (line, what)


def _columns_of(header: list[str]) -> dict[str, list[int]]:
    found = {}
    for index, name in enumerate(header):
        for target, names in HEADERS.items():
            if name.strip().lower() in names:
                found.setdefault(target, []).append(index)
    return found


def _cell(row, columns, name) -> str:
    indexes = columns.get(name, [])
    return row[indexes[0]].strip() if indexes and indexes[0] < len(row) else ""


def _labels(row, columns) -> list[str]:
    names = []
    for index in columns.get("labels", []):
        if index < len(row):
            names += [part.lower() for part in LABEL_SPLIT.split(row[index]) if part]
    return list(dict.fromkeys(re.sub(r"[^a-z0-9/._-]", "-", name).strip("-") for name in names))


def _person(value: str):
    first = re.split(r"[,;]\s*", value)[0].strip().lstrip("@")
    if not first:
        return None
    user_model = get_user_model()
    return user_model.objects.filter(Q(username=first) | Q(email__iexact=first)).first()


def _column(board: Board, status: str):
    columns = list(board.columns.order_by("position", "id"))
    named = next((c for c in columns if c.name.lower() == status.lower()), None)
    if named or not status:
        return named
    kind = STATUS_KINDS.get(status.lower())
    return next((c for c in columns if c.kind == kind), None)


def _row_fields(row, columns, board, line, report) -> dict:
    fields = {
        "title": _cell(row, columns, "title")[:200],
        "description": _cell(row, columns, "description"),
    }
    priority = _cell(row, columns, "priority")
    if priority:
        severity = PRIORITIES.get(priority.lower())
        if severity is None:
            report.problems.append((line, f"priority {priority!r}: not known, left at S3"))
        else:
            fields["severity"] = severity
    assignee = _cell(row, columns, "assignee")
    if assignee:
        person = _person(assignee)
        if person is None:
            report.problems.append((line, f"assignee {assignee!r}: nobody here, left unassigned"))
        fields["assignee"] = person
    return fields


@transaction.atomic
def tickets_import(*, board: Board, text: str, user=None) -> ImportReport:
    report = ImportReport()
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if not header:
        raise ValidationError({"file": ["The file is empty."]})
    columns = _columns_of(header)
    if "title" not in columns or "key" not in columns:
        raise ValidationError({"file": ["The file needs a key and a title (summary) column."]})
    existing = {
        t.external_key: t for t in Ticket.objects.filter(board=board).exclude(external_key="")
    }
    for line, row in enumerate(reader, start=2):
        key = _cell(row, columns, "key")
        if not row or not key or not _cell(row, columns, "title"):
            report.problems.append((line, "no key or no title: skipped"))
            continue
        fields = _row_fields(row, columns, board, line, report)
        labels = _labels(row, columns)
        ticket = existing.get(key)
        if ticket is not None:
            before = ticket.version
            ticket = ticket_update(ticket=ticket, user=user, labels=labels, **fields)
            (report.updated if ticket.version != before else report.unchanged).append(key)
            continue
        status = _cell(row, columns, "status")
        column = _column(board, status)
        if column is None:
            column = board.columns.order_by("position", "id").first()
            report.problems.append(
                (line, f"status {status!r}: no such column, put in {column.name}")
            )
        ticket = ticket_create(
            board=board, column=column, user=user, labels=labels, external_key=key, **fields
        )
        existing[key] = ticket
        report.created.append(key)
    return report

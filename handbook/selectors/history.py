"""A page's past: its revisions and what each one changed, as a diff people can read."""

import difflib
from dataclasses import dataclass
from datetime import datetime

from handbook.models import Page

CONTEXT_LINES = 3


@dataclass(frozen=True)
class DiffLine:
    kind: str  # "added", "removed" or "same"
    text: str
    old_number: int | None  # the line's number before (None for an added line)
    new_number: int | None  # and after (None for a removed line)


@dataclass(frozen=True)
class DiffHunk:
    lines: list[DiffLine]

    @property
    def header(self) -> str:
        first = self.lines[0]
        number = first.new_number or first.old_number or 1
        return f"From line {number}"


@dataclass(frozen=True)
class RevisionDiff:
    hunks: list[DiffHunk]
    added: int
    removed: int


@dataclass(frozen=True)
class Steward:
    username: str | None  # None: the system (an import, a script) or a person since removed
    name: str
    at: datetime


@dataclass(frozen=True)
class PageStewards:
    updated: Steward | None  # the last change of its words, title, owner or review date
    reviewed: Steward | None  # the last "Mark reviewed"


def page_stewards(*, page: Page) -> PageStewards:
    """Who last changed the page and who last reviewed it, and when, from its history: two
    queries the first time, none until the page is saved again."""
    from core.cache import layered_get_or_set

    def steward(record) -> Steward | None:
        if record is None:
            return None
        person = record.history_user
        return Steward(
            username=person.username if person else None,
            name=person.name if person else "the system",
            at=record.history_date,
        )

    def read() -> PageStewards:
        history = page.history.select_related("history_user").order_by("-history_id")
        return PageStewards(
            updated=steward(history.exclude(history_change_reason=Page.REVIEWED).first()),
            reviewed=steward(history.filter(history_change_reason=Page.REVIEWED).first()),
        )

    key = f"handbook:stewards:{page.pk}:{page.updated_at.timestamp()}"
    return layered_get_or_set(key, read, timeout=24 * 3600)


def page_revisions(*, page: Page):
    return page.history.select_related("history_user").order_by("-history_date", "-history_id")


def page_revision_get(*, page: Page, revision_id: int):
    """One past version of the page, or None (a revision of another page is none of its)."""
    return page.history.select_related("history_user").filter(history_id=revision_id).first()


def text_diff(*, before: str, after: str, context: int = CONTEXT_LINES) -> RevisionDiff:
    """The lines that changed from `before` to `after`, grouped in hunks with `context`
    unchanged lines around them, as an inline diff (each line marked added, removed or same)."""
    old, new = before.splitlines(), after.splitlines()
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    hunks, added, removed = [], 0, 0
    for group in matcher.get_grouped_opcodes(context):
        lines = []
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                lines += [
                    DiffLine("same", old[i], i + 1, j + 1)
                    for i, j in zip(range(i1, i2), range(j1, j2), strict=True)
                ]
                continue
            if tag in ("replace", "delete"):
                lines += [DiffLine("removed", old[i], i + 1, None) for i in range(i1, i2)]
                removed += i2 - i1
            if tag in ("replace", "insert"):
                lines += [DiffLine("added", new[j], None, j + 1) for j in range(j1, j2)]
                added += j2 - j1
        hunks.append(DiffHunk(lines))
    return RevisionDiff(hunks=hunks, added=added, removed=removed)

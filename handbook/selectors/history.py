"""A page's past: its revisions and what each one changed, as a diff people can read."""

import difflib
from dataclasses import dataclass

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

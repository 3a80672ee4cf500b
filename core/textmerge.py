"""Three-way merge of texts, line by line: what two people changed from a common version.

Written here because the merge libraries on PyPI are GPL-licensed (merge3) or need git; the
standard library's difflib finds each side's changes and the rest is a few lines. Changes of
the two sides that touch the same or adjacent lines of the base are a conflict, as in diff3.
"""

from dataclasses import dataclass
from difflib import SequenceMatcher

MINE_MARK = "<<<<<<< your version\n"
SEPARATOR = "=======\n"
THEIRS_MARK = ">>>>>>> saved version\n"


@dataclass(frozen=True)
class Merged:
    text: str
    conflicts: int  # regions changed differently on both sides, shown between markers


def _hunks(base: list[str], side: list[str]) -> list[tuple[int, int, int, int]]:
    """The side's changes: (base start, base end, side start, side end), in base order."""
    matcher = SequenceMatcher(None, base, side, autojunk=False)
    return [(i1, i2, j1, j2) for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal"]


def _version_of(base, side, hunks, start, end) -> list[str]:
    """base[start:end] with the side's hunks (all inside that range) applied."""
    lines, at = [], start
    for i1, i2, j1, j2 in hunks:
        lines += base[at:i1] + side[j1:j2]
        at = i2
    return lines + base[at:end]


def merge(base: str, mine: str, theirs: str) -> Merged:
    base_lines = base.splitlines(keepends=True)
    mine_lines = mine.splitlines(keepends=True)
    theirs_lines = theirs.splitlines(keepends=True)
    changes = sorted(
        [(*hunk, "mine") for hunk in _hunks(base_lines, mine_lines)]
        + [(*hunk, "theirs") for hunk in _hunks(base_lines, theirs_lines)]
    )
    out: list[str] = []
    conflicts = 0
    at = 0
    index = 0
    while index < len(changes):
        # A cluster: changes whose base ranges overlap or touch, from either side.
        start, end = changes[index][0], changes[index][1]
        cluster = [changes[index]]
        index += 1
        while index < len(changes) and changes[index][0] <= end:
            end = max(end, changes[index][1])
            cluster.append(changes[index])
            index += 1
        out += base_lines[at:start]
        at = end
        sides = {
            name: [hunk[:4] for hunk in cluster if hunk[4] == name] for name in ("mine", "theirs")
        }
        mine_part = _version_of(base_lines, mine_lines, sides["mine"], start, end)
        theirs_part = _version_of(base_lines, theirs_lines, sides["theirs"], start, end)
        if not sides["theirs"] or mine_part == theirs_part:
            out += mine_part
        elif not sides["mine"]:
            out += theirs_part
        else:
            conflicts += 1
            out += [MINE_MARK, *_terminated(mine_part), SEPARATOR]
            out += [*_terminated(theirs_part), THEIRS_MARK]
    out += base_lines[at:]
    return Merged(text="".join(out), conflicts=conflicts)


def _terminated(lines: list[str]) -> list[str]:
    """The lines with a final newline, so that a marker after them starts its own line."""
    if lines and not lines[-1].endswith("\n"):
        return [*lines[:-1], lines[-1] + "\n"]
    return lines

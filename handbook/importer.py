"""The handbook as a tree of markdown files, the way teams keep it in git.

`a/b/index.md` under the import root becomes the page `a/b/index` (below an optional prefix).
An import followed by an export gives back the same bytes for every page nobody edited since,
except for repaired mojibake and line endings, which become `\\n`: the text is stored as found
and an optional YAML front matter block is kept verbatim beside it.
"""

import contextlib
import datetime
import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import NamedTuple

import ftfy
import yaml
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction

from . import services
from .importer_bulk import BULK_BATCH, NewPage, bulk_allowed, pages_create_bulk
from .models import Page, Team, validate_page_path
from .pages import page_rows_changed
from .selectors import BrokenLink, broken_links_described

# Only the repairs that undo a wrong decoding (UTF-8 read as Mac Roman or Windows-1252, and
# the like). Everything else ftfy could "fix" is the author's text: curly quotes, HTML
# entities in markdown, full-width characters, Unicode normalisation.
ENCODING_REPAIR = ftfy.TextFixerConfig(
    unescape_html=False,
    remove_terminal_escapes=False,
    fix_latin_ligatures=False,
    fix_character_width=False,
    uncurl_quotes=False,
    fix_line_breaks=False,
    remove_control_chars=False,
    normalization=None,
    explain=False,
)

# yaml.safe_load's loader, written in C where libyaml is there (several times faster).
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# `---` on the first line, YAML, then `---` on a line of its own.
FRONT_MATTER = re.compile(r"\A---\n(?P<yaml>.*?)^---[ \t]*(?:\n|\Z)", re.DOTALL | re.MULTILINE)
FENCE = re.compile(r"^ {0,3}(```|~~~)")
TITLE_HEADING = re.compile(r"^ {0,3}# +(?P<title>.*?)(?: +#+)? *$")


class FileProblem(NamedTuple):
    path: str  # the file, relative to the import root
    message: str


@dataclass
class ImportReport:
    # Page paths.
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    # Files (relative to the root) whose mojibake was repaired.
    repaired: list[str] = field(default_factory=list)
    # Files that were not imported, and files imported with something ignored.
    errors: list[FileProblem] = field(default_factory=list)
    warnings: list[FileProblem] = field(default_factory=list)
    broken_links: list[BrokenLink] = field(default_factory=list)
    dry_run: bool = False

    @property
    def imported(self) -> list[str]:
        return [*self.created, *self.updated, *self.unchanged]


@dataclass(frozen=True)
class SourceFile:
    front_matter: str  # the raw block, delimiters and final newline included; "" when none
    markdown: str
    fields: dict
    repaired: bool
    warnings: list[str]


def handbook_import(
    *, root: Path, prefix: str = "", user=None, dry_run: bool = False
) -> ImportReport:
    """Create or update a page for every `*.md` file under `root`.

    A file that cannot be imported is reported and skipped; the others still are. Each file
    is saved in a transaction of its own. A dry run does all of it and rolls everything back,
    so its report (broken links included) is what a real run would give.
    """
    prefix = page_prefix_clean(prefix=prefix)
    report = ImportReport(dry_run=dry_run)
    with transaction.atomic() if dry_run else contextlib.nullcontext():
        sources: dict[str, str] = {}
        planned: list[tuple[Path, str, str]] = []
        for file in _markdown_files(root):
            relative = file.relative_to(root).as_posix()
            try:
                path = _page_path(relative=relative, prefix=prefix)
            except ValidationError as exc:
                report.errors.append(FileProblem(relative, " ".join(exc.messages)))
                continue
            if path in sources:
                # Names that differ only by case or spaces land on one page; the first wins.
                report.errors.append(
                    FileProblem(relative, f"Same page path {path} as {sources[path]}.")
                )
                continue
            sources[path] = relative
            planned.append((file, relative, path))
        existing = _paths_existing([path for _, _, path in planned])
        bulk = bulk_allowed(user=user)
        # Runs of new files are created in batches (importer_bulk), the others page by page;
        # either way in file order, so the report lists them as the tree does.
        for new, run in itertools.groupby(planned, key=lambda item: item[2] not in existing):
            run = list(run)
            if new and bulk:
                for start in range(0, len(run), BULK_BATCH):
                    _files_create(files=run[start : start + BULK_BATCH], user=user, report=report)
                continue
            for file, relative, path in run:
                _file_import(file=file, relative=relative, path=path, user=user, report=report)
        report.broken_links = broken_links_described(paths=set(report.imported))
        if dry_run:
            transaction.set_rollback(True)
    return report


def handbook_export(*, root: Path, prefix: str = "") -> int:
    """Write every page (below `prefix`) to `root/<path without prefix>.md`; return the count."""
    prefix = page_prefix_clean(prefix=prefix)
    pages = Page.objects.order_by("path").only("path", "front_matter", "markdown")
    if prefix:
        pages = pages.filter(path__startswith=f"{prefix}/")
    written = 0
    for page in pages.iterator():
        relative = page.path.removeprefix(f"{prefix}/") if prefix else page.path
        target = root / f"{relative}.md"
        target.parent.mkdir(parents=True, exist_ok=True)
        # Text edited in a browser comes back with \r\n; files in the tree use \n.
        target.write_bytes(_newlines_normalise(page.front_matter + page.markdown).encode("utf-8"))
        written += 1
    return written


def page_prefix_clean(*, prefix: str) -> str:
    prefix = prefix.strip("/")
    if prefix:
        validate_page_path(prefix)
    return prefix


def _markdown_files(root: Path) -> list[Path]:
    # Hidden folders (.git, .github) hold repository machinery, not handbook pages.
    files = (
        file
        for file in root.rglob("*.md")
        if file.is_file() and not any(part.startswith(".") for part in file.relative_to(root).parts)
    )
    return sorted(files, key=lambda file: file.relative_to(root).as_posix())


def _page_path(*, relative: str, prefix: str) -> str:
    parts = [part.lower().replace(" ", "-") for part in PurePosixPath(relative).parts]
    parts[-1] = parts[-1].removesuffix(".md")
    path = "/".join([prefix, *parts] if prefix else parts)
    try:
        validate_page_path(path)
    except ValidationError as exc:
        raise ValidationError(f"No valid page path from this file name ({path}).") from exc
    return path


def _paths_existing(paths: list[str]) -> set[str]:
    """Which of these page paths have a page already (a few queries for a whole tree)."""
    found: set[str] = set()
    for start in range(0, len(paths), 5000):
        chunk = paths[start : start + 5000]
        found.update(Page.objects.filter(path__in=chunk).values_list("path", flat=True))
    return found


def _file_read(*, file: Path, relative: str, report: ImportReport) -> SourceFile | None:
    """The file's text, or None with the reason in the report."""
    try:
        source = _source_read(data=file.read_bytes())
    except UnicodeDecodeError as exc:
        report.errors.append(FileProblem(relative, f"Not UTF-8 text (byte {exc.start})."))
        return None
    except OSError as exc:
        report.errors.append(FileProblem(relative, f"Cannot read the file: {exc.strerror}."))
        return None
    report.warnings.extend(FileProblem(relative, message) for message in source.warnings)
    return source


def _files_create(*, files: list[tuple[Path, str, str]], user, report: ImportReport) -> None:
    """Create a page for each of these files, whose paths have none, in one batch; if the
    batch cannot be saved as a whole, page by page, so each problem is reported."""
    read = []
    for file, relative, path in files:
        source = _file_read(file=file, relative=relative, report=report)
        if source is not None:
            read.append((file, relative, path, source))
    slugs = {source.fields["owner"] for *_, source in read if "owner" in source.fields}
    teams = {team.slug: team for team in Team.objects.filter(slug__in=slugs)}
    new, warnings = [], []
    for _, relative, path, source in read:
        title, team, review_by = _page_fields(
            relative=relative,
            source=source,
            existing=None,
            team_of=teams.get,
            warnings=warnings,
        )
        new.append(NewPage(path, source.markdown, source.front_matter, title, team, review_by))
    try:
        pages_create_bulk(new=new, user=user)
    except DatabaseError:
        for _, relative, path, source in read:
            _source_import(source=source, relative=relative, path=path, user=user, report=report)
        return
    report.warnings.extend(warnings)
    for _, relative, path, source in read:
        report.created.append(path)
        if source.repaired:
            report.repaired.append(relative)


def _file_import(*, file: Path, relative: str, path: str, user, report: ImportReport) -> None:
    source = _file_read(file=file, relative=relative, report=report)
    if source is not None:
        _source_import(source=source, relative=relative, path=path, user=user, report=report)


def _source_import(
    *, source: SourceFile, relative: str, path: str, user, report: ImportReport
) -> None:
    try:
        with transaction.atomic():
            outcome = _page_import(
                path=path, relative=relative, source=source, user=user, report=report
            )
    except (ValidationError, DatabaseError) as exc:
        messages = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
        report.errors.append(FileProblem(relative, " ".join(messages)))
        return
    getattr(report, outcome).append(path)
    if source.repaired:
        report.repaired.append(relative)


def _page_import(
    *, path: str, relative: str, source: SourceFile, user, report: ImportReport
) -> str:
    """Save one page; return "created", "updated" or "unchanged"."""
    existing = Page.objects.filter(path=path).select_related("team").first()
    title, team, review_by = _page_fields(
        relative=relative,
        source=source,
        existing=existing,
        team_of=lambda slug: Team.objects.filter(slug=slug).first(),
        warnings=report.warnings,
    )
    page, changed = services.page_save(
        path=path,
        title=title,
        markdown=source.markdown,
        team=team,
        review_by=review_by,
        user=user,
        change_reason="Imported",
    )
    changed = _front_matter_keep(
        page=page, front_matter=source.front_matter, user=user, revision_recorded=changed
    )
    if existing is None:
        return "created"
    return "updated" if changed else "unchanged"


def _page_fields(
    *,
    relative: str,
    source: SourceFile,
    existing: Page | None,
    team_of: Callable[[str], Team | None],
    warnings: list[FileProblem],
) -> tuple[str, Team | None, datetime.date | None]:
    """(title, owning team, review date) of the page for a file; an owner that is no team is
    a warning."""
    fields = source.fields
    # A field the file does not set keeps its value in the portal, so teams assigned in the
    # portal survive re-importing files that have no front matter.
    team = existing.team if existing else None
    if "owner" in fields:
        team = team_of(fields["owner"])
        if team is None:
            warnings.append(
                FileProblem(relative, f"No team {fields['owner']!r}; the page has no owner.")
            )
    review_by = fields.get("review_by", existing.review_by if existing else None)
    title = fields.get("title") or _heading_title(source.markdown) or _file_title(relative)
    return title[: Page._meta.get_field("title").max_length], team, review_by


def _front_matter_keep(*, page: Page, front_matter: str, user, revision_recorded: bool) -> bool:
    """Store the file's front matter block; return whether the page changed at all.

    page_save does not know about front matter: when it has just recorded a revision, that
    revision gets the block too (one import, one revision); when it saw nothing new, a changed
    block alone still makes a revision.
    """
    if page.front_matter == front_matter:
        return revision_recorded
    page.front_matter = front_matter
    if revision_recorded:
        Page.objects.filter(pk=page.pk).update(front_matter=front_matter)
        page.history.filter(pk=page.history.latest().pk).update(front_matter=front_matter)
    else:
        page._history_user = user
        page._change_reason = "Front matter changed on import"
        page.save(update_fields=["front_matter", "updated_at"])
        page_rows_changed()
    return True


def _source_read(*, data: bytes) -> SourceFile:
    text = _newlines_normalise(data.decode("utf-8"))
    # A byte order mark would hide the front matter and start the title with an invisible
    # character; it is dropped (so an export of such a file lacks those three bytes).
    text = text.removeprefix("\ufeff")
    # Mojibake is made of non-ASCII characters: an ASCII text has none to repair (and ftfy
    # is a large part of reading a file).
    fixed = text if text.isascii() else ftfy.fix_text(text, ENCODING_REPAIR)
    front_matter, markdown, fields, warnings = _front_matter_split(fixed)
    return SourceFile(
        front_matter=front_matter,
        markdown=markdown,
        fields=fields,
        repaired=fixed != text,
        warnings=warnings,
    )


def _newlines_normalise(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _front_matter_split(text: str) -> tuple[str, str, dict, list[str]]:
    """(front matter block, markdown, known fields, warnings) of a file's text."""
    match = FRONT_MATTER.match(text)
    if match is None:
        return "", text, {}, []
    try:
        data = yaml.load(match["yaml"], Loader=SAFE_LOADER)  # noqa: S506 - a safe loader
    except yaml.YAMLError as exc:
        problem = str(exc).splitlines()[0]
        # Kept as markdown, so nothing of the file is lost and the export gives it back.
        return "", text, {}, [f"Front matter is not valid YAML ({problem}); read as markdown."]
    if data is None:
        data = {}
    if not isinstance(data, dict):
        return "", text, {}, ["Front matter is not a mapping of keys to values; read as markdown."]
    fields, warnings = {}, []
    if data.get("title") is not None:
        fields["title"] = str(data["title"]).strip()
    if data.get("owner") is not None:
        fields["owner"] = str(data["owner"]).strip()
    if "review_by" in data:
        review_by = _date(data["review_by"])
        if review_by is None and data["review_by"] is not None:
            warnings.append(f"review_by {data['review_by']!r} is not a date; ignored.")
        else:
            fields["review_by"] = review_by
    return match.group(0), text[match.end() :], fields, warnings


def _date(value) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        return None


def _heading_title(markdown: str) -> str:
    """The text of the first `# ` heading outside code blocks, or ""."""
    fence = None
    for line in markdown.split("\n"):
        opening = FENCE.match(line)
        if opening:
            if fence is None:
                fence = opening.group(1)
            elif opening.group(1) == fence:
                fence = None
            continue
        if fence is None:
            heading = TITLE_HEADING.match(line)
            if heading and heading["title"].strip():
                return heading["title"].strip()
    return ""


def _file_title(relative: str) -> str:
    file = PurePosixPath(relative)
    if file.stem == "index" and file.parent.name:
        return file.parent.name
    return file.stem

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from handbook.importer import handbook_import


class Command(BaseCommand):
    help = (
        "Import a folder of markdown files as handbook pages (a/b/index.md -> page a/b/index). "
        "Fails only when a file could not be imported; the other files are imported anyway."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path)
        parser.add_argument("--prefix", default="", help="Put the pages below this page path.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Report what would change; save nothing."
        )

    def handle(self, *args, directory: Path, prefix: str, dry_run: bool, **options):
        if not directory.is_dir():
            raise CommandError(f"{directory} is not a directory.")
        try:
            report = handbook_import(root=directory, prefix=prefix, dry_run=dry_run)
        except ValidationError as exc:
            raise CommandError(f"--prefix: {' '.join(exc.messages)}") from exc
        verb = "Would import" if dry_run else "Imported"
        self.stdout.write(
            f"{verb} {directory}: {len(report.created)} created, {len(report.updated)} updated, "
            f"{len(report.unchanged)} unchanged."
        )
        for path in report.repaired:
            self.stdout.write(f"Repaired mojibake: {path}")
        for problem in report.warnings:
            self.stdout.write(self.style.WARNING(f"Warning: {problem.path}: {problem.message}"))
        for problem in report.errors:
            self.stderr.write(f"Error: {problem.path}: {problem.message}")
        if report.broken_links:
            self.stdout.write(f"{len(report.broken_links)} broken link(s):")
            for link in report.broken_links:
                self.stdout.write(f"  {link.page_path}: {link.href} ({link.reason})")
        else:
            self.stdout.write("No broken links.")
        if dry_run:
            self.stdout.write("Dry run: nothing was saved.")
        if report.errors:
            raise CommandError(f"{len(report.errors)} file(s) could not be imported.")

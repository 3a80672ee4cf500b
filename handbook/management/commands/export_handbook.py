from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from handbook.importer import handbook_export


class Command(BaseCommand):
    help = "Write handbook pages to a folder as markdown files (page a/b/index -> a/b/index.md)."

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path)
        parser.add_argument(
            "--prefix", default="", help="Export only the pages below this page path."
        )

    def handle(self, *args, directory: Path, prefix: str, **options):
        try:
            written = handbook_export(root=directory, prefix=prefix)
        except ValidationError as exc:
            raise CommandError(f"--prefix: {' '.join(exc.messages)}") from exc
        self.stdout.write(f"Exported {written} page(s) to {directory}.")

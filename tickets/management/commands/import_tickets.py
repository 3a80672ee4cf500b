from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from tickets import services
from tickets.models import Board


class Command(BaseCommand):
    help = (
        "Import tickets from a CSV export of Jira or GitHub issues into a board. Safe to run "
        "again: tickets already imported are updated, not duplicated."
    )

    def add_arguments(self, parser):
        parser.add_argument("board", help="The board's key prefix, e.g. DEL.")
        parser.add_argument("csv", type=Path)

    def handle(self, *args, board, csv, **options):
        target = Board.objects.filter(key_prefix=board).first()
        if target is None:
            raise CommandError(f"No board has the key prefix {board}.")
        try:
            text = csv.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"Cannot read {csv}: {error}") from error
        try:
            report = services.tickets_import(board=target, text=text)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        for line, problem in report.problems:
            self.stderr.write(f"line {line}: {problem}")
        self.stdout.write(
            self.style.SUCCESS(
                f"{len(report.created)} created, {len(report.updated)} updated, "
                f"{len(report.unchanged)} unchanged, {len(report.problems)} problems."
            )
        )

from django.core.management.base import BaseCommand

from releases import services


class Command(BaseCommand):
    help = "Plan every train's releases (milestones, versions, reminders) some months ahead. "
    "Safe to run again: what is planned already is left as it is."

    def add_arguments(self, parser):
        parser.add_argument("--months", type=int, default=6, help="How far ahead (default 6).")

    def handle(self, *args, months, **options):
        planned = services.releases_plan_all(months=months)
        for slug, count in planned.items():
            self.stdout.write(f"{slug}: {count} new release(s)")
        self.stdout.write(f"{sum(planned.values())} release(s) planned.")

from django.core.management.base import BaseCommand, CommandError

from handbook.models import Team
from handbook.selectors import broken_links_described


class Command(BaseCommand):
    help = "List broken links between handbook pages; exits with status 1 when there are any."

    def add_arguments(self, parser):
        parser.add_argument("--team", help="Only the pages this team (slug) owns.")

    def handle(self, *args, team: str | None, **options):
        owner = None
        if team:
            owner = Team.objects.filter(slug=team).first()
            if owner is None:
                raise CommandError(f"No team {team!r}.")
        links = broken_links_described(team=owner)
        if not links:
            self.stdout.write("No broken links.")
            return
        for link in links:
            hint = f"; did you mean {link.suggestion.href}?" if link.suggestion else ""
            self.stdout.write(f"{link.page_path}: {link.href} ({link.reason}{hint})")
        raise CommandError(f"{len(links)} broken link(s).")

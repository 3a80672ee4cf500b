from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from accounts.services import api_token_get_or_create


class Command(BaseCommand):
    help = "Print the API token of a person, creating it if needed."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        try:
            user = User.objects.get(username=username, is_active=True)
        except User.DoesNotExist as exc:
            raise CommandError(f"No active person with username “{username}”.") from exc
        self.stdout.write(api_token_get_or_create(user=user))

import uuid

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from notifications.models import Channel
from notifications.services import notify


class Command(BaseCommand):
    help = (
        "Send a test message to a notification channel through notify(), the way the product "
        "sends every message: one delivery, sent by a worker after commit."
    )

    def add_arguments(self, parser):
        parser.add_argument("--channel", required=True, help="The channel's id or exact name.")
        parser.add_argument("--text", default="Test message from Bosun.")
        parser.add_argument(
            "--key",
            help="The delivery key (default: a new one). A key already used sends nothing.",
        )

    def handle(self, *args, channel, text, key, **options):
        lookup = Q(name=channel) | Q(pk=int(channel)) if channel.isdigit() else Q(name=channel)
        found = list(Channel.objects.filter(lookup)[:2])
        if not found:
            raise CommandError(f"No channel with the id or name “{channel}”.")
        if len(found) > 1:
            raise CommandError(f"More than one channel matches “{channel}”: give its id.")
        delivery = notify(channel=found[0], key=key or f"test:{uuid.uuid4()}", text=text)
        self.stdout.write(
            f"Delivery {delivery.pk} ({delivery.key}) to {delivery.channel}: {delivery.status}"
        )

from django.conf import settings
from django.core.management.base import BaseCommand

from handbook import demo
from releases import demo as releases_demo
from rotations import demo as rotations_demo
from tickets import demo as tickets_demo


class Command(BaseCommand):
    help = "Create (or refresh) the demo organisation. Safe to run again."

    def add_arguments(self, parser):
        parser.add_argument(
            "--tickets",
            type=int,
            default=60,
            help="Tickets on the delivery board (e.g. 2000 to try a big board); the other "
            "demo boards get 60. Only a board without tickets is filled.",
        )

    def handle(self, *args, **options):
        created = demo.load_demo()
        rotas = rotations_demo.load_demo(teams=created["teams"], people=created["people"])
        trains = releases_demo.load_demo(teams=created["teams"], people=created["people"])
        boards = tickets_demo.load_demo(
            teams=created["teams"], people=created["people"], tickets=options["tickets"]
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready: {len(created['teams'])} teams, {len(created['people'])} "
                f"people, {len(created['pages'].imported)} handbook pages, {len(rotas)} rotas, "
                f"{len(boards)} boards, {len(trains)} release trains."
            )
        )
        self.stdout.write(
            f"Log in at {settings.SITE_URL}/ as {demo.ADMIN_USERNAME} / {demo.ADMIN_PASSWORD} "
            f"(or any demo person, e.g. ines.duarte / {demo.PEOPLE_PASSWORD})."
        )

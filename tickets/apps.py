from django.apps import AppConfig


class TicketsConfig(AppConfig):
    name = "tickets"
    verbose_name = "Tickets"

    def ready(self):
        from core.versions import watch

        from . import people, switcher  # noqa: F401 - the person section, the switcher's boards
        from .selectors.boards import CHOICES_DEPENDENCIES

        for label in CHOICES_DEPENDENCIES:
            watch(label)

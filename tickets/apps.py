from django.apps import AppConfig


class TicketsConfig(AppConfig):
    name = "tickets"
    verbose_name = "Tickets"

    def ready(self):
        from core.versions import watch

        from . import switcher  # noqa: F401 - registers the boards in the quick switcher
        from .selectors.boards import CHOICES_DEPENDENCIES

        for label in CHOICES_DEPENDENCIES:
            watch(label)

from django.apps import AppConfig


class RotationsConfig(AppConfig):
    name = "rotations"
    verbose_name = "Rotas"

    def ready(self):
        from accounts.feeds import feeds_register
        from core.versions import watch

        from . import live, people, switcher  # noqa: F401 - live block, person section, switcher
        from .selectors import person_shift_feeds
        from .selectors.rota import ROTA_DEPENDENCIES

        for label in ROTA_DEPENDENCIES:
            watch(label)
        feeds_register(person_shift_feeds)

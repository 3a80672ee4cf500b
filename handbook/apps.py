from django.apps import AppConfig


class HandbookConfig(AppConfig):
    name = "handbook"
    verbose_name = "Handbook"

    def ready(self):
        from . import live  # noqa: F401 - registers the handbook's live blocks

from django.apps import AppConfig


class HandbookConfig(AppConfig):
    name = "handbook"
    verbose_name = "Handbook"

    def ready(self):
        from django.urls import register_converter

        from . import live  # noqa: F401 - registers the handbook's live blocks
        from .converters import PagePathConverter

        # Used by the page URLs of the site and of the API.
        register_converter(PagePathConverter, "page_path")

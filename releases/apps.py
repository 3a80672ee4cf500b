from django.apps import AppConfig


class ReleasesConfig(AppConfig):
    name = "releases"
    verbose_name = "Releases"

    def ready(self):
        from accounts.feeds import feeds_register

        from . import (
            live,  # noqa: F401 - registers the releases live block
            people,  # noqa: F401 - the release duties of a person's page and calendar
            switcher,  # noqa: F401 - registers trains and releases in the quick switcher
        )
        from .selectors import release_feeds

        feeds_register(release_feeds)

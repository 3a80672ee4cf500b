from django.apps import AppConfig


class HandbookConfig(AppConfig):
    name = "handbook"
    verbose_name = "Handbook"

    def ready(self):
        from django.urls import register_converter

        from accounts.feeds import feeds_register
        from core.versions import watch, watch_rights

        from . import checks, live, switcher  # noqa: F401 - deploy checks, live blocks, switcher
        from .converters import PagePathConverter
        from .pages import MEMBERS_DEPENDENCY, TEAMS_DEPENDENCY
        from .selectors import person_meeting_feeds

        # Cached page rows carry their team's name; cached edit rights follow memberships
        # and permissions: changes to any of them make those copies stale.
        watch(TEAMS_DEPENDENCY)
        watch(MEMBERS_DEPENDENCY)
        watch_rights()

        # The meetings feeds of a person's teams, offered on their "My account" page.
        feeds_register(person_meeting_feeds)

        # Used by the page URLs of the site and of the API.
        register_converter(PagePathConverter, "page_path")

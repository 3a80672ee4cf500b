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
        from .selectors import person_calendar_feeds, person_meeting_feeds

        # Cached page rows carry their team's name; cached edit rights follow memberships
        # and permissions: changes to any of them make those copies stale.
        watch(TEAMS_DEPENDENCY)
        watch(MEMBERS_DEPENDENCY)
        watch_rights()

        # Offered on a person's "My account" page: their own calendar (what the other apps
        # add to it through handbook.people), and the meetings feeds of their teams.
        feeds_register(person_calendar_feeds)
        feeds_register(person_meeting_feeds)

        # Used by the page URLs of the site and of the API.
        register_converter(PagePathConverter, "page_path")

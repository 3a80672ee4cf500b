"""Query parameters of the list endpoints, validated (a bad value is a 400 naming it)."""

import django_filters

from handbook import selectors
from handbook.models import Team


class TeamFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="filter_q", max_length=200, help_text="Filter by name, slug or mission"
    )

    def filter_q(self, queryset, name, value):
        return queryset.filter(selectors.team_matches(search=value))


class PageFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="filter_nothing", max_length=200, help_text="Search words; ranks the results"
    )
    team = django_filters.ModelChoiceFilter(
        queryset=Team.objects.all(), to_field_name="slug", help_text="A team's slug"
    )

    def filter_nothing(self, queryset, name, value):
        # The search itself is done by selectors.page_search, which ranks the results.
        return queryset


class MeetingFilter(django_filters.FilterSet):
    team = django_filters.ModelChoiceFilter(
        queryset=Team.objects.all(), to_field_name="slug", help_text="A team's slug"
    )

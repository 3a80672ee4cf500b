"""Query parameters of the list endpoints, validated (a bad value is a 400 naming it)."""

import django_filters
from drf_spectacular.utils import extend_schema_field

from core import fields
from handbook import selectors
from handbook.models import Team

Q_MAX_LENGTH = 200


def _q_schema(description: str) -> dict:
    # django-filter's max_length is not in the schema by itself.
    return {"type": "string", "maxLength": Q_MAX_LENGTH, "description": description}


class TeamFilter(django_filters.FilterSet):
    q = fields.CharFilter(method="filter_q", max_length=Q_MAX_LENGTH)

    @extend_schema_field(_q_schema("Filter by name, slug or mission"))
    def filter_q(self, queryset, name, value):
        return queryset.filter(selectors.team_matches(search=value))


class PageFilter(django_filters.FilterSet):
    q = fields.CharFilter(method="filter_nothing", max_length=Q_MAX_LENGTH)
    team = fields.ModelChoiceFilter(
        queryset=Team.objects.all(), to_field_name="slug", help_text="A team's slug"
    )
    verbatim = fields.BooleanFilter(
        method="filter_nothing",
        help_text=(
            "With `q`: search the words as typed, without correcting the ones no page uses."
        ),
    )

    @extend_schema_field(_q_schema("Search words; ranks the results"))
    def filter_nothing(self, queryset, name, value):
        # The search itself is done by selectors.page_search, which ranks the results.
        return queryset


class MeetingFilter(django_filters.FilterSet):
    team = django_filters.ModelChoiceFilter(
        queryset=Team.objects.all(), to_field_name="slug", help_text="A team's slug"
    )

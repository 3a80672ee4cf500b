"""Query parameters of the people list, validated (a bad value is a 400 naming it)."""

import django_filters

from core import fields


class PersonFilter(django_filters.FilterSet):
    include_inactive = fields.BooleanFilter(
        method="filter_include_inactive", help_text="Also list deactivated people"
    )

    def filter_include_inactive(self, queryset, name, value):
        return queryset

    def filter_queryset(self, queryset):
        if not self.form.cleaned_data.get("include_inactive"):
            queryset = queryset.filter(is_active=True)
        return super().filter_queryset(queryset)

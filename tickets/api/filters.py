"""Query parameters of the ticket list, validated (a bad value is a 400 naming it)."""

import django_filters
from django.db.models import Q
from drf_spectacular.utils import extend_schema_field

from core import fields
from tickets.models import Board, Column, Ticket

Q_MAX_LENGTH = 200


class TicketFilter(django_filters.FilterSet):
    board = fields.ModelChoiceFilter(queryset=Board.objects.all(), help_text="A board id")
    column = fields.ModelChoiceFilter(queryset=Column.objects.all(), help_text="A column id")
    assignee = fields.CharFilter(
        field_name="assignee__username", max_length=150, help_text="A username"
    )
    label = fields.CharFilter(field_name="labels__name", max_length=60, help_text="A label")
    severity = fields.ChoiceFilter(choices=Ticket.Severity.choices)
    q = fields.CharFilter(method="filter_q", max_length=Q_MAX_LENGTH)

    @extend_schema_field(
        {"type": "string", "maxLength": Q_MAX_LENGTH, "description": "Words in title or text"}
    )
    def filter_q(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(description__icontains=value))

"""What the tickets' API reads and answers (../docs/api.md, "Tickets").

Input serializers use core.fields, which take exactly what the schema says; what a person may
do and where a card may go are decided by tickets.services."""

from django.contrib.auth import get_user_model
from rest_framework import serializers

from core import fields
from handbook.models import Team
from tickets.models import Board, Column, Ticket

User = get_user_model()
KEY_PREFIX = r"^[A-Z][A-Z0-9]{1,9}$"
LABEL = r"^[a-z0-9][a-z0-9/._-]*$"


# Output


class ColumnOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.ChoiceField(choices=Column.Kind.values)
    wip_limit = serializers.IntegerField(allow_null=True, help_text="null: no limit.")
    wip_mode = serializers.ChoiceField(choices=Column.WipMode.values)
    tickets = serializers.SerializerMethodField(help_text="Ticket ids, top first.")

    def get_tickets(self, column) -> list[int]:
        return self.context["order"].get(column.pk, [])


class BoardOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    team = serializers.CharField(source="team.slug")
    name = serializers.CharField()
    key_prefix = serializers.CharField()
    version = serializers.IntegerField(help_text="Grows with every change of its cards.")
    columns = ColumnOutputSerializer(many=True)


class TicketOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    key = serializers.CharField(help_text="e.g. DEL-42")
    board = serializers.IntegerField(source="board_id")
    column = serializers.IntegerField(source="column_id")
    title = serializers.CharField()
    description = serializers.CharField(help_text="Markdown.")
    kind = serializers.ChoiceField(choices=Ticket.Kind.values)
    severity = serializers.ChoiceField(choices=Ticket.Severity.values)
    priority_class = serializers.ChoiceField(choices=Ticket.PriorityClass.values)
    labels = serializers.SerializerMethodField()
    reporter = serializers.CharField(source="reporter.username", allow_null=True, default=None)
    assignee = serializers.CharField(source="assignee.username", allow_null=True, default=None)
    version = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()

    def get_labels(self, ticket) -> list[str]:
        return [label.name for label in ticket.labels.all()]


class ColumnOrderSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    tickets = serializers.ListField(child=serializers.IntegerField(), help_text="Top first.")


class MovedSerializer(serializers.Serializer):
    ticket = TicketOutputSerializer()
    columns = ColumnOrderSerializer(many=True, help_text="The columns the move touched.")


class MoveConflictSerializer(serializers.Serializer):
    detail = serializers.CharField()
    column = ColumnOrderSerializer(help_text="The target column as it is now.")


class TicketConflictSerializer(serializers.Serializer):
    detail = serializers.CharField()
    current = TicketOutputSerializer()


class DetailSerializer(serializers.Serializer):
    detail = serializers.CharField()


# Input


class ColumnInputSerializer(serializers.Serializer):
    name = fields.CharField(max_length=60)
    kind = fields.ChoiceField(choices=Column.Kind.values, required=False, default="other")
    wip_limit = fields.IntegerField(
        min_value=1, max_value=10000, allow_null=True, required=False, default=None
    )
    wip_mode = fields.ChoiceField(choices=Column.WipMode.values, required=False, default="soft")


class BoardInputSerializer(serializers.Serializer):
    team = fields.SlugRelatedField(slug_field="slug", queryset=Team.objects.all())
    name = fields.CharField(max_length=120)
    key_prefix = fields.RegexField(KEY_PREFIX, max_length=10, help_text="e.g. DEL")
    columns = ColumnInputSerializer(
        many=True,
        required=False,
        min_length=1,
        max_length=20,
        help_text="Left to right; without them: Triage, To do, In progress, Done.",
    )

    def validate_key_prefix(self, value):
        if Board.objects.filter(key_prefix=value).exists():
            raise serializers.ValidationError("Another board has this key prefix.")
        return value

    def validate_columns(self, columns):
        names = [column["name"] for column in columns]
        if len(set(names)) != len(names):
            raise serializers.ValidationError("Each column needs its own name.")
        return columns


class _TicketFields(serializers.Serializer):
    title = fields.CharField(max_length=200)
    description = fields.CharField(allow_blank=True, required=False, max_length=100_000)
    kind = fields.ChoiceField(choices=Ticket.Kind.values, required=False)
    severity = fields.ChoiceField(choices=Ticket.Severity.values, required=False)
    priority_class = fields.ChoiceField(choices=Ticket.PriorityClass.values, required=False)
    labels = serializers.ListField(
        child=fields.RegexField(LABEL, max_length=60), max_length=50, required=False
    )
    assignee = fields.SlugRelatedField(
        slug_field="username", queryset=User.objects.all(), allow_null=True, required=False
    )

    def validate_labels(self, names):
        return list(dict.fromkeys(names))


class TicketInputSerializer(_TicketFields):
    board = fields.IntegerField(min_value=1, max_value=2**63 - 1)
    column = fields.IntegerField(
        min_value=1, max_value=2**63 - 1, required=False, help_text="Default: the first column."
    )

    def validate_board(self, pk):
        board = Board.objects.select_related("team").filter(pk=pk).first()
        if board is None:
            raise serializers.ValidationError("No such board.")
        return board

    def validate(self, data):
        if "column" in data:
            column = data["board"].columns.filter(pk=data["column"]).first()
            if column is None:
                raise serializers.ValidationError({"column": ["Not a column of this board."]})
            data["column"] = column
        return data


class TicketPatchSerializer(_TicketFields):
    version = fields.IntegerField(
        min_value=1,
        max_value=2**31 - 1,
        required=False,
        help_text="The version the change is made from: 409 if the ticket has changed since.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False


class MoveInputSerializer(serializers.Serializer):
    column = fields.IntegerField(min_value=1, max_value=2**63 - 1)
    after = fields.IntegerField(
        min_value=1,
        max_value=2**63 - 1,
        allow_null=True,
        help_text="The ticket it now follows; null: the top.",
    )


class SupportRequestInputSerializer(serializers.Serializer):
    team = fields.SlugRelatedField(slug_field="slug", queryset=Team.objects.all())
    summary = fields.CharField(max_length=200, help_text="A short description.")
    background = fields.CharField(
        max_length=20_000,
        allow_blank=True,
        required=False,
        default="",
        help_text="Background, context and the challenge.",
    )
    impact = fields.CharField(max_length=20_000, allow_blank=True, required=False, default="")
    extra = fields.CharField(
        max_length=20_000,
        allow_blank=True,
        required=False,
        default="",
        help_text="Anything else that helps.",
    )
    urgency = fields.ChoiceField(
        choices=["normal", "hours", "asap"],
        required=False,
        default="normal",
        help_text="`hours`: the team's channel is told; `asap`: also the person on call.",
    )

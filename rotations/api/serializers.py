"""What the rotas' API reads and answers (../docs/api.md, "Rotations").

Input serializers use core.fields, which take exactly what the schema says; what a person may
do and what a rota allows are decided by rotations.services."""

from datetime import time

from django.contrib.auth import get_user_model
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.models import validate_timezone
from core import fields
from handbook.models import Team
from rotations.models import Rotation
from rotations.services import RoleSpec

User = get_user_model()

HANDOFF_TIME = r"^([01][0-9]|2[0-3]):[0-5][0-9]$"
SOURCES = ["rotation", "override", "gap"]


@extend_schema_field({"type": "string", "pattern": HANDOFF_TIME, "example": "09:00"})
class HandoffTimeField(serializers.Field):
    """A local wall-clock time as `HH:MM`, 00:00 to 23:59."""

    def to_representation(self, value: time) -> str:
        return f"{value:%H:%M}"


class MemberUsernamesField(serializers.ListField):
    """A role's members (prefetched with their people) as usernames, in rota order."""

    def to_representation(self, members):
        return [member.user.username for member in members.all()]


# Output


class RoleOutputSerializer(serializers.Serializer):
    name = serializers.CharField()
    handoff_weekday = serializers.IntegerField(help_text="0 = Monday ... 6 = Sunday.")
    handoff_time = HandoffTimeField(help_text="HH:MM, in the rotation's zone.")
    cycle_weeks = serializers.IntegerField()
    start = serializers.DateField(help_text="The first handoff is on or after this date.")
    escalation_timeout_minutes = serializers.IntegerField()
    members = MemberUsernamesField(child=serializers.CharField(), help_text="Usernames in order.")


class RotationOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    team = serializers.CharField(source="team.slug")
    name = serializers.CharField()
    timezone = serializers.CharField()
    holiday_country = serializers.CharField()
    roles = RoleOutputSerializer(many=True, help_text="In escalation order.")
    url = serializers.CharField(source="get_absolute_url", help_text="The rota's page.")
    updated_at = serializers.DateTimeField()


class HolderSerializer(serializers.Serializer):
    role = serializers.CharField(source="role.name")
    username = serializers.CharField(source="person.username", allow_null=True, default=None)
    display_name = serializers.CharField(source="person.name", allow_null=True, default=None)
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()
    source = serializers.ChoiceField(choices=SOURCES, help_text="`gap`: nobody holds the role.")


class OncallSerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    roles = HolderSerializer(many=True)


class RotationOncallSerializer(serializers.Serializer):
    rotation = serializers.IntegerField(source="snapshot.id")
    name = serializers.CharField(source="snapshot.name")
    team = serializers.CharField(source="snapshot.team_slug")
    timezone = serializers.CharField(source="snapshot.timezone")
    roles = HolderSerializer(many=True, source="holders")


class ShiftSerializer(HolderSerializer):
    override = serializers.IntegerField(
        allow_null=True, help_text="The override behind this stretch, if any."
    )


class OverrideOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    rotation = serializers.IntegerField(source="role.rotation_id")
    role = serializers.CharField(source="role.name")
    username = serializers.CharField(source="user.username")
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()
    reason = serializers.CharField()
    created_at = serializers.DateTimeField()
    created_by = serializers.CharField(source="created_by.username", allow_null=True, default=None)
    cancelled_at = serializers.DateTimeField(
        allow_null=True, help_text="Set once cancelled: from then on the rota holds again."
    )


class AlertStepSerializer(serializers.Serializer):
    index = serializers.IntegerField()
    role = serializers.CharField(source="role.name")
    username = serializers.CharField(source="user.username", allow_null=True, default=None)
    notified_at = serializers.DateTimeField()


class AlertOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    rotation = serializers.IntegerField(source="rotation_id")
    summary = serializers.CharField()
    ticket = serializers.CharField()
    status = serializers.ChoiceField(choices=["open", "acknowledged", "unanswered"])
    created_at = serializers.DateTimeField()
    acknowledged_at = serializers.DateTimeField(allow_null=True)
    acknowledged_by = serializers.CharField(
        source="acknowledged_by.username", allow_null=True, default=None
    )
    next_step_at = serializers.DateTimeField(
        allow_null=True, help_text="When the next role is paged unless acknowledged first."
    )
    steps = AlertStepSerializer(many=True)
    url = serializers.CharField(source="get_absolute_url")


# Input


class RoleInputSerializer(serializers.Serializer):
    name = fields.CharField(max_length=80)
    handoff_weekday = fields.IntegerField(min_value=0, max_value=6, help_text="0 = Monday.")
    handoff_time = fields.RegexField(
        HANDOFF_TIME, max_length=5, help_text="HH:MM local time, 00:00 to 23:59."
    )
    cycle_weeks = fields.IntegerField(min_value=1, max_value=52, default=1)
    start = fields.DateField(help_text="The first handoff is on the first weekday on or after it.")
    escalation_timeout_minutes = fields.IntegerField(min_value=1, max_value=24 * 60, default=15)
    members = serializers.ListField(
        child=fields.CharField(max_length=150),
        max_length=100,
        help_text="Usernames of members of the rotation's team, in rota order.",
    )

    def validate_handoff_time(self, value: str) -> time:
        hours, minutes = value.split(":")
        return time(int(hours), int(minutes))

    def validate_members(self, names: list[str]) -> list:
        found = {user.username: user for user in User.objects.filter(username__in=names)}
        unknown = [name for name in names if name not in found]
        if unknown:
            raise serializers.ValidationError(f"No such person: {', '.join(unknown)}.")
        return [found[name] for name in names]

    def to_spec(self) -> RoleSpec:
        return RoleSpec(**self.validated_data)


class RotationInputSerializer(serializers.Serializer):
    team = fields.SlugRelatedField(slug_field="slug", queryset=Team.objects.all())
    name = fields.CharField(max_length=120)
    timezone = fields.CharField(
        max_length=64, validators=[validate_timezone], help_text="An IANA zone, e.g. Europe/Berlin."
    )
    holiday_country = fields.CharField(
        max_length=2, allow_blank=True, required=False, help_text="e.g. DE; empty: none."
    )
    roles = RoleInputSerializer(
        many=True, min_length=1, max_length=20, help_text="In escalation order."
    )

    def validated_specs(self) -> dict:
        data = dict(self.validated_data)
        if "roles" in data:
            data["roles"] = [RoleSpec(**role) for role in data["roles"]]
        return data


class RotationPatchSerializer(RotationInputSerializer):
    """A change: every field optional, but roles given are complete (they replace the
    rotation's roles). Not DRF's `partial=True`, which would make a role's own fields optional
    too."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False


class OverrideInputSerializer(serializers.Serializer):
    role = fields.CharField(max_length=80, help_text="The name of one of the rotation's roles.")
    username = fields.SlugRelatedField(
        slug_field="username", queryset=User.objects.all(), help_text="Who covers."
    )
    start = fields.DateTimeField()
    end = fields.DateTimeField()
    reason = fields.CharField(max_length=200, allow_blank=True, required=False, default="")

    def validate_role(self, name: str):
        role = self.context["rotation"].roles.filter(name=name).first()
        if role is None:
            names = ", ".join(self.context["rotation"].roles.values_list("name", flat=True))
            raise serializers.ValidationError(f"No role of this name; the roles are {names}.")
        return role


class AlertInputSerializer(serializers.Serializer):
    rotation = fields.IntegerField(min_value=1, max_value=2**31 - 1)
    summary = fields.CharField(max_length=300)
    ticket = fields.CharField(max_length=40, allow_blank=True, required=False, default="")

    def validate_rotation(self, pk: int) -> Rotation:
        rotation = Rotation.objects.filter(pk=pk).select_related("team").first()
        if rotation is None:
            raise serializers.ValidationError("No such rotation.")
        return rotation


class WindowQuerySerializer(serializers.Serializer):
    start = fields.DateTimeField(required=False, help_text="Default: now.")
    end = fields.DateTimeField(required=False, help_text="Default: four weeks after start.")


class AtQuerySerializer(serializers.Serializer):
    at = fields.DateTimeField(required=False, help_text="Default: now.")


class TeamQuerySerializer(serializers.Serializer):
    team = fields.CharField(max_length=60, required=False, help_text="A team's slug; all if none.")

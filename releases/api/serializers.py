"""What the releases' API reads and answers (../docs/api.md, "Releases").

Input serializers use core.fields, which take exactly what the schema says; rules (a rule that
never fires, versions, business days, who may) are decided by releases.services."""

from django.contrib.auth import get_user_model
from rest_framework import serializers

from accounts.models import validate_timezone
from core import fields
from handbook.models import Team
from notifications.models import Channel
from releases.models import VERSION, Release, Train
from releases.services import MilestoneSpec

User = get_user_model()
VERSION_PATTERN = f"^{VERSION.pattern}$"


class _RenamedFields:
    """Serializers with a field named after a Python keyword (`from`): declared as `from_`,
    answered and read as `from`."""

    renamed = {"from_": "from"}

    def get_fields(self):
        return {self.renamed.get(name, name): field for name, field in super().get_fields().items()}


# Output


class MilestoneTemplateSerializer(serializers.Serializer):
    name = serializers.CharField()
    offset_business_days = serializers.IntegerField(help_text="Business days before release day.")


class DatesField(serializers.ListField):
    """A train's own holidays (prefetched) as dates."""

    child = serializers.DateField()

    def to_representation(self, holidays):
        return [holiday.date.isoformat() for holiday in holidays.all()]


class TrainOutputSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    kind = serializers.ChoiceField(choices=Train.Kind.choices)
    team = serializers.CharField(source="team.slug")
    rule = serializers.CharField(help_text="An RRULE for release days.")
    adjustment = serializers.ChoiceField(choices=Train.Adjustment.choices)
    start = serializers.DateField()
    timezone = serializers.CharField(help_text="Reminders go out at 09:00 in this zone.")
    holiday_country = serializers.CharField()
    holidays = DatesField(help_text="The team's own days off (public holidays come on top).")
    milestones = MilestoneTemplateSerializer(many=True, source="milestone_templates.all")
    reminder_days = serializers.ListField(child=serializers.IntegerField())
    channel = serializers.IntegerField(source="channel_id", allow_null=True)
    version_pattern = serializers.ChoiceField(choices=Train.VersionPattern.choices)
    first_version = serializers.CharField()
    manager_role = serializers.CharField()
    updated_at = serializers.DateTimeField()


class MilestoneSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    offset_business_days = serializers.IntegerField()
    due = serializers.DateField()
    done_at = serializers.DateTimeField(allow_null=True)


class SlipSerializer(_RenamedFields, serializers.Serializer):
    from_ = serializers.DateField(source="from_date")
    to = serializers.DateField(source="to_date")
    reason = serializers.CharField()
    at = serializers.DateTimeField()
    by = serializers.CharField(source="by.username", allow_null=True, default=None)


class ReleaseOutputSerializer(serializers.Serializer):
    version = serializers.CharField()
    train = serializers.CharField(source="train.slug")
    kind = serializers.ChoiceField(choices=Train.Kind.choices, source="train.kind")
    release_date = serializers.DateField()
    planned_date = serializers.DateField(help_text="The day the rule gave (slips count from it).")
    status = serializers.ChoiceField(choices=Release.Status.choices)
    manager = serializers.CharField(source="manager.username", allow_null=True, default=None)
    edited = serializers.BooleanField(help_text="Changed by hand: planning leaves it alone.")
    milestones = MilestoneSerializer(many=True, source="milestones.all")
    slips = SlipSerializer(many=True, source="slips.all", help_text="Moves of the release day.")
    released_at = serializers.DateTimeField(allow_null=True)


class PlanOutputSerializer(serializers.Serializer):
    created = serializers.IntegerField(help_text="How many releases were added.")
    releases = serializers.ListField(child=serializers.CharField(), help_text="Their versions.")


class TrainCountSerializer(serializers.Serializer):
    train = serializers.CharField()
    name = serializers.CharField()
    released = serializers.IntegerField()


class MonthCountSerializer(serializers.Serializer):
    month = serializers.DateField(help_text="The month's first day.")
    released = serializers.IntegerField()
    on_time = serializers.IntegerField()


class MetricsSerializer(_RenamedFields, serializers.Serializer):
    from_ = serializers.DateField(source="start", allow_null=True)
    to = serializers.DateField(source="end", allow_null=True)
    kind = serializers.CharField(allow_null=True)
    released = serializers.IntegerField(help_text="Releases shipped with a release day in range.")
    on_time = serializers.IntegerField()
    on_time_rate = serializers.FloatField(allow_null=True, help_text="0 to 1; null: none.")
    mean_slip_days = serializers.FloatField(allow_null=True, help_text="In business days.")
    max_slip_days = serializers.IntegerField(allow_null=True, help_text="In business days.")
    per_train = TrainCountSerializer(many=True)
    per_month = MonthCountSerializer(many=True, help_text="Each month with a release shipped.")


# Input


class MilestoneTemplateInputSerializer(serializers.Serializer):
    name = fields.CharField(max_length=80)
    offset_business_days = fields.IntegerField(
        min_value=0,
        max_value=250,
        help_text="Business days before release day; 0 is release day, none come after it.",
    )


class TrainInputSerializer(serializers.Serializer):
    team = fields.SlugRelatedField(slug_field="slug", queryset=Team.objects.all())
    slug = fields.SlugField(max_length=60)
    name = fields.CharField(max_length=120)
    kind = fields.ChoiceField(choices=Train.Kind.choices)
    rule = fields.CharField(
        max_length=300,
        help_text="An RRULE (WEEKLY, MONTHLY or YEARLY), e.g. FREQ=MONTHLY;BYDAY=+3TH.",
    )
    adjustment = fields.ChoiceField(
        choices=Train.Adjustment.choices, required=False, default="previous"
    )
    start = fields.DateField(help_text="The first date the rule counts from.")
    timezone = fields.CharField(
        max_length=64, validators=[validate_timezone], required=False, default="UTC"
    )
    holiday_country = fields.CharField(max_length=2, allow_blank=True, required=False, default="")
    holidays = serializers.ListField(
        child=fields.DateField(), max_length=500, required=False, default=list
    )
    milestones = MilestoneTemplateInputSerializer(many=True, min_length=1, max_length=30)
    reminder_days = serializers.ListField(
        child=fields.IntegerField(min_value=0, max_value=30),
        max_length=10,
        required=False,
        default=list,
    )
    channel = fields.IntegerField(
        min_value=1, max_value=2**31 - 1, required=False, allow_null=True, default=None
    )
    version_pattern = fields.ChoiceField(
        choices=Train.VersionPattern.choices, required=False, default="next-minor"
    )
    first_version = fields.RegexField(VERSION_PATTERN, max_length=16)
    manager_role = fields.CharField(
        max_length=80, allow_blank=True, required=False, default="Release Manager"
    )

    def validate_channel(self, pk):
        if pk is None:
            return None
        channel = Channel.objects.filter(pk=pk).first()
        if channel is None:
            raise serializers.ValidationError("No such channel.")
        return channel

    def validated_values(self) -> dict:
        data = dict(self.validated_data)
        if "milestones" in data:
            data["milestones"] = [MilestoneSpec(**m) for m in data["milestones"]]
        return data


class TrainPatchSerializer(TrainInputSerializer):
    """A change: every field optional; `milestones` and `holidays`, when given, replace them."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False
            if hasattr(field, "default"):
                field.default = serializers.empty


class PlanInputSerializer(serializers.Serializer):
    until = fields.DateField(help_text="Plan releases up to this day (at most ten years ahead).")


class ReleaseInputSerializer(serializers.Serializer):
    train = fields.SlugRelatedField(slug_field="slug", queryset=Train.objects.all())
    version = fields.RegexField(VERSION_PATTERN, max_length=16)
    release_date = fields.DateField()
    manager = fields.SlugRelatedField(
        slug_field="username",
        queryset=User.objects.all(),
        required=False,
        allow_null=True,
        default=None,
    )


class ReleasePatchSerializer(serializers.Serializer):
    release_date = fields.DateField(
        required=False, help_text="Reschedules: milestones move, a slip is recorded."
    )
    reason = fields.CharField(max_length=300, allow_blank=True, required=False, default="")
    manager = fields.SlugRelatedField(
        slug_field="username", queryset=User.objects.all(), required=False, allow_null=True
    )
    status = fields.ChoiceField(choices=Release.Status.choices, required=False)


class MilestonePatchSerializer(serializers.Serializer):
    due = fields.DateField(required=False, help_text="Moves this milestone alone.")
    reason = fields.CharField(max_length=300, allow_blank=True, required=False, default="")
    done = fields.BooleanField(required=False, help_text="Ticks (or unticks) it as reached.")


class ReleaseQuerySerializer(_RenamedFields, serializers.Serializer):
    from_ = fields.DateField(required=False, help_text="Release days on or after.")
    to = fields.DateField(required=False, help_text="Release days on or before.")
    kind = fields.ChoiceField(choices=Train.Kind.choices, required=False)
    train = fields.SlugField(max_length=60, required=False, help_text="A train's slug.")

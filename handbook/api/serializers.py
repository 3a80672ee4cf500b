from django.contrib.auth import get_user_model
from rest_framework import serializers

from core import fields
from handbook.models import Membership, Team, validate_recurrence

User = get_user_model()


# Output


class MemberOutputSerializer(serializers.Serializer):
    username = serializers.CharField(source="user.username")
    display_name = serializers.CharField(source="user.name")
    role = serializers.CharField()


class ContactOutputSerializer(serializers.Serializer):
    reason = serializers.CharField()
    contacts = serializers.ListField(child=serializers.CharField())
    via = serializers.CharField()


class TeamOutputSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()
    mission = serializers.CharField()
    parent = serializers.CharField(source="parent.slug", allow_null=True, default=None)
    # Output URLs and addresses may be empty strings, so they are not typed as uri/email.
    channel_url = serializers.CharField()
    members = MemberOutputSerializer(source="memberships", many=True)
    contacts = ContactOutputSerializer(many=True)
    vision_1y = serializers.CharField()
    vision_3y = serializers.CharField()
    vision_10y = serializers.CharField()
    principles = serializers.ListField(child=serializers.CharField())
    ownership = serializers.ListField(
        child=serializers.CharField(), help_text="Areas of ownership, highest priority first."
    )
    support_guidelines = serializers.CharField()
    version = serializers.IntegerField(
        help_text="Grows with every change to the team, its contacts or workstreams; send it "
        "back with a PATCH to be told (409) of a change made meanwhile."
    )
    updated_at = serializers.DateTimeField()


class TeamConflictSerializer(serializers.Serializer):
    detail = serializers.CharField()
    current = TeamOutputSerializer()


# Input


class _ActivePersonField(fields.SlugRelatedField):
    def __init__(self, **kwargs):
        super().__init__(
            slug_field="username", queryset=User.objects.filter(is_active=True), **kwargs
        )


class MemberInputSerializer(serializers.Serializer):
    username = _ActivePersonField(source="user")
    role = fields.ChoiceField(choices=Membership.Role.choices, default=Membership.Role.ENGINEER)


class ContactInputSerializer(serializers.Serializer):
    reason = fields.CharField(max_length=200)
    contacts = serializers.ListField(
        child=fields.CharField(max_length=200),
        allow_empty=False,
        min_length=1,  # for the schema's minItems: allow_empty is not in it
        max_length=20,
        help_text="In priority order.",
    )
    via = fields.CharField(max_length=120, allow_blank=True, default="")


class TeamInputSerializer(serializers.Serializer):
    slug = fields.SlugField(max_length=60)
    name = fields.CharField(max_length=120)
    mission = fields.CharField(allow_blank=True, required=False)
    parent = fields.SlugRelatedField(
        slug_field="slug", queryset=Team.objects.all(), allow_null=True, required=False
    )
    channel_url = fields.URLField(allow_blank=True, required=False)
    members = MemberInputSerializer(many=True, required=False)
    contacts = ContactInputSerializer(many=True, required=False)
    vision_1y = fields.CharField(allow_blank=True, required=False)
    vision_3y = fields.CharField(allow_blank=True, required=False)
    vision_10y = fields.CharField(allow_blank=True, required=False)
    principles = serializers.ListField(
        child=fields.CharField(max_length=500), required=False, max_length=50
    )
    ownership = serializers.ListField(
        child=fields.CharField(max_length=500), required=False, max_length=50
    )
    support_guidelines = fields.CharField(allow_blank=True, required=False)

    def validate_slug(self, slug):
        existing = Team.objects.filter(slug=slug)
        if self.instance is not None:
            existing = existing.exclude(pk=self.instance.pk)
        if existing.exists():
            raise serializers.ValidationError("A team with this slug already exists.")
        return slug


class TeamPatchSerializer(TeamInputSerializer):
    version = fields.IntegerField(
        required=False,
        min_value=1,
        help_text="The team's version the change is made from: a team changed since is not "
        "changed (409).",
    )


# Pages


class TocEntrySerializer(serializers.Serializer):
    level = serializers.IntegerField()
    title = serializers.CharField()
    anchor = serializers.CharField()


class PageLinkSerializer(serializers.Serializer):
    href = serializers.CharField()
    target = serializers.CharField(allow_null=True)
    broken = serializers.BooleanField()


class PageListOutputSerializer(serializers.Serializer):
    path = serializers.CharField()
    title = serializers.CharField()
    team = serializers.CharField(source="team.slug", allow_null=True, default=None)
    updated_at = serializers.DateTimeField()
    review_by = serializers.DateField(allow_null=True)
    url = serializers.SerializerMethodField()

    def get_url(self, page) -> str:
        return self.context["request"].build_absolute_uri(page.get_absolute_url())


class PageSearchOutputSerializer(PageListOutputSerializer):
    """A page of the list; with `q`, also its `snippet` and `rank` (absent without `q`)."""

    snippet = serializers.CharField(
        required=False, help_text="Only with `q`. HTML: the matching text with <mark> tags."
    )
    rank = serializers.FloatField(
        required=False, help_text="Only with `q`. Relevance: higher is better."
    )


class PageDetailOutputSerializer(PageListOutputSerializer):
    version = serializers.IntegerField(
        help_text="Grows with every revision; send it back to update only this version."
    )
    markdown = serializers.CharField()
    html = serializers.CharField(source="rendered.html")
    toc = TocEntrySerializer(source="rendered.toc", many=True)
    links = PageLinkSerializer(source="rendered.links", many=True)


class PageConflictOutputSerializer(serializers.Serializer):
    detail = serializers.CharField()
    current = PageDetailOutputSerializer(
        allow_null=True, help_text="The page as it is now (null: it no longer exists)."
    )


class PageInputSerializer(serializers.Serializer):
    title = fields.CharField(max_length=200)
    markdown = fields.CharField(allow_blank=True, trim_whitespace=False)
    team = fields.SlugRelatedField(
        slug_field="slug", queryset=Team.objects.all(), allow_null=True, required=False
    )
    review_by = fields.DateField(allow_null=True, required=False)
    version = fields.IntegerField(
        min_value=0,
        max_value=2**31 - 1,
        required=False,
        help_text="The version this change starts from (0: create only); stale -> 409.",
    )
    change_summary = fields.CharField(
        max_length=100,
        required=False,
        allow_blank=True,
        help_text="What changed and why, in a few words: kept with the revision and shown in "
        "the page's history.",
    )


# Meetings


class MeetingOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    team = serializers.CharField(source="team.slug")
    name = serializers.CharField()
    topic = serializers.CharField()
    participants = serializers.CharField()
    recurrence = serializers.CharField(help_text="An RFC 5545 RRULE, e.g. FREQ=WEEKLY;BYDAY=TU")
    start = serializers.DateTimeField()
    duration_minutes = serializers.IntegerField()
    timezone = serializers.CharField()
    next_occurrence = serializers.DateTimeField(allow_null=True)


class MeetingInputSerializer(serializers.Serializer):
    team = fields.SlugRelatedField(slug_field="slug", queryset=Team.objects.all())
    name = fields.CharField(max_length=200)
    topic = fields.CharField(max_length=300, allow_blank=True, required=False)
    participants = fields.CharField(max_length=500, allow_blank=True, required=False)
    recurrence = fields.CharField(
        max_length=500,
        allow_blank=True,
        required=False,
        validators=[validate_recurrence],
        help_text="An RFC 5545 RRULE, e.g. FREQ=WEEKLY;BYDAY=TU (empty: once, at `start`).",
    )
    start = fields.DateTimeField(help_text="The first occurrence, with its offset.")
    duration_minutes = fields.IntegerField(min_value=1, max_value=24 * 60, default=30)
    timezone = fields.CharField(
        max_length=64, default="UTC", help_text="An IANA time zone, e.g. Europe/Berlin."
    )

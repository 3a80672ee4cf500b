from django.contrib.auth import get_user_model
from rest_framework import serializers

from handbook.models import Membership, Team

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
    updated_at = serializers.DateTimeField()


class PersonOutputSerializer(serializers.Serializer):
    username = serializers.CharField()
    display_name = serializers.CharField(source="name")
    email = serializers.CharField()
    timezone = serializers.CharField()
    is_active = serializers.BooleanField()
    teams = serializers.SerializerMethodField()

    def get_teams(self, person) -> list[str]:
        return [membership.team.slug for membership in person.memberships.all()]


# Input


class _ActivePersonField(serializers.SlugRelatedField):
    def __init__(self, **kwargs):
        super().__init__(
            slug_field="username", queryset=User.objects.filter(is_active=True), **kwargs
        )


class MemberInputSerializer(serializers.Serializer):
    username = _ActivePersonField(source="user")
    role = serializers.ChoiceField(
        choices=Membership.Role.choices, default=Membership.Role.ENGINEER
    )


class ContactInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200)
    contacts = serializers.ListField(
        child=serializers.CharField(max_length=200), allow_empty=False, max_length=20
    )
    via = serializers.CharField(max_length=120, allow_blank=True, default="")


class TeamInputSerializer(serializers.Serializer):
    slug = serializers.SlugField(max_length=60)
    name = serializers.CharField(max_length=120)
    mission = serializers.CharField(allow_blank=True, required=False)
    parent = serializers.SlugRelatedField(
        slug_field="slug", queryset=Team.objects.all(), allow_null=True, required=False
    )
    channel_url = serializers.URLField(allow_blank=True, required=False)
    members = MemberInputSerializer(many=True, required=False)
    contacts = ContactInputSerializer(many=True, required=False)

    def validate_slug(self, slug):
        existing = Team.objects.filter(slug=slug)
        if self.instance is not None:
            existing = existing.exclude(pk=self.instance.pk)
        if existing.exists():
            raise serializers.ValidationError("A team with this slug already exists.")
        return slug


class PersonCreateInputSerializer(serializers.Serializer):
    username = serializers.RegexField(r"^[\w.@+-]+\Z", max_length=150)
    email = serializers.EmailField(required=False, allow_blank=True)
    display_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    timezone = serializers.CharField(max_length=64, required=False)
    password = serializers.CharField(
        write_only=True, required=False, trim_whitespace=False, style={"input_type": "password"}
    )


class PersonUpdateInputSerializer(serializers.Serializer):
    email = serializers.EmailField(required=False, allow_blank=True)
    display_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    timezone = serializers.CharField(max_length=64, required=False)
    is_active = serializers.BooleanField(required=False)

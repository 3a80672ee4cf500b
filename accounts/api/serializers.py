from rest_framework import serializers

from core import fields


class TokenInputSerializer(serializers.Serializer):
    username = fields.CharField()
    password = fields.CharField(style={"input_type": "password"}, trim_whitespace=False)


class TokenOutputSerializer(serializers.Serializer):
    token = serializers.CharField()


class CalendarTokenOutputSerializer(serializers.Serializer):
    token = serializers.CharField(
        help_text="The new token; add it to any calendar feed URL as `?token=`. Shown only now."
    )
    created_at = serializers.DateTimeField()


class MeOutputSerializer(serializers.Serializer):
    username = serializers.CharField()
    display_name = serializers.CharField(source="name")
    email = serializers.CharField()
    timezone = serializers.CharField()
    is_staff = serializers.BooleanField()


class PersonOutputSerializer(serializers.Serializer):
    username = serializers.CharField()
    display_name = serializers.CharField(source="name")
    email = serializers.CharField()
    timezone = serializers.CharField()
    is_active = serializers.BooleanField()
    teams = serializers.SerializerMethodField()

    def get_teams(self, person) -> list[str]:
        return [membership.team.slug for membership in person.memberships.all()]


class PersonCreateInputSerializer(serializers.Serializer):
    username = fields.RegexField(r"^[\w.@+-]+\Z", max_length=150)
    email = fields.EmailField(max_length=254, required=False, allow_blank=True)
    display_name = fields.CharField(max_length=150, required=False, allow_blank=True)
    timezone = fields.CharField(
        max_length=64, required=False, help_text="An IANA time zone, e.g. Europe/Berlin."
    )
    password = fields.CharField(
        write_only=True,
        required=False,
        trim_whitespace=False,
        style={"input_type": "password"},
        help_text=(
            "Checked by the password rules (at least 8 characters, not a common password, not "
            "only digits, not like the username). Without it the account cannot log in with a "
            "password."
        ),
    )


class PersonUpdateInputSerializer(serializers.Serializer):
    email = fields.EmailField(max_length=254, required=False, allow_blank=True)
    display_name = fields.CharField(max_length=150, required=False, allow_blank=True)
    timezone = fields.CharField(
        max_length=64, required=False, help_text="An IANA time zone, e.g. Europe/Berlin."
    )
    is_active = fields.BooleanField(
        required=False, help_text="false deactivates the account (as DELETE does)."
    )

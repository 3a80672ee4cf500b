from rest_framework import serializers


class TokenInputSerializer(serializers.Serializer):
    username = serializers.CharField()
    password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False)


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

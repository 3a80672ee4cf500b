from rest_framework import serializers


class TokenInputSerializer(serializers.Serializer):
    username = serializers.CharField()
    password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False)


class TokenOutputSerializer(serializers.Serializer):
    token = serializers.CharField()


class MeOutputSerializer(serializers.Serializer):
    username = serializers.CharField()
    display_name = serializers.CharField(source="name")
    email = serializers.CharField()
    timezone = serializers.CharField()
    is_staff = serializers.BooleanField()

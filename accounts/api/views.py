from django.contrib.auth import authenticate
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from accounts.services import api_token_get_or_create

from .serializers import MeOutputSerializer, TokenInputSerializer, TokenOutputSerializer


class TokenView(APIView):
    """Trade a username and password for the API token of that person."""

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "token"

    @extend_schema(
        request=TokenInputSerializer,
        responses={200: TokenOutputSerializer},
        auth=[],
        summary="Get an API token",
    )
    def post(self, request):
        data = TokenInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = authenticate(
            request,
            username=data.validated_data["username"],
            password=data.validated_data["password"],
        )
        if user is None:
            raise ValidationError(
                {"non_field_errors": ["Unable to log in with these credentials."]}
            )
        key = api_token_get_or_create(user=user)
        return Response(TokenOutputSerializer({"token": key}).data, status=status.HTTP_200_OK)


class MeView(APIView):
    """The person the request is authenticated as."""

    @extend_schema(responses={200: MeOutputSerializer}, summary="Who am I")
    def get(self, request):
        return Response(MeOutputSerializer(request.user).data)

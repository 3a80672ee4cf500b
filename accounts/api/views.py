from django.conf import settings
from django.contrib.auth import authenticate
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from accounts import selectors
from accounts.services import (
    api_token_get_or_create,
    calendar_token_create_or_rotate,
    calendar_token_revoke,
    person_create,
    person_deactivate,
    person_update,
)
from core.schema import response_links

from .filters import PersonFilter
from .serializers import (
    CalendarTokenOutputSerializer,
    MeOutputSerializer,
    PersonCreateInputSerializer,
    PersonOutputSerializer,
    PersonUpdateInputSerializer,
    TokenInputSerializer,
    TokenOutputSerializer,
)


class LoginLockedOut(APIException):
    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_code = "locked_out"

    def __init__(self):
        minutes = round(settings.AXES_COOLOFF_TIME.total_seconds() / 60)
        super().__init__(
            f"Too many failed logins for this account or from this address: locked for "
            f"{minutes} minutes, even with the right password."
        )


class TokenView(APIView):
    """Trade a username and password for the API token of that person."""

    authentication_classes = []
    permission_classes = [AllowAny]
    # The one endpoint that also takes a form (`curl -d username=...`): two plain strings.
    parser_classes = [JSONParser, FormParser, MultiPartParser]
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
            if getattr(request, "axes_locked_out", False):
                raise LoginLockedOut()
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


class CalendarTokenView(APIView):
    """The caller's own calendar token, which calendar apps put in `.ics` feed URLs."""

    @extend_schema(
        request=None,
        responses={201: CalendarTokenOutputSerializer},
        summary="Create or replace my calendar token",
        description=(
            "Issues a new calendar token for the caller, replacing the one they had: the old "
            "token stops working at once. The token is shown only in this answer (it is stored "
            "hashed). Add it to a feed URL, e.g. `/teams/{slug}/meetings.ics?token=...`."
        ),
    )
    def post(self, request):
        issued = calendar_token_create_or_rotate(user=request.user)
        response = Response(
            CalendarTokenOutputSerializer(issued).data, status=status.HTTP_201_CREATED
        )
        response["Cache-Control"] = "no-store"
        return response

    @extend_schema(
        request=None,
        responses={204: None},
        summary="Revoke my calendar token",
        description=(
            "Feed URLs carrying the caller's token stop working at once. Also 204 when the "
            "caller has no token (nothing to revoke)."
        ),
    )
    def delete(self, request):
        calendar_token_revoke(user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class PersonPermission(permissions.BasePermission):
    """Everyone logged in reads the directory; admins create, change and deactivate."""

    PERMS = {"create": "add_user", "partial_update": "change_user", "destroy": "delete_user"}

    def has_permission(self, request, view):
        perm = self.PERMS.get(view.action)
        return perm is None or request.user.has_perm(f"accounts.{perm}")


@extend_schema_view(
    list=extend_schema(summary="List people"),
    retrieve=extend_schema(summary="Get a person"),
)
class PersonViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    lookup_field = "username"
    lookup_value_regex = r"[\w.@+-]+"
    permission_classes = [permissions.IsAuthenticated, PersonPermission]
    serializer_class = PersonOutputSerializer
    filterset_class = PersonFilter
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        return selectors.person_list(include_inactive=True)

    def filter_queryset(self, queryset):
        # The list hides deactivated people; a direct lookup still finds them (history).
        return super().filter_queryset(queryset) if self.action == "list" else queryset

    def _respond(self, person, status_code=status.HTTP_200_OK):
        fresh = selectors.person_get(username=person.username)
        return Response(PersonOutputSerializer(fresh).data, status=status_code)

    @extend_schema(
        request=PersonCreateInputSerializer,
        responses={201: PersonOutputSerializer},
        summary="Create a person (directory sync)",
        extensions=response_links(
            {
                201: {
                    "CreateTeamLedByThem": {
                        "operationId": "teams_create",
                        "requestBody": {
                            "members": [{"username": "$response.body#/username", "role": "lead"}]
                        },
                        "description": "Create a team with the new person as its lead.",
                    }
                }
            }
        ),
    )
    def create(self, request):
        data = PersonCreateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        person = person_create(**data.validated_data)
        return self._respond(person, status.HTTP_201_CREATED)

    @extend_schema(
        request=PersonUpdateInputSerializer,
        responses={200: PersonOutputSerializer},
        summary="Change a person",
    )
    def partial_update(self, request, username=None):
        person = self.get_object()
        data = PersonUpdateInputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        person = person_update(person=person, by=request.user, **data.validated_data)
        return self._respond(person)

    @extend_schema(responses={204: None}, summary="Deactivate a person (history is kept)")
    def destroy(self, request, username=None):
        person_deactivate(person=self.get_object(), by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

from django.contrib.auth import get_user_model
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.response import Response

from core.exceptions import StaleWrite
from core.schema import response_links
from handbook import permissions as rules
from handbook import selectors, services
from handbook.models import Membership

from .filters import TeamFilter
from .serializers import (
    MemberInputSerializer,
    MemberOutputSerializer,
    TeamConflictSerializer,
    TeamInputSerializer,
    TeamOutputSerializer,
    TeamPatchSerializer,
)

User = get_user_model()


class TeamPermission(permissions.BasePermission):
    """Reads need a login; writes are refused early by the same rules the services apply."""

    def has_permission(self, request, view):
        if view.action == "create":
            return rules.team_can_create(user=request.user)
        return True

    def has_object_permission(self, request, view, team):
        if request.method in permissions.SAFE_METHODS:
            return True
        if view.action == "destroy":
            return rules.team_can_delete(user=request.user)
        return rules.team_can_edit(user=request.user, team=team)


@extend_schema_view(
    list=extend_schema(summary="List teams"),
    retrieve=extend_schema(summary="Get a team"),
    create=extend_schema(summary="Create a team"),
    partial_update=extend_schema(summary="Change a team"),
    destroy=extend_schema(summary="Delete a team"),
)
class TeamViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    lookup_field = "slug"
    lookup_value_regex = "[-a-zA-Z0-9_]+"
    permission_classes = [permissions.IsAuthenticated, TeamPermission]
    serializer_class = TeamOutputSerializer
    filterset_class = TeamFilter
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        return selectors.team_list()

    def _respond(self, team, status_code=status.HTTP_200_OK):
        fresh = selectors.team_get(slug=team.slug)
        return Response(TeamOutputSerializer(fresh).data, status=status_code)

    @extend_schema(
        request=TeamInputSerializer,
        responses={201: TeamOutputSerializer},
        extensions=response_links(
            {
                201: {
                    "AddMeeting": {
                        "operationId": "meetings_create",
                        "requestBody": {"team": "$response.body#/slug"},
                        "description": "Add a meeting of the new team.",
                    },
                    "AddPage": {
                        "operationId": "pages_update",
                        "requestBody": {"team": "$response.body#/slug"},
                        "description": "Write a page owned by the new team.",
                    },
                }
            }
        ),
    )
    def create(self, request):
        data = TeamInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        team = services.team_create(by=request.user, **data.validated_data)
        return self._respond(team, status.HTTP_201_CREATED)

    @extend_schema(
        description="With `version`, a team changed since gets 409 with the team as it is.",
        request=TeamPatchSerializer,
        responses={200: TeamOutputSerializer, 409: TeamConflictSerializer},
    )
    def partial_update(self, request, slug=None):
        team = self.get_object()
        data = TeamPatchSerializer(team, data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        changes = dict(data.validated_data)
        base_version = changes.pop("version", None)
        try:
            team = services.team_update(
                team=team, by=request.user, base_version=base_version, **changes
            )
        except StaleWrite as stale:
            current = TeamOutputSerializer(selectors.team_get(slug=stale.current.slug)).data
            return Response(
                {"detail": stale.message, "current": current}, status=status.HTTP_409_CONFLICT
            )
        return self._respond(team)

    @extend_schema(responses={204: None})
    def destroy(self, request, slug=None):
        services.team_delete(team=self.get_object(), by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class TeamMemberViewSet(viewsets.GenericViewSet):
    """Add, re-role or remove one member of a team."""

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = MemberOutputSerializer

    def _team(self):
        team = get_object_or_404(selectors.team_directory(), slug=self.kwargs["slug"])
        if not rules.team_can_edit(user=self.request.user, team=team):
            self.permission_denied(
                self.request, message="Only the team's leads and admins may do this."
            )
        return team

    @extend_schema(
        request=MemberInputSerializer,
        responses={200: MemberOutputSerializer, 201: MemberOutputSerializer},
        summary="Add a member, or change their role",
    )
    def create(self, request, slug=None):
        team = self._team()
        data = MemberInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        membership, created = services.membership_set(
            team=team, by=request.user, **data.validated_data
        )
        return Response(
            MemberOutputSerializer(membership).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )

    @extend_schema(responses={204: None}, summary="Remove a member")
    def destroy(self, request, slug=None, username=None):
        team = self._team()
        person = get_object_or_404(User, username=username)
        try:
            services.membership_remove(team=team, user=person, by=request.user)
        except Membership.DoesNotExist:
            return Response(
                {"detail": "Not a member of this team."}, status=status.HTTP_404_NOT_FOUND
            )
        return Response(status=status.HTTP_204_NO_CONTENT)

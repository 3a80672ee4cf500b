"""Rotations of the API: list, read, add, change, delete; who is on call; the shifts."""

from datetime import timedelta

from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from core.cache import frozen_get, frozen_set
from core.schema import response_links
from handbook.models import Team
from rotations import permissions as rules
from rotations import selectors, services

from .serializers import (
    AtQuerySerializer,
    HolderSerializer,
    OncallSerializer,
    OverrideInputSerializer,
    OverrideOutputSerializer,
    RotationInputSerializer,
    RotationOncallSerializer,
    RotationOutputSerializer,
    RotationPatchSerializer,
    ShiftSerializer,
    TeamQuerySerializer,
    WindowQuerySerializer,
)

DEFAULT_WINDOW = timedelta(days=28)
LONGEST_WINDOW = timedelta(days=400)

ROTATION_LINKS = {
    "GetRotation": {
        "operationId": "rotations_retrieve",
        "parameters": {"id": "$response.body#/id"},
        "description": "Read the rotation.",
    },
    "WhoIsOnCall": {
        "operationId": "rotations_oncall_retrieve",
        "parameters": {"id": "$response.body#/id"},
        "description": "Who holds each role now.",
    },
    "Shifts": {
        "operationId": "rotations_shifts_list",
        "parameters": {"id": "$response.body#/id"},
        "description": "The coming shifts.",
    },
    "AddOverride": {
        "operationId": "rotations_overrides_create",
        "parameters": {"id": "$response.body#/id"},
        "description": "Someone covers one of its roles for a while.",
    },
    "RaiseAlert": {
        "operationId": "alerts_create",
        "requestBody": {"rotation": "$response.body#/id"},
        "description": "Page its first role.",
    },
}


def _query(serializer_class, request) -> dict:
    query = serializer_class(data=request.query_params.dict())
    query.is_valid(raise_exception=True)
    return query.validated_data


# OncallSerializer's `at`, written as it writes it (the roles come from _holders_data).
AT_FIELD = serializers.DateTimeField()


def _holders_data(snapshot, holders):
    """HolderSerializer's answer for `holders`: the same for every caller in the same time
    zone until a holder changes, so this process keeps it under what it is made of."""
    key = ""
    if snapshot.key:
        zone = timezone.get_current_timezone_name()
        key = f"oncall-data:{snapshot.key}:{selectors.holders_key(holders)}:{zone}"
    data = frozen_get(key) if key else None
    if data is None:
        data = HolderSerializer(holders, many=True).data
        if key:
            frozen_set(key, data)
    return data


class RotationPermission(permissions.BasePermission):
    """Reads need a login; changes are refused early by the rule the services apply."""

    def has_object_permission(self, request, view, rotation):
        if request.method in permissions.SAFE_METHODS:
            return True
        if view.action == "overrides":
            return rules.override_can_manage(user=request.user, rotation=rotation)
        return rules.rotation_can_edit(user=request.user, rotation=rotation)


@extend_schema_view(
    list=extend_schema(summary="List rotations"),
    retrieve=extend_schema(summary="Get a rotation"),
)
class RotationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [permissions.IsAuthenticated, RotationPermission]
    serializer_class = RotationOutputSerializer
    lookup_value_regex = "[0-9]+"
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        queryset = selectors.rotation_api_list()
        if self.action not in ("list", "retrieve"):
            queryset = queryset.prefetch_related(None)
        return queryset

    def _respond(self, rotation, status_code=status.HTTP_200_OK):
        fresh = selectors.rotation_api_list().get(pk=rotation.pk)
        return Response(RotationOutputSerializer(fresh).data, status=status_code)

    def _snapshot(self, pk, *, since):
        """The rota as the engine reads it (cached: no query on a warm server), or a 404."""
        snapshot = selectors.rotation_snapshot(rotation_id=int(pk), since=since)
        if snapshot is None:
            raise NotFound("No such rotation.")
        return snapshot

    @extend_schema(
        summary="Add a rotation",
        request=RotationInputSerializer,
        responses={201: RotationOutputSerializer},
        extensions=response_links({201: ROTATION_LINKS}),
    )
    def create(self, request):
        data = RotationInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        rotation = services.rotation_create(user=request.user, **data.validated_specs())
        return self._respond(rotation, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Change a rotation",
        description="`roles`, when given, replace the roles: matched by name, in the given "
        "(escalation) order; members and schedules change from each role's next handoff.",
        request=RotationPatchSerializer,
        responses={200: RotationOutputSerializer},
    )
    def partial_update(self, request, pk=None):
        rotation = self.get_object()
        data = RotationPatchSerializer(rotation, data=request.data)
        data.is_valid(raise_exception=True)
        rotation = services.rotation_update(
            rotation=rotation, user=request.user, **data.validated_specs()
        )
        return self._respond(rotation)

    @extend_schema(summary="Delete a rotation", responses={204: None})
    def destroy(self, request, pk=None):
        services.rotation_delete(rotation=self.get_object(), user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary="Who is on call",
        parameters=[AtQuerySerializer],
        responses={200: OncallSerializer},
    )
    @action(detail=True, methods=["get"])
    def oncall(self, request, pk=None):
        at = _query(AtQuerySerializer, request).get("at") or timezone.now()
        snapshot = self._snapshot(pk, since=at)
        holders = selectors.oncall_at(snapshot=snapshot, at=at)
        return Response(
            {
                "at": AT_FIELD.to_representation(at),
                "roles": _holders_data(snapshot, holders),
            }
        )

    @extend_schema(
        summary="The shifts between two instants",
        description="The final timeline of every role, overrides applied: contiguous, with no "
        "overlaps, `gap` where nobody holds a role. At most 400 days at a time.",
        parameters=[WindowQuerySerializer],
        responses={200: ShiftSerializer(many=True)},
    )
    @action(detail=True, methods=["get"], pagination_class=None)
    def shifts(self, request, pk=None):
        window = _query(WindowQuerySerializer, request)
        start = window.get("start") or timezone.now()
        end = window.get("end") or start + DEFAULT_WINDOW
        if end <= start:
            raise ValidationError({"end": ["The end must come after the start."]})
        if end - start > LONGEST_WINDOW:
            raise ValidationError({"end": ["Ask for at most 400 days at a time."]})
        snapshot = self._snapshot(pk, since=start)
        found = selectors.shifts_between(snapshot=snapshot, start=start, end=end)
        return Response(ShiftSerializer(found, many=True).data)

    @extend_schema(
        summary="Add an override",
        description="`username` covers `role` from `start` until `end`, over the rota and "
        "earlier overrides. It may begin at most 15 minutes ago and must end in the future.",
        request=OverrideInputSerializer,
        responses={201: OverrideOutputSerializer},
        extensions=response_links(
            {
                201: {
                    "GetOverride": {
                        "operationId": "overrides_retrieve",
                        "parameters": {"id": "$response.body#/id"},
                        "description": "Read the override.",
                    },
                    "CancelOverride": {
                        "operationId": "overrides_destroy",
                        "parameters": {"id": "$response.body#/id"},
                        "description": "Cancel it from now on.",
                    },
                }
            }
        ),
    )
    @action(detail=True, methods=["post"])
    def overrides(self, request, pk=None):
        rotation = self.get_object()
        data = OverrideInputSerializer(data=request.data, context={"rotation": rotation})
        data.is_valid(raise_exception=True)
        values = data.validated_data
        override = services.override_create(
            role=values["role"],
            person=values["username"],
            start=values["start"],
            end=values["end"],
            reason=values["reason"],
            user=request.user,
        )
        return Response(OverrideOutputSerializer(override).data, status=status.HTTP_201_CREATED)


class TeamOncallView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        summary="Who is on call now, across a team's rotations (or all)",
        parameters=[TeamQuerySerializer],
        responses={200: RotationOncallSerializer(many=True)},
        operation_id="oncall_list",
    )
    def get(self, request):
        slug = _query(TeamQuerySerializer, request).get("team")
        if slug is not None and not Team.objects.filter(slug=slug).exists():
            raise ValidationError({"team": ["No team has this slug."]})
        rows = selectors.oncall_now(team_slug=slug)
        return Response(RotationOncallSerializer(rows, many=True).data)

"""Overrides of the API: read one, cancel one (added under their rotation)."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.response import Response

from rotations import permissions as rules
from rotations import services
from rotations.models import Override

from .serializers import OverrideOutputSerializer


class OverridePermission(permissions.BasePermission):
    def has_object_permission(self, request, view, override):
        if request.method in permissions.SAFE_METHODS:
            return True
        return rules.override_can_manage(user=request.user, rotation=override.role.rotation)


@extend_schema_view(retrieve=extend_schema(summary="Get an override"))
class OverrideViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [permissions.IsAuthenticated, OverridePermission]
    serializer_class = OverrideOutputSerializer
    lookup_value_regex = "[0-9]+"
    http_method_names = ["get", "delete", "head", "options"]

    def get_queryset(self):
        return Override.objects.select_related("role__rotation__team", "user", "created_by")

    @extend_schema(
        summary="Cancel an override",
        description="From now on the rota (or an earlier override) holds again; what the "
        "override covered already stays in the record. An override that is over is a 400.",
        responses={204: None},
    )
    def destroy(self, request, pk=None):
        services.override_cancel(override=self.get_object(), user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

"""Alerts of the API: raise one (its first role is paged), read it, acknowledge it."""

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.schema import response_links
from rotations import services
from rotations.models import Alert, AlertStep

from .serializers import AlertInputSerializer, AlertOutputSerializer


def _alerts():
    steps = AlertStep.objects.select_related("role", "user").order_by("index")
    return Alert.objects.select_related("acknowledged_by").prefetch_related(
        Prefetch("steps", queryset=steps)
    )


@extend_schema_view(retrieve=extend_schema(summary="Get an alert, with its steps"))
class AlertViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [permissions.IsAuthenticated]
    serializer_class = AlertOutputSerializer
    lookup_value_regex = "[0-9]+"
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        return _alerts()

    def _respond(self, alert, status_code=status.HTTP_200_OK):
        return Response(AlertOutputSerializer(_alerts().get(pk=alert.pk)).data, status=status_code)

    @extend_schema(
        summary="Raise an alert",
        description="Pages the person holding the rotation's first role now; unless someone "
        "acknowledges, the next role's person after that role's escalation timeout, and so on.",
        request=AlertInputSerializer,
        responses={201: AlertOutputSerializer},
        extensions=response_links(
            {
                201: {
                    "GetAlert": {
                        "operationId": "alerts_retrieve",
                        "parameters": {"id": "$response.body#/id"},
                        "description": "Follow its steps.",
                    },
                    "Acknowledge": {
                        "operationId": "alerts_ack_create",
                        "parameters": {"id": "$response.body#/id"},
                        "description": "Take it: no further role is paged.",
                    },
                }
            }
        ),
    )
    def create(self, request):
        data = AlertInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        alert = services.alert_raise(user=request.user, **data.validated_data)
        return self._respond(alert, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Acknowledge an alert",
        description="No further role is paged. Acknowledging twice changes nothing.",
        request=None,
        responses={200: AlertOutputSerializer},
    )
    @action(detail=True, methods=["post"])
    def ack(self, request, pk=None):
        alert = services.alert_acknowledge(alert=self.get_object(), user=request.user)
        return self._respond(alert)

"""Tickets of the API: list with filters, read, file, change (409 when stale), move."""

from django.db.models import prefetch_related_objects
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from core.exceptions import StaleWrite
from core.schema import response_links
from tickets import selectors, services
from tickets.models import Ticket

from .filters import TicketFilter
from .serializers import (
    MoveConflictSerializer,
    MovedSerializer,
    MoveInputSerializer,
    TicketConflictSerializer,
    TicketInputSerializer,
    TicketOutputSerializer,
    TicketPatchSerializer,
)

TICKET_LINKS = {
    "GetTicket": {
        "operationId": "tickets_retrieve",
        "parameters": {"id": "$response.body#/id"},
        "description": "Read the ticket.",
    },
    "ChangeTicket": {
        "operationId": "tickets_partial_update",
        "parameters": {"id": "$response.body#/id"},
        "requestBody": {"version": "$response.body#/version"},
        "description": "Change it, from this version.",
    },
    "MoveTicket": {
        "operationId": "tickets_move_create",
        "parameters": {"id": "$response.body#/id"},
        "requestBody": {"column": "$response.body#/column"},
        "description": "Move it.",
    },
}


@extend_schema_view(
    list=extend_schema(summary="List tickets"), retrieve=extend_schema(summary="Get a ticket")
)
class TicketViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [permissions.IsAuthenticated]
    serializer_class = TicketOutputSerializer
    filterset_class = TicketFilter
    lookup_value_regex = "[0-9]+"
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return selectors.ticket_list()

    def _respond(self, ticket, status_code=status.HTTP_200_OK):
        fresh = selectors.ticket_list().get(pk=ticket.pk)
        return Response(TicketOutputSerializer(fresh).data, status=status_code)

    @extend_schema(
        summary="File a ticket",
        request=TicketInputSerializer,
        responses={201: TicketOutputSerializer},
        extensions=response_links({201: TICKET_LINKS}),
    )
    def create(self, request):
        data = TicketInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        ticket = services.ticket_create(user=request.user, **data.validated_data)
        return self._respond(ticket, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Change a ticket",
        description="With `version`, a ticket changed since gets 409 with the ticket as it is.",
        request=TicketPatchSerializer,
        responses={200: TicketOutputSerializer, 409: TicketConflictSerializer},
    )
    def partial_update(self, request, pk=None):
        ticket = self.get_object()
        data = TicketPatchSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            ticket = services.ticket_update(ticket=ticket, user=request.user, **data.validated_data)
        except StaleWrite as stale:
            current = selectors.ticket_list().get(pk=ticket.pk)
            body = {"detail": stale.message, "current": TicketOutputSerializer(current).data}
            return Response(body, status=status.HTTP_409_CONFLICT)
        return self._respond(ticket)

    @extend_schema(
        summary="Move a ticket",
        description="Into `column`, just below the ticket `after` (null: the top). Answers the "
        "ticket and the new order of the columns touched; 409 with the target column as it "
        "is now when `after` has left it.",
        request=MoveInputSerializer,
        responses={200: MovedSerializer, 409: MoveConflictSerializer},
    )
    @action(detail=True, methods=["post"])
    def move(self, request, pk=None):
        # No get_object(): the service reads the ticket once, under its column's lock (a
        # move is the board's hot path; the list's filters have nothing to say about it).
        data = MoveInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        column = data.validated_data["column"]
        try:
            moved = services.ticket_move(
                ticket=int(pk), column=column, after=data.validated_data["after"], user=request.user
            )
        except Ticket.DoesNotExist as missing:
            raise NotFound("No such ticket.") from missing
        except StaleWrite as stale:
            body = {"detail": stale.message, "column": {"id": column, "tickets": stale.current}}
            return Response(body, status=status.HTTP_409_CONFLICT)
        columns = [{"id": pk, "tickets": order} for pk, order in moved.columns.items()]
        prefetch_related_objects([moved.ticket], "labels")
        return Response({"ticket": TicketOutputSerializer(moved.ticket).data, "columns": columns})

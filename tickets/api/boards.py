"""Boards of the API: list, read, add; pull the next ticket."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.schema import response_links
from tickets import selectors, services

from .serializers import (
    BoardInputSerializer,
    BoardOutputSerializer,
    DetailSerializer,
    TicketOutputSerializer,
)

BOARD_LINKS = {
    "GetBoard": {
        "operationId": "boards_retrieve",
        "parameters": {"id": "$response.body#/id"},
        "description": "Read the board.",
    },
    "AddTicket": {
        "operationId": "tickets_create",
        "requestBody": {"board": "$response.body#/id"},
        "description": "File a ticket on it.",
    },
    "PullNext": {
        "operationId": "boards_pull_create",
        "parameters": {"id": "$response.body#/id"},
        "description": "Take the top ready ticket.",
    },
}


def board_answer(boards, *, many=False):
    order = selectors.board_ticket_ids(boards if many else [boards])
    return BoardOutputSerializer(boards, many=many, context={"order": order}).data


@extend_schema_view(
    list=extend_schema(summary="List boards"), retrieve=extend_schema(summary="Get a board")
)
class BoardViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [permissions.IsAuthenticated]
    serializer_class = BoardOutputSerializer
    lookup_value_regex = "[0-9]+"
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        return selectors.board_list()

    def list(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(board_answer(page, many=True))

    def retrieve(self, request, pk=None):
        return Response(board_answer(self.get_object()))

    @extend_schema(
        summary="Add a board",
        request=BoardInputSerializer,
        responses={201: BoardOutputSerializer},
        extensions=response_links({201: BOARD_LINKS}),
    )
    def create(self, request):
        data = BoardInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        board = services.board_create(user=request.user, **data.validated_data)
        return Response(
            board_answer(selectors.board_list().get(pk=board.pk)), status=status.HTTP_201_CREATED
        )

    @extend_schema(
        summary="Pull the next ticket",
        description="Takes the top ticket of the board's first ready column, assigns it to "
        "you and moves it to the top of the first in-progress column; 409 when none waits.",
        request=None,
        responses={200: TicketOutputSerializer, 409: DetailSerializer},
    )
    @action(detail=True, methods=["post"])
    def pull(self, request, pk=None):
        try:
            ticket = services.ticket_pull(board=self.get_object(), user=request.user)
        except services.NothingToPull as empty:
            return Response({"detail": str(empty)}, status=status.HTTP_409_CONFLICT)
        return Response(TicketOutputSerializer(selectors.ticket_list().get(pk=ticket.pk)).data)

"""Support requests of the API: anyone logged in asks a team for help."""

from drf_spectacular.utils import extend_schema
from rest_framework import permissions, status
from rest_framework.response import Response
from rest_framework.views import APIView

from core.schema import response_links
from tickets import selectors, services

from .serializers import SupportRequestInputSerializer, TicketOutputSerializer
from .tickets import TICKET_LINKS


class SupportRequestView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        summary="Ask a team for help",
        description="Files a `support` ticket in the team board's triage column, labelled "
        "`team/<slug>`.",
        request=SupportRequestInputSerializer,
        responses={201: TicketOutputSerializer},
        extensions=response_links({201: TICKET_LINKS}),
        operation_id="support_requests_create",
    )
    def post(self, request):
        data = SupportRequestInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        ticket = services.support_request_create(user=request.user, **data.validated_data)
        answer = TicketOutputSerializer(selectors.ticket_list().get(pk=ticket.pk)).data
        return Response(answer, status=status.HTTP_201_CREATED)

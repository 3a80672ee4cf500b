"""Meetings of the API: list, read, add."""

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.response import Response

from handbook import services
from handbook.meetings import meeting_next
from handbook.models import Meeting

from .filters import MeetingFilter
from .serializers import MeetingInputSerializer, MeetingOutputSerializer


class MeetingViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = MeetingOutputSerializer
    filterset_class = MeetingFilter
    permission_classes = [permissions.IsAuthenticated]
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        return Meeting.objects.select_related("team").order_by("team__slug", "name")

    def _with_next(self, meetings):
        now = timezone.now()
        for meeting in meetings:
            meeting.next_occurrence = meeting_next(meeting=meeting, now=now)
        return meetings

    @extend_schema(summary="List meetings")
    def list(self, request):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        data = MeetingOutputSerializer(self._with_next(page), many=True).data
        return self.get_paginated_response(data)

    @extend_schema(summary="Get a meeting")
    def retrieve(self, request, pk=None):
        return Response(MeetingOutputSerializer(self._with_next([self.get_object()])[0]).data)

    @extend_schema(
        summary="Add a meeting",
        request=MeetingInputSerializer,
        responses={201: MeetingOutputSerializer},
    )
    def create(self, request):
        data = MeetingInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        meeting = services.meeting_create(by=request.user, **data.validated_data)
        return Response(
            MeetingOutputSerializer(self._with_next([meeting])[0]).data,
            status=status.HTTP_201_CREATED,
        )

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from handbook import selectors, services
from handbook.meetings import meeting_next
from handbook.models import Meeting, Page, Team, validate_page_path
from handbook.pages import render_cached

from .filters import MeetingFilter, PageFilter
from .serializers import (
    MeetingInputSerializer,
    MeetingOutputSerializer,
    PageDetailOutputSerializer,
    PageInputSerializer,
    PageListOutputSerializer,
    PageSearchOutputSerializer,
)

SEARCH_PAGE_SIZE = 20


class PageListView(mixins.ListModelMixin, GenericAPIView):
    """Handbook pages; with `q`, ranked by relevance and with a highlighted snippet."""

    serializer_class = PageListOutputSerializer
    filterset_class = PageFilter

    def get_queryset(self):
        return selectors.page_list()

    @extend_schema(
        summary="List or search pages",
        responses={200: PageSearchOutputSerializer(many=True)},
    )
    def get(self, request):
        filters = PageFilter(request.query_params, queryset=self.get_queryset(), request=request)
        if not filters.is_valid():
            raise ValidationError(filters.errors)
        query = filters.form.cleaned_data.get("q")
        if not query:
            return self.list(request)
        # Ranked results come 20 to a page unless asked otherwise: each is quoted, which is
        # the costly part of a search.
        self.paginator.page_size = SEARCH_PAGE_SIZE
        # Rank only as far as the requested page reaches, plus one so that `next` shows when
        # there is more: ranking is the costly part. `count` is then a lower bound.
        size = self.paginator.get_page_size(request) or self.paginator.page_size
        number = request.query_params.get(self.paginator.page_query_param, "1")
        reach = size * (int(number) if number.isdigit() and int(number) > 0 else 1)
        results = selectors.page_search(
            query=query, team=filters.form.cleaned_data.get("team"), limit=min(reach, 1000) + 1
        )
        page = self.paginate_queryset(results)
        selectors.page_search_snippets(pages=page, query=query)
        data = PageSearchOutputSerializer(page, many=True, context={"request": request}).data
        return self.get_paginated_response(data)


class PageDetailView(GenericAPIView):
    serializer_class = PageDetailOutputSerializer

    def get_object(self):
        # Used by DRF's OPTIONS metadata too; pages are addressed by path, not pk.
        return self._page(self.kwargs["path"])

    def _page(self, path) -> Page:
        page, moved_to = selectors.page_find(path=path)
        if page is None and moved_to is not None:
            page, _ = selectors.page_find(path=moved_to)
        if page is None:
            raise Http404("No such page.")
        return page

    def _respond(self, page, status_code=status.HTTP_200_OK):
        page.rendered = render_cached(page)
        data = PageDetailOutputSerializer(page, context={"request": self.request}).data
        return Response(data, status=status_code)

    @extend_schema(summary="Get a page, rendered", responses={200: PageDetailOutputSerializer})
    def get(self, request, path):
        return self._respond(self._page(path))

    @extend_schema(
        summary="Create or update a page (history is kept)",
        request=PageInputSerializer,
        responses={200: PageDetailOutputSerializer, 201: PageDetailOutputSerializer},
    )
    def put(self, request, path):
        data = PageInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            validate_page_path(path)
        except DjangoValidationError as exc:
            raise ValidationError({"path": exc.messages}) from exc
        existing = Page.objects.filter(path=path).first()
        team = data.validated_data.get("team", existing.team if existing else None)
        allowed = (
            selectors.page_can_edit(user=request.user, page=existing)
            if existing
            else selectors.page_can_edit(user=request.user, team=team)
        )
        if not allowed:
            raise PermissionDenied("Only members of the owning team and admins may do this.")
        page, _ = services.page_save(
            path=path,
            title=data.validated_data["title"],
            markdown=data.validated_data["markdown"],
            team=team,
            review_by=data.validated_data.get(
                "review_by", existing.review_by if existing else None
            ),
            user=request.user,
        )
        return self._respond(page, status.HTTP_200_OK if existing else status.HTTP_201_CREATED)


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
        team: Team = data.validated_data["team"]
        if not selectors.team_can_edit(user=request.user, team=team):
            raise PermissionDenied("Only the team's leads and admins may do this.")
        meeting = services.meeting_create(**data.validated_data)
        return Response(
            MeetingOutputSerializer(self._with_next([meeting])[0]).data,
            status=status.HTTP_201_CREATED,
        )

"""Handbook pages in the API: list and search, read, create or update (with versions)."""

import re

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status
from rest_framework.exceptions import ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from core.api import Pagination
from core.schema import response_links
from handbook import selectors, services
from handbook.models import PAGE_PATH_MAX_LENGTH, PAGE_PATH_REGEX, Page, validate_page_path
from handbook.pages import render_cached
from handbook.services.pages import PageConflict

from .filters import PageFilter
from .serializers import (
    PageConflictOutputSerializer,
    PageDetailOutputSerializer,
    PageInputSerializer,
    PageListOutputSerializer,
    PageSearchOutputSerializer,
)

SEARCH_PAGE_SIZE = 20
IF_MATCH_PATTERN = r'^(\*|(W/)?"[0-9]{1,9}")$'
GET_PAGE = {
    "operationId": "pages_retrieve",
    "parameters": {"path": "$response.body#/path"},
    "description": "Read the page, rendered.",
}
UPDATE_PAGE = {
    "operationId": "pages_update",
    "parameters": {"path": "$response.body#/path"},
    "requestBody": {"version": "$response.body#/version"},
    "description": "Change this version of the page (409 if it has changed since).",
}
ETAG_HEADER = OpenApiParameter(
    "ETag",
    str,
    OpenApiParameter.HEADER,
    response=[200, 201, 409],
    pattern=r'^"[0-9]+"$',
    description='The `version` of the page in the body as an entity tag, e.g. "4".',
)


class PageSearchPagination(Pagination):
    """The list's pages; a search adds what it searched for, mistyped words corrected."""

    def get_paginated_response_schema(self, schema):
        answer = super().get_paginated_response_schema(schema)
        answer["properties"]["searched_for"] = {
            "type": "string",
            "description": (
                "Only with `q`: the words searched for, which are those of `q` with the words "
                "no page uses replaced by the most similar ones that a page does."
            ),
            "example": "release checklist",
        }
        answer["properties"]["corrected"] = {
            "type": "boolean",
            "description": "Only with `q`: whether `searched_for` differs from `q`.",
        }
        return answer


class PageListView(mixins.ListModelMixin, GenericAPIView):
    """Handbook pages; with `q`, ranked by relevance and with a highlighted snippet."""

    serializer_class = PageListOutputSerializer
    filterset_class = PageFilter
    pagination_class = PageSearchPagination

    def get_queryset(self):
        return selectors.page_list()

    @extend_schema(
        summary="List or search pages",
        description=(
            "With `q`, words that no page uses are corrected to the most similar ones that a "
            'page does ("relese" searches for "release"): `searched_for` says what was '
            "searched for and `corrected` whether it differs from `q`; `verbatim=true` "
            "searches the words as typed."
        ),
        responses={200: PageSearchOutputSerializer(many=True)},
        extensions=response_links(
            {
                200: {
                    "GetFirstPage": {
                        **GET_PAGE,
                        "parameters": {"path": "$response.body#/results/0/path"},
                    }
                }
            }
        ),
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
        reach = self.paginator.get_page_size(request) * self.paginator.requested_page(request)
        results, correction = selectors.page_search_corrected(
            query=query,
            team=filters.form.cleaned_data.get("team"),
            limit=min(reach, 1000) + 1,
            exact=bool(filters.form.cleaned_data.get("verbatim")),
        )
        page = self.paginate_queryset(results)
        selectors.page_search_snippets(pages=page, query=correction.searched_for)
        data = PageSearchOutputSerializer(page, many=True, context={"request": request}).data
        response = self.get_paginated_response(data)
        response.data["searched_for"] = correction.searched_for
        response.data["corrected"] = correction.corrected
        return response


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
        response = Response(data, status=status_code)
        response["ETag"] = page_etag(page)
        return response

    @extend_schema(
        summary="Get a page, rendered",
        description="An old address of a moved page answers with the page.",
        parameters=[ETAG_HEADER],
        responses={200: PageDetailOutputSerializer},
        extensions=response_links({200: {"UpdatePage": UPDATE_PAGE}}),
    )
    def get(self, request, path):
        return self._respond(self._page(path))

    @extend_schema(
        summary="Create or update a page (history is kept)",
        description=(
            "Give `version` (or an `If-Match` header with the page's ETag) to update only the "
            "version you read: if the page changed since, nothing is saved and the answer is "
            "409 with the current page. `version: 0` creates the page only if it does not "
            "exist. The owning team can be changed only by an admin or a member of both teams; "
            "an address that redirects to another team's page, or lies in its folder, only by "
            "that team."
        ),
        request=PageInputSerializer,
        parameters=[
            OpenApiParameter(
                "path",
                {
                    "type": "string",
                    "pattern": rf"^(?!.*\.md$){PAGE_PATH_REGEX}$",
                    "maxLength": PAGE_PATH_MAX_LENGTH,
                },
                OpenApiParameter.PATH,
                description=(
                    "Lowercase folders and a page name separated by `/`, without `.md`, e.g. "
                    "`engineering/delivery/processes`."
                ),
            ),
            ETAG_HEADER,
            OpenApiParameter(
                "If-Match",
                str,
                OpenApiParameter.HEADER,
                required=False,
                pattern=IF_MATCH_PATTERN,
                description=(
                    'The ETag of the version you read, e.g. "4" (used without `version`); '
                    "`*`: whatever version is there, as without the header."
                ),
            ),
        ],
        responses={
            200: PageDetailOutputSerializer,
            201: PageDetailOutputSerializer,
            409: PageConflictOutputSerializer,
        },
        extensions=response_links(
            {
                **{
                    code: {"GetPage": GET_PAGE, "UpdatePage": UPDATE_PAGE}
                    for code in (status.HTTP_200_OK, status.HTTP_201_CREATED)
                },
                status.HTTP_409_CONFLICT: {
                    "RetryOnCurrent": {
                        "operationId": "pages_update",
                        "parameters": {"path": "$response.body#/current/path"},
                        "requestBody": {"version": "$response.body#/current/version"},
                        "description": "Send the merged change again, from the current version.",
                    }
                },
            }
        ),
    )
    def put(self, request, path):
        data = PageInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            validate_page_path(path)
        except DjangoValidationError as exc:
            raise ValidationError({"path": exc.messages}) from exc
        fields = data.validated_data
        base_version = fields.get("version", _if_match_version(request))
        existing = Page.objects.filter(path=path).first()
        try:
            page, _ = services.page_save(
                path=path,
                title=fields["title"],
                markdown=fields["markdown"],
                team=fields.get("team", existing.team if existing else None),
                review_by=fields.get("review_by", existing.review_by if existing else None),
                user=request.user,
                base_version=base_version,
                change_reason=fields.get("change_summary", ""),
            )
        except PageConflict as conflict:
            current = conflict.current
            if current is not None:
                current.rendered = render_cached(current)
            body = {"detail": conflict.message, "current": current}
            response = Response(
                PageConflictOutputSerializer(body, context={"request": request}).data,
                status=status.HTTP_409_CONFLICT,
            )
            if current is not None:
                response["ETag"] = page_etag(current)
            return response
        return self._respond(page, status.HTTP_200_OK if existing else status.HTTP_201_CREATED)


def page_etag(page: Page) -> str:
    """The page's version as an entity tag: what a writer sends back in If-Match."""
    return f'"{page.version}"'


def _if_match_version(request) -> int | None:
    header = request.headers.get("If-Match")
    if header is None or header.strip() == "*":
        return None
    if not re.fullmatch(IF_MATCH_PATTERN, header.strip()):
        raise ValidationError({"If-Match": ['Give the ETag of the page, e.g. "4".']})
    return int(header.strip().removeprefix("W/").strip('"'))

"""Trains, releases, milestones and metrics of the API: parse, call one service or selector,
answer."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.schema import response_links
from releases import permissions as rules
from releases import selectors, services
from releases.models import VERSION, Milestone

from .serializers import (
    MetricsSerializer,
    MilestonePatchSerializer,
    MilestoneSerializer,
    PlanInputSerializer,
    PlanOutputSerializer,
    ReleaseInputSerializer,
    ReleaseOutputSerializer,
    ReleasePatchSerializer,
    ReleaseQuerySerializer,
    TrainInputSerializer,
    TrainOutputSerializer,
    TrainPatchSerializer,
)


def _valid(serializer_class, data, **kwargs):
    serializer = serializer_class(data=data, **kwargs)
    serializer.is_valid(raise_exception=True)
    return serializer


def _query(request) -> dict:
    values = _valid(ReleaseQuerySerializer, request.query_params.dict()).validated_data
    return {
        "start": values.get("from"),
        "end": values.get("to"),
        "kind": values.get("kind"),
        "train": values.get("train"),
    }


TRAIN_LINKS = {
    "GetTrain": {
        "operationId": "trains_retrieve",
        "parameters": {"slug": "$response.body#/slug"},
        "description": "Read the train.",
    },
    "PlanTrain": {
        "operationId": "trains_plan_create",
        "parameters": {"slug": "$response.body#/slug"},
        "description": "Plan its releases up to a day.",
    },
}
RELEASE_LINKS = {
    "GetRelease": {
        "operationId": "releases_retrieve",
        "parameters": {"version": "$response.body#/version"},
        "description": "Read the release.",
    },
}


class TrainPermission(permissions.BasePermission):
    def has_object_permission(self, request, view, train):
        if request.method in permissions.SAFE_METHODS:
            return True
        return rules.train_can_manage(user=request.user, team=train.team)


@extend_schema_view(
    list=extend_schema(summary="List release trains"),
    retrieve=extend_schema(summary="Get a release train"),
)
class TrainViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [permissions.IsAuthenticated, TrainPermission]
    serializer_class = TrainOutputSerializer
    lookup_field = "slug"
    lookup_value_regex = "[-a-zA-Z0-9_]+"
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return selectors.train_api_list()

    def _respond(self, train, status_code=status.HTTP_200_OK):
        return Response(
            TrainOutputSerializer(selectors.train_get(slug=train.slug)).data, status=status_code
        )

    @extend_schema(
        summary="Add a release train",
        description="A bad rule (one that never fires, or finer than weekly) or a milestone "
        "after release day is a 400 naming the field.",
        request=TrainInputSerializer,
        responses={201: TrainOutputSerializer},
        extensions=response_links({201: TRAIN_LINKS}),
    )
    def create(self, request):
        values = _valid(TrainInputSerializer, request.data).validated_values()
        train = services.train_create(user=request.user, **values)
        return self._respond(train, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Change a release train",
        description="Planned releases keep their dates; the change counts for the releases "
        "planned from now on. `milestones` and `holidays`, when given, replace them.",
        request=TrainPatchSerializer,
        responses={200: TrainOutputSerializer},
    )
    def partial_update(self, request, slug=None):
        train = self.get_object()
        values = _valid(TrainPatchSerializer, request.data).validated_values()
        train = services.train_update(train=train, user=request.user, **values)
        return self._respond(train)

    @extend_schema(
        summary="Plan a train's releases",
        description="Creates the releases with release days from today up to `until`, with "
        "their milestones, versions, proposed managers and reminders. Idempotent: what is "
        "planned already (also when moved since) is left alone.",
        request=PlanInputSerializer,
        responses={200: PlanOutputSerializer},
    )
    @action(detail=True, methods=["post"])
    def plan(self, request, slug=None):
        train = self.get_object()
        until = _valid(PlanInputSerializer, request.data).validated_data["until"]
        created = services.train_plan(train=train, until=until, user=request.user)
        return Response(
            PlanOutputSerializer(
                {"created": len(created), "releases": [r.version for r in created]}
            ).data
        )


class ReleasePermission(permissions.BasePermission):
    def has_object_permission(self, request, view, release):
        if request.method in permissions.SAFE_METHODS:
            return True
        return rules.release_can_edit(user=request.user, release=release)


@extend_schema_view(retrieve=extend_schema(summary="Get a release"))
class ReleaseViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [permissions.IsAuthenticated, ReleasePermission]
    serializer_class = ReleaseOutputSerializer
    lookup_field = "version"
    lookup_value_regex = VERSION.pattern
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return selectors.release_api_list()

    def get_object(self):
        release = selectors.release_get(version=self.kwargs["version"])
        self.check_object_permissions(self.request, release)
        return release

    def _respond(self, release, status_code=status.HTTP_200_OK):
        fresh = selectors.release_get(version=release.version)
        return Response(ReleaseOutputSerializer(fresh).data, status=status_code)

    @extend_schema(
        summary="List releases",
        parameters=[ReleaseQuerySerializer],
        responses={200: ReleaseOutputSerializer(many=True)},
    )
    def list(self, request):
        queryset = selectors.release_api_list(**_query(request))
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(ReleaseOutputSerializer(page, many=True).data)

    @extend_schema(
        summary="Add a release by hand",
        description="A security or patch release, say: its milestones are counted back from "
        "its day by the train's template.",
        request=ReleaseInputSerializer,
        responses={201: ReleaseOutputSerializer},
        extensions=response_links({201: RELEASE_LINKS}),
    )
    def create(self, request):
        values = _valid(ReleaseInputSerializer, request.data).validated_data
        release = services.release_create(user=request.user, **values)
        return self._respond(release, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Reschedule or change a release",
        description="`release_date` reschedules (milestones move by the template, a slip is "
        "recorded with `reason`, pending reminders follow); `manager` and `status` set them.",
        request=ReleasePatchSerializer,
        responses={200: ReleaseOutputSerializer},
    )
    def partial_update(self, request, version=None):
        release = self.get_object()
        values = _valid(ReleasePatchSerializer, request.data).validated_data
        release = services.release_update(release=release, user=request.user, **values)
        return self._respond(release)

    @extend_schema(
        summary="Release metrics",
        description="Releases shipped with a release day in the period (and of the kind or "
        "train): how many, the share on the day first planned, and slips in business days.",
        parameters=[ReleaseQuerySerializer],
        responses={200: MetricsSerializer},
    )
    @action(detail=False, methods=["get"], pagination_class=None)
    def metrics(self, request):
        return Response(MetricsSerializer(selectors.release_metrics(**_query(request))).data)


class MilestonePermission(permissions.BasePermission):
    def has_object_permission(self, request, view, milestone):
        if request.method in permissions.SAFE_METHODS:
            return True
        return rules.checklist_can_tick(user=request.user, release=milestone.release)


@extend_schema_view(retrieve=extend_schema(summary="Get a milestone"))
class MilestoneViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [permissions.IsAuthenticated, MilestonePermission]
    serializer_class = MilestoneSerializer
    lookup_value_regex = "[0-9]+"
    http_method_names = ["get", "patch", "head", "options"]

    def get_queryset(self):
        return Milestone.objects.select_related("release__train__team", "release__manager")

    @extend_schema(
        summary="Move or tick a milestone",
        description="`due` moves this milestone alone (not after release day; a slip is "
        "recorded, its reminders follow): for the release manager, the team's managers and "
        "admins. `done` ticks it: for the team's members too.",
        request=MilestonePatchSerializer,
        responses={200: MilestoneSerializer},
    )
    def partial_update(self, request, pk=None):
        milestone = self.get_object()
        values = _valid(MilestonePatchSerializer, request.data).validated_data
        if "due" in values:
            milestone = services.milestone_move(
                milestone=milestone, due=values["due"], reason=values["reason"], user=request.user
            )
        if "done" in values:
            milestone = services.milestone_set_done(
                milestone=milestone, done=values["done"], user=request.user
            )
        return Response(MilestoneSerializer(milestone).data)

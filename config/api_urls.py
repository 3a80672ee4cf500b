"""The versioned REST API: one router for every app (see docs/api.md)."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from accounts.api.views import CalendarTokenView, MeView, PersonViewSet, TokenView
from handbook.api.meetings import MeetingViewSet
from handbook.api.pages import PageDetailView, PageListView
from handbook.api.teams import TeamMemberViewSet, TeamViewSet
from releases.api.views import MilestoneViewSet, ReleaseViewSet, TrainViewSet
from rotations.api.alerts import AlertViewSet
from rotations.api.overrides import OverrideViewSet
from rotations.api.rotations import RotationViewSet, TeamOncallView
from tickets.api.boards import BoardViewSet
from tickets.api.intake import SupportRequestView
from tickets.api.tickets import TicketViewSet

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("teams", TeamViewSet, basename="team")
router.register("people", PersonViewSet, basename="person")
router.register("meetings", MeetingViewSet, basename="meeting")
router.register("rotations", RotationViewSet, basename="rotation")
router.register("overrides", OverrideViewSet, basename="override")
router.register("alerts", AlertViewSet, basename="alert")
router.register("boards", BoardViewSet, basename="board")
router.register("tickets", TicketViewSet, basename="ticket")
router.register("trains", TrainViewSet, basename="train")
router.register("releases", ReleaseViewSet, basename="release")
router.register("milestones", MilestoneViewSet, basename="milestone")

urlpatterns = [
    path("auth/token/", TokenView.as_view(), name="api-token"),
    path("auth/me/", MeView.as_view(), name="api-me"),
    path("me/calendar-token/", CalendarTokenView.as_view(), name="api-calendar-token"),
    path(
        "teams/<slug:slug>/members/",
        TeamMemberViewSet.as_view({"post": "create"}),
        name="team-members",
    ),
    path(
        "teams/<slug:slug>/members/<str:username>/",
        TeamMemberViewSet.as_view({"delete": "destroy"}),
        name="team-member-detail",
    ),
    path("oncall/", TeamOncallView.as_view(), name="oncall"),
    path("support-requests/", SupportRequestView.as_view(), name="support-requests"),
    path("pages/", PageListView.as_view(), name="page-list"),
    path("pages/<page_path:path>", PageDetailView.as_view(), name="page-detail"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    *router.urls,
]

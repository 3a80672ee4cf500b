from django.urls import path

from . import page_views, views

app_name = "handbook"
urlpatterns = [
    path("", views.home, name="home"),
    path("teams/<slug:slug>/", views.team_detail, name="team"),
    path("teams/<slug:slug>/broken-links/", views.team_broken_links, name="team_broken_links"),
    path("teams/<slug:slug>/meetings.ics", views.team_meetings_ics, name="team_meetings_ics"),
    # Page paths never start with "-", so the actions live under /handbook/-/.
    path("handbook/", page_views.index, name="index"),
    path("handbook/-/new", page_views.page_edit, name="page_new"),
    path("handbook/-/preview", page_views.page_preview, name="page_preview"),
    path("handbook/-/edit/<page_path:path>", page_views.page_edit, name="page_edit"),
    path("handbook/-/history/<page_path:path>", page_views.page_history, name="page_history"),
    path(
        "handbook/-/diff/<int:revision_id>/<page_path:path>",
        page_views.page_diff,
        name="page_diff",
    ),
    path("handbook/-/move/<page_path:path>", page_views.page_move, name="page_move"),
    path("handbook/-/review/<page_path:path>", page_views.page_review, name="page_review"),
    path("handbook/-/source/<page_path:path>", page_views.page_source, name="page_source"),
    path("handbook/<page_path:path>", page_views.page_detail, name="page"),
]

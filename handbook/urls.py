from django.urls import path

from .views import editing, editor, home, pages, people, switcher, team_edit, team_people, teams

app_name = "handbook"
urlpatterns = [
    path("", home.home, name="home"),
    path("switch/", switcher.switch, name="switch"),
    path("teams/", teams.team_directory, name="teams"),
    path("teams/<slug:slug>/", teams.team_detail, name="team"),
    path("teams/<slug:slug>/edit/", team_edit.team_edit, name="team_edit"),
    path("teams/<slug:slug>/edit/charter/", team_edit.team_charter, name="team_charter"),
    path("teams/<slug:slug>/edit/contacts/", team_edit.team_contacts, name="team_contacts"),
    path(
        "teams/<slug:slug>/edit/workstreams/",
        team_edit.team_workstreams,
        name="team_workstreams",
    ),
    path("teams/<slug:slug>/edit/members/", team_people.team_member_add, name="team_member_add"),
    path(
        "teams/<slug:slug>/edit/members/<str:username>/",
        team_people.team_member,
        name="team_member",
    ),
    path("teams/<slug:slug>/edit/meetings/", team_people.team_meeting_add, name="team_meeting_add"),
    path(
        "teams/<slug:slug>/edit/meetings/<int:pk>/",
        team_people.team_meeting,
        name="team_meeting",
    ),
    path("teams/<slug:slug>/history/", teams.team_history, name="team_history"),
    path("teams/<slug:slug>/broken-links/", teams.team_broken_links, name="team_broken_links"),
    path("teams/<slug:slug>/meetings.ics", teams.team_meetings_ics, name="team_meetings_ics"),
    path("people/", people.people_directory, name="people"),
    path("people/<str:username>/", people.person_detail, name="person"),
    # The rotas app serves people/<username>/shifts.ics (its shifts alone).
    path("people/<str:username>/calendar.ics", people.person_calendar_ics, name="person_calendar"),
    # Page paths never start with "-", so the actions live under /handbook/-/.
    path("handbook/", pages.index, name="index"),
    path("handbook/-/new", editing.page_edit, name="page_new"),
    path("handbook/-/preview", editing.page_preview, name="page_preview"),
    path("handbook/-/edit/<page_path:path>", editing.page_edit, name="page_edit"),
    path("handbook/-/link-targets", editor.link_targets, name="link_targets"),
    path("handbook/-/draft", editor.draft_save, name="draft_save_new"),
    path("handbook/-/draft/<page_path:path>", editor.draft_save, name="draft_save"),
    path("handbook/-/discard-draft", editor.draft_discard, name="draft_discard_new"),
    path("handbook/-/discard-draft/<page_path:path>", editor.draft_discard, name="draft_discard"),
    path("handbook/-/images/upload", editor.image_upload, name="image_upload_new"),
    path("handbook/-/images/upload/<page_path:path>", editor.image_upload, name="image_upload"),
    path("handbook/-/images/<int:pk>", editor.page_image, name="page_image"),
    path("handbook/-/history/<page_path:path>", pages.page_history, name="page_history"),
    path(
        "handbook/-/diff/<int:revision_id>/<page_path:path>",
        pages.page_diff,
        name="page_diff",
    ),
    path(
        "handbook/-/restore/<int:revision_id>/<page_path:path>",
        editing.page_restore,
        name="page_restore",
    ),
    path("handbook/-/move/<page_path:path>", editing.page_move, name="page_move"),
    path("handbook/-/review/<page_path:path>", editing.page_review, name="page_review"),
    path("handbook/-/source/<page_path:path>", pages.page_source, name="page_source"),
    path("handbook/<page_path:path>", pages.page_detail, name="page"),
]

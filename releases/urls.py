from django.urls import path

from .views import calendar, feeds, metrics, release

app_name = "releases"
urlpatterns = [
    path("", calendar.home, name="home"),
    path("metrics/", metrics.metrics_page, name="metrics"),
    path("calendar.ics", feeds.calendar_ics, name="calendar_ics"),
    path("trains/<slug:slug>/calendar.ics", feeds.train_calendar_ics, name="train_calendar_ics"),
    # Anything else under /releases/ names a release by its version.
    path("<str:version>/", release.release_detail, name="release"),
    path("<str:version>/checklist/<int:pk>/", release.checklist_tick, name="checklist_tick"),
    path("<str:version>/milestones/<int:pk>/", release.milestone_tick, name="milestone_tick"),
]

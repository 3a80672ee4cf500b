from django.urls import path

from .views import calendar, release

app_name = "releases"
urlpatterns = [
    path("", calendar.home, name="home"),
    path("<str:version>/", release.release_detail, name="release"),
    path("<str:version>/checklist/<int:pk>/", release.checklist_tick, name="checklist_tick"),
    path("<str:version>/milestones/<int:pk>/", release.milestone_tick, name="milestone_tick"),
]

from django.urls import path

from .views import feeds, metrics

app_name = "releases"
urlpatterns = [
    path("releases/metrics/", metrics.metrics_page, name="metrics"),
    path("releases/calendar.ics", feeds.calendar_ics, name="calendar_ics"),
    path(
        "releases/trains/<slug:slug>/calendar.ics",
        feeds.train_calendar_ics,
        name="train_calendar_ics",
    ),
]

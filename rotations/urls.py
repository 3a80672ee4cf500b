from django.urls import path

from .views import alerts, feeds, oncall, overrides, rotation

app_name = "rotations"
urlpatterns = [
    path("rotations/", oncall.home, name="home"),
    path("rotations/me/", oncall.my_shifts, name="my_shifts"),
    path("rotations/new/", rotation.rotation_edit, name="rotation_new"),
    path("rotations/<int:pk>/", rotation.rotation_detail, name="rotation"),
    path("rotations/<int:pk>/edit/", rotation.rotation_edit, name="rotation_edit"),
    path("rotations/<int:pk>/overrides/", overrides.override_add, name="override_add"),
    path("rotations/overrides/<int:pk>/cancel/", overrides.override_cancel, name="override_cancel"),
    path("rotations/<int:pk>/shifts.ics", feeds.rotation_shifts_ics, name="rotation_shifts_ics"),
    path("people/<str:username>/shifts.ics", feeds.person_shifts_ics, name="person_shifts_ics"),
    path("rotations/alerts/<int:pk>/", alerts.alert_detail, name="alert"),
    path("rotations/alerts/<int:pk>/ack/", alerts.alert_ack, name="alert_ack"),
    path(
        "rotations/alerts/<int:pk>/ack/<str:token>/", alerts.alert_ack_link, name="alert_ack_link"
    ),
]

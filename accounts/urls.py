from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("", views.account, name="account"),
    path("calendar-token/", views.calendar_token_rotate, name="calendar_token"),
    path("calendar-token/revoke/", views.calendar_token_revoke, name="calendar_token_revoke"),
]

from django.urls import path

from . import views

app_name = "handbook"
urlpatterns = [
    path("", views.home, name="home"),
    path("teams/<slug:slug>/", views.team_detail, name="team"),
]

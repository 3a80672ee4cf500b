from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path
from django.views.decorators.http import require_GET

from . import errors, health


@login_not_required
@require_GET
def favicon(request):
    """For pages without a <link rel="icon"> (the admin, the API's own pages)."""
    return redirect(static("favicon.svg"), permanent=True)


handler404 = errors.not_found
handler500 = errors.server_error

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("metrics", health.metrics, name="metrics"),
    path("favicon.ico", favicon, name="favicon"),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("api/v1/", include("config.api_urls")),
    path("account/", include("accounts.urls")),
    path("releases/", include("releases.urls")),
    path("", include("rotations.urls")),
    path("", include("tickets.urls")),
    path("", include("handbook.urls")),
]

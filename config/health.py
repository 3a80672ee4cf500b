"""Liveness, readiness and Prometheus metrics endpoints for orchestrators and scrapers."""

import hmac

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django_prometheus.exports import ExportToDjangoView
from kombu import Connection


@login_not_required
@require_safe
@never_cache
def healthz(request):
    return JsonResponse({"status": "ok"})


def _database_ready():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _broker_ready():
    transport_options = getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", {})
    timeout = settings.READYZ_BROKER_TIMEOUT_SECONDS
    with Connection(
        settings.CELERY_BROKER_URL,
        connect_timeout=timeout,
        transport_options={**transport_options, "socket_timeout": timeout},
    ) as conn:
        conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=timeout)


READINESS_CHECKS = {"database": _database_ready, "broker": _broker_ready}


@login_not_required
@require_safe
@never_cache
def readyz(request):
    """200 when every dependency answers; 503 naming the ones that do not."""
    failing = {}
    for name, check in READINESS_CHECKS.items():
        try:
            check()
        except Exception as exc:  # noqa: BLE001 - any failure means "not ready"
            failing[name] = f"{type(exc).__name__}: {exc}"[:300]
    if failing:
        return JsonResponse({"status": "unavailable", "failing": failing}, status=503)
    return JsonResponse({"status": "ok", "checks": sorted(READINESS_CHECKS)})


def _metrics_allowed(request):
    if request.user.is_authenticated and request.user.is_staff:
        return True
    token = settings.METRICS_TOKEN
    header = request.headers.get("Authorization", "")
    return bool(token) and hmac.compare_digest(header, f"Bearer {token}")


@login_not_required
@require_safe
@never_cache
def metrics(request):
    if not _metrics_allowed(request):
        response = HttpResponse("Staff login or a scrape token is required.\n", status=401)
        response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    return ExportToDjangoView(request)

"""Error pages: API clients get JSON in the shape of docs/api.md, browsers get HTML."""

import sys

from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import Resolver404
from django.views import defaults

from core.db import RETRY_AFTER_SECONDS, connection_unavailable

API_PREFIX = "/api/"


def not_found(request, exception):
    if request.path.startswith(API_PREFIX):
        return JsonResponse({"detail": "Not found."}, status=404)
    # A view's own reason ("No such team.") is worth showing; the resolver's is not.
    reason = ""
    if not isinstance(exception, Resolver404) and exception is not None and exception.args:
        reason = exception.args[0] if isinstance(exception.args[0], str) else ""
    context = {"request_path": request.path, "reason": reason}
    return render(request, "404.html", context, status=404)


def _busy(request):
    """No database connection could be had in time: a 503 the client may retry, never a 500."""
    message = "The service is busy (no database connection was free); try again shortly."
    if request.path.startswith(API_PREFIX):
        response = JsonResponse({"detail": message}, status=503)
    else:
        response = HttpResponse(
            f"<!doctype html><title>Busy</title><h1>Busy</h1><p>{message}</p>", status=503
        )
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def server_error(request):
    if connection_unavailable(sys.exception()):
        return _busy(request)
    if request.path.startswith(API_PREFIX):
        return JsonResponse({"detail": "Server error."}, status=500)
    return defaults.server_error(request)

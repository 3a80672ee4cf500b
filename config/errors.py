"""Error pages: API clients get JSON in the shape of docs/api.md, browsers get HTML."""

from django.http import JsonResponse
from django.views import defaults

API_PREFIX = "/api/"


def not_found(request, exception):
    if request.path.startswith(API_PREFIX):
        return JsonResponse({"detail": "Not found."}, status=404)
    return defaults.page_not_found(request, exception)


def server_error(request):
    if request.path.startswith(API_PREFIX):
        return JsonResponse({"detail": "Server error."}, status=500)
    return defaults.server_error(request)

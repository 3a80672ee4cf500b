"""Site-wide middleware of our own."""

from core.versions import versions_scope


class VersionsMiddleware:
    """Each request reads the data versions once (core.versions.versions_scope)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with versions_scope():
            return self.get_response(request)

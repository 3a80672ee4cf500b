"""Deployment checks for what the handbook's caches need."""

from django.conf import settings
from django.core.checks import Tags, Warning, register

PROCESS_LOCAL_CACHES = (
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
)


@register(Tags.caches, deploy=True)
def shared_cache_check(app_configs, **kwargs):
    """Data versions live in the default cache: each process must see the same ones, or a
    change made through one process (a permission taken away) stays unseen by the others."""
    if settings.CACHES["default"]["BACKEND"] not in PROCESS_LOCAL_CACHES:
        return []
    return [
        Warning(
            "The default cache is not shared between processes.",
            hint="Set CACHE_URL to a Redis database, e.g. rediscache://redis:6379/1.",
            id="bosun.W001",
        )
    ]

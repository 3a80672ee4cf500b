"""The test run: real PostgreSQL and Redis (from DATABASE_URL / CELERY_BROKER_URL)."""

import tempfile

from .base import *  # noqa: F403
from .base import env

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Whitenoise's manifest storage needs collectstatic; the live test server serves the sources.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# The cache is real Redis, as in production (a database of its own; cleared per test).
# Uploaded images go to a folder of this run's own, never into the checkout.
MEDIA_ROOT = env("MEDIA_ROOT", default=tempfile.mkdtemp(prefix="bosun-test-media-"))
CACHES = {"default": env.cache("CACHE_URL", default="redis://127.0.0.1:6379/2")}
CACHES["default"]["BACKEND"] = "core.cache.RedisCache"
CACHES["local"] = LOCAL_CACHE  # noqa: F405
CACHES["cards"] = CARDS_CACHE  # noqa: F405
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
NOTIFY_RETRY_BASE_SECONDS = env.float("NOTIFY_RETRY_BASE_SECONDS", default=0.3)
# A test can run a worker of its own on a queue of its own (tests.support), so that what that
# worker queues (deliveries, header updates) stays with it and not with a shared worker.
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_TASK_DEFAULT_QUEUE", default="celery")
REST_FRAMEWORK = {
    **REST_FRAMEWORK,  # noqa: F405
    "DEFAULT_THROTTLE_RATES": {"user": "100000/min", "token": "100000/min"},
}

"""Fixtures shared by every app's tests: API clients, a real webhook server, a real worker."""

import pytest
from django.core.cache import caches
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accounts.tests.factories import AdminFactory, UserFactory
from core.cache import frozen_clear
from tests.support import RecordingWebhookServer, running_celery_worker


@pytest.fixture(autouse=True)
def _empty_caches():
    for cache in caches.all():
        cache.clear()
    frozen_clear()


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def admin_user(db):
    return AdminFactory()


def _token_client(person):
    client = APIClient()
    client.credentials(
        HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=person)[0].key}"
    )
    return client


@pytest.fixture
def api(user):
    """An API client authenticated with the token of an ordinary person."""
    return _token_client(user)


@pytest.fixture
def admin_api(admin_user):
    return _token_client(admin_user)


@pytest.fixture
def anon_api():
    return APIClient()


@pytest.fixture
def token_client():
    return _token_client


@pytest.fixture
def webhook_server():
    server = RecordingWebhookServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def celery_worker_process(django_db_setup, django_db_blocker):
    """A real `celery worker` subprocess on the test database and the test broker."""
    with running_celery_worker() as worker:
        yield worker

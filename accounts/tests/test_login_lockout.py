"""Repeated failed logins lock the account and the address out for a while (django-axes),
on the HTML form and on the API's token endpoint; the token endpoint is also throttled."""

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from rest_framework.throttling import ScopedRateThrottle

from accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LIMIT = settings.AXES_FAILURE_LIMIT


def _login(client, username, password, **extra):
    return client.post("/login/", {"username": username, "password": password}, **extra)


def test_ten_failed_logins_lock_the_account_even_for_the_right_password(client):
    UserFactory(username="victim")
    for _ in range(LIMIT - 1):
        response = _login(client, "victim", "wrong")
        assert response.status_code == 200
        assert "Please enter a correct username and password" in response.content.decode()
    tenth = _login(client, "victim", "wrong")
    assert tenth.status_code == 429

    response = _login(client, "victim", "correct-horse")
    assert response.status_code == 429
    page = response.content.decode()
    assert "Too many failed logins" in page
    assert "locked for 15 minutes" in page
    assert "_auth_user_id" not in client.session


def test_the_lock_follows_the_account_to_another_address(client):
    UserFactory(username="victim")
    for _ in range(LIMIT):
        _login(client, "victim", "wrong", REMOTE_ADDR="10.0.0.1")
    response = _login(client, "victim", "correct-horse", REMOTE_ADDR="10.0.0.2")
    assert response.status_code == 429
    assert AccessAttempt.objects.filter(username="victim").exists()


def test_an_address_that_keeps_failing_is_locked_for_other_accounts(client):
    UserFactory(username="bystander")
    for number in range(LIMIT):
        _login(client, f"guess{number}", "wrong", REMOTE_ADDR="10.0.0.9")
    assert _login(client, "bystander", "correct-horse", REMOTE_ADDR="10.0.0.9").status_code == 429
    assert _login(client, "bystander", "correct-horse", REMOTE_ADDR="10.0.0.10").status_code == 302


def test_fewer_failures_then_the_right_password_logs_in_and_starts_the_count_again(client):
    UserFactory(username="typist")
    for _ in range(LIMIT - 1):
        _login(client, "typist", "wrong")
    assert _login(client, "typist", "correct-horse").status_code == 302
    assert not AccessAttempt.objects.filter(username="typist", failures_since_start__gt=0).exists()


def test_the_token_endpoint_counts_failures_too_and_says_why_it_refuses(anon_api):
    UserFactory(username="robot")
    for _ in range(LIMIT - 1):
        response = anon_api.post(
            "/api/v1/auth/token/", {"username": "robot", "password": "wrong"}, format="json"
        )
        assert response.status_code == 400
    anon_api.post("/api/v1/auth/token/", {"username": "robot", "password": "x"}, format="json")
    response = anon_api.post(
        "/api/v1/auth/token/", {"username": "robot", "password": "correct-horse"}, format="json"
    )
    assert response.status_code == 429
    assert "Too many failed logins" in response.json()["detail"]


def test_the_token_endpoint_is_throttled(anon_api, monkeypatch):
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"token": "3/min"})
    UserFactory(username="robot")
    answers = [
        anon_api.post(
            "/api/v1/auth/token/", {"username": "robot", "password": "correct-horse"}, format="json"
        ).status_code
        for _ in range(4)
    ]
    assert answers == [200, 200, 200, 429]

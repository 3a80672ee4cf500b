import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from rest_framework.authtoken.models import Token

from accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PROTECTED = [
    "/api/v1/teams/",
    "/api/v1/people/",
    "/api/v1/auth/me/",
    "/api/v1/schema/",
]


@pytest.mark.parametrize("path", PROTECTED)
def test_anonymous_api_calls_get_401(anon_api, path):
    response = anon_api.get(path)
    assert response.status_code == 401
    assert "detail" in response.data


def test_anonymous_write_gets_401_not_403(anon_api):
    response = anon_api.post("/api/v1/teams/", {"slug": "x", "name": "X"}, format="json")
    assert response.status_code == 401


def test_token_from_the_login_endpoint_authenticates(anon_api):
    UserFactory(username="rota.bot")
    response = anon_api.post(
        "/api/v1/auth/token/",
        {"username": "rota.bot", "password": "correct-horse"},
        format="json",
    )
    assert response.status_code == 200
    key = response.json()["token"]
    anon_api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    me = anon_api.get("/api/v1/auth/me/")
    assert me.status_code == 200
    assert me.json()["username"] == "rota.bot"


def test_token_endpoint_returns_the_same_key_twice(anon_api):
    UserFactory(username="ci")
    body = {"username": "ci", "password": "correct-horse"}
    first = anon_api.post("/api/v1/auth/token/", body, format="json").json()["token"]
    second = anon_api.post("/api/v1/auth/token/", body, format="json").json()["token"]
    assert first == second


def test_wrong_password_is_a_400_with_a_reason(anon_api):
    UserFactory(username="ci")
    response = anon_api.post(
        "/api/v1/auth/token/", {"username": "ci", "password": "nope"}, format="json"
    )
    assert response.status_code == 400
    assert "Unable to log in" in response.json()["non_field_errors"][0]


def test_missing_fields_are_named(anon_api):
    response = anon_api.post("/api/v1/auth/token/", {}, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"username", "password"}


def test_token_from_the_management_command_authenticates(anon_api):
    UserFactory(username="dashboard")
    out = io.StringIO()
    call_command("api_token", "dashboard", stdout=out)
    key = out.getvalue().strip()
    assert key == Token.objects.get(user__username="dashboard").key
    anon_api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert anon_api.get("/api/v1/auth/me/").json()["username"] == "dashboard"


def test_management_command_rejects_an_unknown_person():
    with pytest.raises(CommandError, match="No active person"):
        call_command("api_token", "nobody")


def test_a_bad_token_is_401(anon_api):
    anon_api.credentials(HTTP_AUTHORIZATION="Token not-a-real-key")
    assert anon_api.get("/api/v1/teams/").status_code == 401


def test_session_login_works_for_the_browser(client):
    UserFactory(username="browser")
    login = client.post("/login/", {"username": "browser", "password": "correct-horse"})
    assert login.status_code == 302
    response = client.get("/api/v1/auth/me/")
    assert response.status_code == 200
    assert response.json()["username"] == "browser"


def test_a_deactivated_person_token_stops_working(admin_api, token_client):
    person = UserFactory(username="leaver")
    client = token_client(person)
    assert client.get("/api/v1/auth/me/").status_code == 200
    assert admin_api.delete("/api/v1/people/leaver/").status_code == 204
    assert client.get("/api/v1/auth/me/").status_code == 401


def test_the_token_endpoint_also_takes_a_form(anon_api):
    UserFactory(username="ci")
    response = anon_api.post(
        "/api/v1/auth/token/", {"username": "ci", "password": "correct-horse"}, format="multipart"
    )
    assert response.status_code == 200
    assert response.json()["token"]

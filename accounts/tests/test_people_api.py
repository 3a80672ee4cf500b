import pytest
from rest_framework.authtoken.models import Token

from accounts.models import User
from accounts.tests.factories import UserFactory
from handbook.tests.factories import MembershipFactory, TeamFactory

pytestmark = pytest.mark.django_db


def test_people_list_shows_active_people_with_their_teams(api):
    team = TeamFactory(slug="delivery")
    MembershipFactory(team=team, user=UserFactory(username="ana", timezone="Europe/Lisbon"))
    UserFactory(username="gone", is_active=False)
    results = api.get("/api/v1/people/").json()["results"]
    usernames = [p["username"] for p in results]
    assert "ana" in usernames
    assert "gone" not in usernames
    ana = next(p for p in results if p["username"] == "ana")
    assert ana["teams"] == ["delivery"]
    assert ana["timezone"] == "Europe/Lisbon"
    assert set(ana) >= {"username", "display_name", "email", "timezone", "teams"}


@pytest.mark.parametrize("n_people", [3, 30])
def test_people_list_query_count_is_fixed(api, django_assert_num_queries, n_people):
    team = TeamFactory()
    for _ in range(n_people):
        MembershipFactory(team=team)
    # auth token + count + people + memberships(with teams)
    with django_assert_num_queries(4):
        api.get("/api/v1/people/?page_size=200")


def test_ordinary_person_cannot_create_people(api):
    response = api.post("/api/v1/people/", {"username": "x"}, format="json")
    assert response.status_code == 403


def test_admin_creates_a_person_from_the_directory(admin_api):
    response = admin_api.post(
        "/api/v1/people/",
        {"username": "new.hire", "email": "new@example.com", "timezone": "Asia/Tokyo"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    person = User.objects.get(username="new.hire")
    assert person.timezone == "Asia/Tokyo"
    assert not person.has_usable_password()


def test_an_unknown_timezone_is_a_400_naming_the_field(admin_api):
    response = admin_api.post(
        "/api/v1/people/", {"username": "tz", "timezone": "Mars/Olympus"}, format="json"
    )
    assert response.status_code == 400
    assert "IANA" in response.json()["timezone"][0]


def test_a_duplicate_username_is_a_400(admin_api):
    UserFactory(username="taken")
    response = admin_api.post("/api/v1/people/", {"username": "TAKEN"}, format="json")
    assert response.status_code == 400
    assert "username" in response.json()


def test_deleting_a_person_deactivates_and_keeps_them(admin_api):
    person = UserFactory(username="leaver")
    MembershipFactory(user=person)
    Token.objects.create(user=person)
    assert admin_api.delete("/api/v1/people/leaver/").status_code == 204
    person.refresh_from_db()
    assert person.is_active is False
    assert person.memberships.count() == 1
    assert not Token.objects.filter(user=person).exists()
    detail = admin_api.get("/api/v1/people/leaver/").json()
    assert detail["is_active"] is False
    assert "leaver" in [
        p["username"]
        for p in admin_api.get("/api/v1/people/?include_inactive=true").json()["results"]
    ]


def test_an_admin_cannot_deactivate_themselves(admin_api, admin_user):
    response = admin_api.delete(f"/api/v1/people/{admin_user.username}/")
    assert response.status_code == 400
    admin_user.refresh_from_db()
    assert admin_user.is_active


def test_admin_patches_a_profile(admin_api):
    UserFactory(username="ana")
    response = admin_api.patch(
        "/api/v1/people/ana/", {"display_name": "Ana P.", "timezone": "Europe/Paris"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["display_name"] == "Ana P."
    assert User.objects.get(username="ana").timezone == "Europe/Paris"


def test_ordinary_person_cannot_patch_or_delete_people(api):
    UserFactory(username="ana")
    assert api.patch("/api/v1/people/ana/", {"display_name": "x"}, format="json").status_code == 403
    assert api.delete("/api/v1/people/ana/").status_code == 403


@pytest.mark.parametrize(
    "body, field",
    [
        ({"username": 12345}, "username"),  # a number is not the string the schema asks for
        ({"username": "tz", "timezone": "UTC" + " " * 62}, "timezone"),  # 65 long before trimming
        ({"username": "pw", "password": ""}, "password"),
        ({"username": "mail", "email": "x" * 250 + "@b.de"}, "email"),
    ],
)
def test_a_value_the_schema_forbids_is_a_400_naming_the_field(admin_api, body, field):
    response = admin_api.post("/api/v1/people/", body, format="json")
    assert response.status_code == 400
    assert list(response.json()) == [field]
    assert not User.objects.filter(username=str(body["username"])).exists()


def test_a_weak_password_is_a_400_on_the_password(admin_api):
    response = admin_api.post(
        "/api/v1/people/", {"username": "weak", "password": "12345"}, format="json"
    )
    assert response.status_code == 400
    assert "too short" in " ".join(response.json()["password"])


def test_a_form_body_is_a_415_not_a_blank_read_as_missing(admin_api):
    response = admin_api.post(
        "/api/v1/people/", {"username": "form", "timezone": ""}, format="multipart"
    )
    assert response.status_code == 415
    assert not User.objects.filter(username="form").exists()


def test_is_active_must_be_a_json_boolean(admin_api):
    UserFactory(username="ana")
    response = admin_api.patch("/api/v1/people/ana/", {"is_active": "no"}, format="json")
    assert response.status_code == 400
    assert "is_active" in response.json()
    assert User.objects.get(username="ana").is_active


def test_include_inactive_must_be_true_or_false(api):
    assert api.get("/api/v1/people/?include_inactive=maybe").json() == {
        "include_inactive": ["Use true or false."]
    }
    assert api.get("/api/v1/people/?include_inactive=false").status_code == 200

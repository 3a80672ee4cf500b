import pytest

from accounts.tests.factories import UserFactory
from handbook.models import Membership, Team
from handbook.tests.factories import ContactRouteFactory, MembershipFactory, TeamFactory

pytestmark = pytest.mark.django_db


def _team_with_members(n_members, **kwargs):
    team = TeamFactory(**kwargs)
    for _ in range(n_members):
        MembershipFactory(team=team)
    ContactRouteFactory(team=team)
    return team


def test_team_list_has_the_contract_fields(api):
    parent = TeamFactory(slug="engineering")
    team = _team_with_members(2, slug="delivery", name="Delivery", parent=parent)
    response = api.get("/api/v1/teams/")
    assert response.status_code == 200
    body = response.json()
    assert {"count", "next", "previous", "results"} <= set(body)
    delivery = next(t for t in body["results"] if t["slug"] == "delivery")
    assert delivery["name"] == "Delivery"
    assert delivery["parent"] == "engineering"
    assert len(delivery["members"]) == 2
    assert set(delivery["members"][0]) >= {"username", "role"}
    assert delivery["contacts"] == [
        {
            "reason": "Urgent release problem",
            "contacts": ["@release-manager", "@delivery-rota"],
            "via": "Chat",
        }
    ]
    assert api.get(f"/api/v1/teams/{team.slug}/").json()["slug"] == "delivery"


@pytest.mark.parametrize("n_teams", [2, 12])
def test_team_list_query_count_does_not_grow_with_teams(api, django_assert_num_queries, n_teams):
    for _ in range(n_teams):
        _team_with_members(3, parent=TeamFactory())
    # auth token + count + teams + memberships(with users) + contacts
    with django_assert_num_queries(5):
        response = api.get("/api/v1/teams/?page_size=200")
    assert response.json()["count"] == n_teams * 2


def test_unknown_team_is_404(api):
    assert api.get("/api/v1/teams/nope/").status_code == 404


def test_page_size_is_capped_at_200(api):
    TeamFactory()
    response = api.get("/api/v1/teams/?page_size=5000")
    assert response.status_code == 200
    assert response.json()["count"] == 1


def test_ordinary_person_cannot_create_a_team(api):
    response = api.post("/api/v1/teams/", {"slug": "x", "name": "X"}, format="json")
    assert response.status_code == 403
    assert not Team.objects.filter(slug="x").exists()


def test_admin_creates_a_team_with_members_and_contacts(admin_api):
    UserFactory(username="ana")
    TeamFactory(slug="engineering")
    response = admin_api.post(
        "/api/v1/teams/",
        {
            "slug": "delivery",
            "name": "Delivery",
            "parent": "engineering",
            "mission": "Ship it.",
            "members": [{"username": "ana", "role": "lead"}],
            "contacts": [{"reason": "Release broken", "contacts": ["@rm", "@rota"], "via": "Chat"}],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["parent"] == "engineering"
    assert body["members"] == [
        {"username": "ana", "display_name": body["members"][0]["display_name"], "role": "lead"}
    ]
    assert body["contacts"][0]["contacts"] == ["@rm", "@rota"]


def test_bad_team_input_names_each_field(admin_api):
    TeamFactory(slug="taken")
    response = admin_api.post(
        "/api/v1/teams/",
        {"slug": "taken", "parent": "missing", "members": [{"username": "ghost", "role": "boss"}]},
        format="json",
    )
    assert response.status_code == 400
    errors = response.json()
    assert "already exists" in errors["slug"][0]
    assert "name" in errors
    assert "parent" in errors
    # DRF keys a list's errors by the index of the bad item.
    assert set(errors["members"]["0"]) == {"username", "role"}


def test_a_team_cannot_become_its_own_ancestor(admin_api):
    root = TeamFactory(slug="root")
    TeamFactory(slug="child", parent=root)
    response = admin_api.patch("/api/v1/teams/root/", {"parent": "child"}, format="json")
    assert response.status_code == 400
    assert "ancestor" in response.json()["parent"][0]


def test_team_lead_may_edit_their_team_but_an_engineer_may_not(token_client):
    team = TeamFactory(slug="set", mission="Old")
    lead = MembershipFactory(team=team, role=Membership.Role.LEAD).user
    engineer = MembershipFactory(team=team, role=Membership.Role.ENGINEER).user
    denied = token_client(engineer).patch("/api/v1/teams/set/", {"mission": "Nope"}, format="json")
    assert denied.status_code == 403
    allowed = token_client(lead).patch("/api/v1/teams/set/", {"mission": "New"}, format="json")
    assert allowed.status_code == 200
    assert allowed.json()["mission"] == "New"
    team.refresh_from_db()
    assert team.mission == "New"


def test_only_admins_delete_teams(api, admin_api):
    TeamFactory(slug="gone")
    assert api.delete("/api/v1/teams/gone/").status_code == 403
    assert admin_api.delete("/api/v1/teams/gone/").status_code == 204
    assert not Team.objects.filter(slug="gone").exists()


def test_lead_adds_changes_and_removes_a_member(token_client):
    team = TeamFactory(slug="delivery")
    lead = MembershipFactory(team=team, role=Membership.Role.LEAD).user
    UserFactory(username="newbie")
    client = token_client(lead)

    added = client.post("/api/v1/teams/delivery/members/", {"username": "newbie"}, format="json")
    assert added.status_code == 201
    assert added.json()["role"] == "engineer"
    changed = client.post(
        "/api/v1/teams/delivery/members/", {"username": "newbie", "role": "pm"}, format="json"
    )
    assert changed.status_code == 200
    assert Membership.objects.get(team=team, user__username="newbie").role == "pm"

    assert client.delete("/api/v1/teams/delivery/members/newbie/").status_code == 204
    assert not Membership.objects.filter(team=team, user__username="newbie").exists()
    assert client.delete("/api/v1/teams/delivery/members/newbie/").status_code == 404


def test_engineer_cannot_change_membership(token_client):
    team = TeamFactory(slug="delivery")
    engineer = MembershipFactory(team=team).user
    UserFactory(username="friend")
    response = token_client(engineer).post(
        "/api/v1/teams/delivery/members/", {"username": "friend"}, format="json"
    )
    assert response.status_code == 403
    assert not Membership.objects.filter(user__username="friend").exists()


def test_adding_an_unknown_person_is_a_400(admin_api):
    TeamFactory(slug="delivery")
    response = admin_api.post(
        "/api/v1/teams/delivery/members/", {"username": "ghost"}, format="json"
    )
    assert response.status_code == 400
    assert "username" in response.json()


def test_a_nul_byte_in_the_search_is_a_400_not_a_500(api):
    response = api.get("/api/v1/teams/?q=a%00b")
    assert response.status_code == 400
    assert "q" in response.json()


def test_an_unknown_api_path_is_a_json_404(api):
    response = api.get("/api/v1/teams/bad%20slug/members/x/")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_a_nul_byte_in_a_related_slug_is_a_400(admin_api):
    response = admin_api.post(
        "/api/v1/teams/",
        {"slug": "x", "name": "X", "members": [{"username": "a\x00b"}], "parent": "p\x00"},
        format="json",
    )
    assert response.status_code == 400
    assert set(response.json()) == {"members", "parent"}


@pytest.mark.parametrize(
    "body, field, reason",
    [
        ({"slug": "x", "name": "X", "parent": ""}, "parent", "or null for none"),
        ({"slug": "x", "name": "X", "parent": 7}, "parent", "Not a valid string"),
        ({"slug": "x", "name": "n" * 120 + " "}, "name", "no more than 120"),
        ({"slug": "x", "name": "X", "principles": [1]}, "principles", "Not a valid string"),
        ({"slug": "x", "name": "X", "members": [{"username": ""}]}, "members", "not be blank"),
    ],
)
def test_a_team_value_the_schema_forbids_is_a_400_with_the_reason(admin_api, body, field, reason):
    response = admin_api.post("/api/v1/teams/", body, format="json")
    assert response.status_code == 400
    errors = response.json()
    assert list(errors) == [field]
    assert reason in str(errors[field])
    assert not Team.objects.filter(slug="x").exists()


def test_a_member_role_must_be_one_of_the_strings(admin_api):
    TeamFactory(slug="delivery")
    UserFactory(username="newbie")
    response = admin_api.post(
        "/api/v1/teams/delivery/members/", {"username": "newbie", "role": 1}, format="json"
    )
    assert response.status_code == 400
    assert "role" in response.json()


@pytest.mark.parametrize(
    "query", ["page_size=null", "page_size=0", "page=last", "page=-1", "page="]
)
def test_paging_parameters_must_be_positive_integers(api, query):
    TeamFactory()
    response = api.get(f"/api/v1/teams/?{query}")
    assert response.status_code == 400
    assert list(response.json()) == [query.split("=")[0]]


def test_a_page_size_above_the_maximum_counts_as_the_maximum(api):
    TeamFactory()
    assert api.get("/api/v1/teams/?page_size=100000").status_code == 200
    assert api.get("/api/v1/teams/?page=99999999999999999999999").status_code == 404


def test_a_patch_with_a_member_without_a_role_makes_them_an_engineer(admin_api):
    # DRF skips the nested default in a partial update; this was a KeyError and a 500.
    team = TeamFactory(slug="delivery")
    MembershipFactory(team=team, user=UserFactory(username="ana"), role=Membership.Role.LEAD)
    response = admin_api.patch(
        "/api/v1/teams/delivery/",
        {"members": [{"username": "ana"}, {"username": "ana"}]},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["members"][0]["role"] == "engineer"


def test_a_patch_from_a_stale_version_is_a_409_with_the_team_as_it_is(token_client):
    team = TeamFactory(slug="set", mission="Old", principles=["One", "Two"])
    lead = token_client(MembershipFactory(team=team, role=Membership.Role.LEAD).user)
    first = lead.patch(
        "/api/v1/teams/set/", {"principles": ["Two", "One"], "version": 1}, format="json"
    )
    assert first.status_code == 200
    assert first.json()["version"] == 2

    stale = lead.patch("/api/v1/teams/set/", {"mission": "Mine", "version": 1}, format="json")
    assert stale.status_code == 409
    assert stale.json()["current"]["principles"] == ["Two", "One"]
    assert stale.json()["current"]["version"] == 2
    team.refresh_from_db()
    assert team.mission == "Old"
    # Without a version the change is made whatever happened meanwhile, as before.
    assert lead.patch("/api/v1/teams/set/", {"mission": "Mine"}, format="json").status_code == 200

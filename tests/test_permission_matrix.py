"""Every write route against every kind of person: anonymous, a lead of another team, an
engineer of the owning team, a lead of the owning team, an admin.

The routes are found, not listed by hand: every URL pattern outside the admin is probed with
each write method, and every write operation of the OpenAPI schema is read, so a new write
route without its rows in MATRIX fails `test_every_write_route_has_its_rows`. Each row says
who may; each case checks both the answer and the effect (what changed, or that nothing did).
Each app adds what it owns to the world and its rows (rotations/tests/matrix_rows.py); the
shared vocabulary is in tests/matrix.py.
"""

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from rest_framework.test import APIClient

from accounts import selectors as account_selectors
from accounts.models import User
from accounts.services import calendar_token_create_or_rotate
from accounts.tests.factories import AdminFactory, UserFactory
from handbook import services
from handbook.models import Meeting, Membership, Page, Team
from handbook.tests import matrix_rows as handbook_rows
from handbook.tests import matrix_rows_teams as team_rows
from handbook.tests.factories import MembershipFactory, TeamFactory, make_page
from releases.tests import matrix_rows as releases_rows
from rotations.tests import matrix_rows as rotations_rows
from tests.matrix import (
    A_MANAGERS,
    A_MEMBERS,
    ADMINS,
    ANYONE,
    EXCLUDED_PREFIXES,
    LOGGED_IN,
    ROLES,
    WRITE_METHODS,
    Row,
    World,
)
from tickets.tests import matrix_rows as tickets_rows

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db) -> World:
    team_a = TeamFactory(slug="team-a", name="Team A")
    team_b = TeamFactory(slug="team-b", name="Team B")
    other, member = UserFactory(username="other"), UserFactory(username="member")
    lead = UserFactory(username="lead")
    MembershipFactory(team=team_b, user=other, role=Membership.Role.LEAD)
    MembershipFactory(team=team_a, user=member, role=Membership.Role.ENGINEER)
    MembershipFactory(team=team_a, user=lead, role=Membership.Role.LEAD)
    make_page("a/index", "# A\n", title="A", team=team_a)
    page = make_page(
        "a/page", "# Page\n\nSee [home](index.md) and [this](old.md).\n", title="Page", team=team_a
    )
    # A second revision, so that restoring the first changes something.
    page, _ = services.page_save(
        path="a/page", title="Page", markdown=page.markdown + "\nMore.\n", team=team_a
    )
    moved = make_page("a/old", "# Moved\n", title="Moved", team=team_a)
    moved = services.page_move(page=moved, new_path="a/moved")
    b_page = make_page("b/page", "# B\n\nSee [theirs](../a/old.md).\n", title="B", team=team_b)
    Meeting.objects.create(team=team_a, name="Sync", start="2026-01-06T09:00:00Z")
    people = {
        "anonymous": None,
        "other": other,
        "member": member,
        "lead": lead,
        "admin": AdminFactory(username="admin"),
    }
    calendar_tokens = {
        role: calendar_token_create_or_rotate(user=person).token
        for role, person in people.items()
        if person is not None
    }
    world = World(team_a, team_b, people, page, moved, b_page, calendar_tokens)
    handbook_rows.world_add(world)
    rotations_rows.world_add(world)
    tickets_rows.world_add(world)
    releases_rows.world_add(world)
    return world


# Sample values for the URL parameters of the probe, by parameter name. A route with a
# parameter not named here fails the discovery test until a sample is added.
def _samples(world: World) -> dict[str, str]:
    return {
        "slug": world.team_a.slug,
        "path": world.page.path,
        "revision_id": str(world.revision_id()),
        "username": "member",
        "pk": str(Meeting.objects.first().pk),
        "id": str(Meeting.objects.first().pk),
        "token": "not-a-signed-token",
        "key": world.extra["ticket"].key,
        "version": world.extra["release"].version,
    }


def _page_text(path):
    return lambda world: Page.objects.get(path=path).markdown


def _exists(path):
    return lambda world: Page.objects.filter(path=path).exists()


def _a_calendar_token_retired(world) -> bool:
    """Someone's calendar token of the world stopped working (replaced or revoked)."""
    return any(
        account_selectors.calendar_token_find(raw=raw) is None
        for raw in world.calendar_tokens.values()
    )


MATRIX: list[Row] = [
    # Logging in and out: everyone, by nature.
    Row("login", "post", ANYONE, data=lambda w: {"username": "x", "password": "y"}, public=True),
    Row("login", "put", ANYONE, public=True),
    Row("logout", "post", ANYONE, public=True),
    # Handbook pages (HTML).
    Row(
        "handbook:page_new",
        "post",
        A_MEMBERS,
        data=lambda w: {"path": "a/new", "title": "New", "team": w.team_a.pk, "markdown": "x"},
        effect=_exists("a/new"),
    ),
    Row(
        "handbook:page_new",
        "post",
        frozenset({"other", "admin"}),
        case="B's page outside A's folder",
        data=lambda w: {"path": "b/new", "title": "New", "team": w.team_b.pk, "markdown": "x"},
        effect=_exists("b/new"),
    ),
    Row(
        "handbook:page_new",
        "post",
        ADMINS,
        case="B's page in A's folder",
        data=lambda w: {"path": "a/squat", "title": "Squat", "team": w.team_b.pk, "markdown": "x"},
        effect=_exists("a/squat"),
    ),
    Row(
        "handbook:page_new",
        "post",
        frozenset({"admin"}),
        case="at A's old address",
        data=lambda w: {"path": "a/old", "title": "Squat", "team": w.team_b.pk, "markdown": "x"},
        effect=_exists("a/old"),
    ),
    Row(
        "handbook:page_edit",
        "post",
        A_MEMBERS,
        kwargs=lambda w: {"path": "a/page"},
        data=lambda w: {
            "title": "Page",
            "team": w.team_a.pk,
            "markdown": "changed",
            "base_version": w.page.version,
        },
        effect=lambda w: _page_text("a/page")(w) == "changed",
    ),
    Row(
        "handbook:page_edit",
        "post",
        ADMINS,
        case="hand the page to team B",
        kwargs=lambda w: {"path": "a/page"},
        data=lambda w: {
            "title": "Page",
            "team": w.team_b.pk,
            "markdown": w.page.markdown,
            "base_version": w.page.version,
        },
        effect=lambda w: Page.objects.get(path="a/page").team_id == w.team_b.pk,
    ),
    Row(
        "handbook:page_preview",
        "post",
        A_MEMBERS,
        data=lambda w: {"path": "a/page", "markdown": "**preview**"},
    ),
    Row(
        "handbook:page_move",
        "post",
        A_MEMBERS,
        kwargs=lambda w: {"path": "a/page"},
        data=lambda w: {"new_path": "a/elsewhere"},
        effect=_exists("a/elsewhere"),
    ),
    Row(
        "handbook:page_move",
        "post",
        ADMINS,
        case="B's page onto A's old address",
        kwargs=lambda w: {"path": "b/page"},
        data=lambda w: {"new_path": "a/old"},
        effect=_exists("a/old"),
    ),
    Row(
        "handbook:page_move",
        "post",
        A_MEMBERS,
        case="rewrite links to the page's old address",
        kwargs=lambda w: {"path": "a/moved"},
        data=lambda w: {"rewrite_from": "a/old"},
        # A's own page is rewritten; B's is left for its owners (see test_handbook_rules).
        effect=lambda w: "old.md" not in _page_text("a/page")(w),
    ),
    Row(
        "handbook:page_restore",
        "post",
        A_MEMBERS,
        kwargs=lambda w: {"path": "a/page", "revision_id": w.revision_id()},
        data=lambda w: {"base_version": w.page.version},
        effect=lambda w: "More." not in _page_text("a/page")(w),
    ),
    Row(
        "handbook:page_review",
        "post",
        A_MEMBERS,
        kwargs=lambda w: {"path": "a/page"},
        data=lambda w: {"review_by": "2099-01-01"},
        effect=lambda w: Page.objects.get(path="a/page").review_by is not None,
    ),
    # My account: each person's own calendar token.
    Row(
        "accounts:calendar_token",
        "post",
        LOGGED_IN,
        effect=_a_calendar_token_retired,
    ),
    Row(
        "accounts:calendar_token_revoke",
        "post",
        LOGGED_IN,
        effect=_a_calendar_token_retired,
    ),
    # API: tokens and teams.
    Row(
        "api-token",
        "post",
        ANYONE,
        api=True,
        data=lambda w: {"username": "x", "password": "y"},
        public=True,
    ),
    Row(
        "team-list",
        "post",
        ADMINS,
        api=True,
        data=lambda w: {"slug": "new-team", "name": "New team"},
        effect=lambda w: Team.objects.filter(slug="new-team").exists(),
    ),
    Row(
        "team-detail",
        "patch",
        A_MANAGERS,
        api=True,
        kwargs=lambda w: {"slug": "team-a"},
        data=lambda w: {"mission": "Changed"},
        effect=lambda w: Team.objects.get(slug="team-a").mission == "Changed",
    ),
    Row(
        "team-detail",
        "patch",
        ADMINS,
        case="place team B under team A",
        api=True,
        kwargs=lambda w: {"slug": "team-b"},
        data=lambda w: {"parent": "team-a"},
        effect=lambda w: Team.objects.get(slug="team-b").parent_id == w.team_a.pk,
    ),
    Row(
        "team-detail",
        "delete",
        ADMINS,
        api=True,
        kwargs=lambda w: {"slug": "team-a"},
        effect=lambda w: not Team.objects.filter(slug="team-a").exists(),
    ),
    Row(
        "team-members",
        "post",
        A_MANAGERS,
        api=True,
        kwargs=lambda w: {"slug": "team-a"},
        data=lambda w: {"username": "other", "role": "engineer"},
        effect=lambda w: w.team_a.memberships.filter(user__username="other").exists(),
    ),
    Row(
        "team-member-detail",
        "delete",
        A_MANAGERS,
        api=True,
        kwargs=lambda w: {"slug": "team-a", "username": "member"},
        effect=lambda w: not w.team_a.memberships.filter(user__username="member").exists(),
    ),
    # API: the caller's own calendar token.
    Row("api-calendar-token", "post", LOGGED_IN, api=True, effect=_a_calendar_token_retired),
    Row("api-calendar-token", "delete", LOGGED_IN, api=True, effect=_a_calendar_token_retired),
    # API: people (directory sync is for admins).
    Row(
        "person-list",
        "post",
        ADMINS,
        api=True,
        data=lambda w: {"username": "newcomer"},
        effect=lambda w: User.objects.filter(username="newcomer").exists(),
    ),
    Row(
        "person-detail",
        "patch",
        ADMINS,
        api=True,
        kwargs=lambda w: {"username": "member"},
        data=lambda w: {"display_name": "Renamed"},
        effect=lambda w: User.objects.get(username="member").display_name == "Renamed",
    ),
    Row(
        "person-detail",
        "delete",
        ADMINS,
        api=True,
        kwargs=lambda w: {"username": "member"},
        effect=lambda w: not User.objects.get(username="member").is_active,
    ),
    # API: pages and meetings.
    Row(
        "page-detail",
        "put",
        A_MEMBERS,
        api=True,
        kwargs=lambda w: {"path": "a/page"},
        data=lambda w: {"title": "Page", "markdown": "via api", "team": "team-a"},
        effect=lambda w: _page_text("a/page")(w) == "via api",
    ),
    Row(
        "page-detail",
        "put",
        A_MEMBERS,
        case="create a page in A's folder for team A",
        api=True,
        kwargs=lambda w: {"path": "a/fresh"},
        data=lambda w: {"title": "Fresh", "markdown": "x", "team": "team-a"},
        effect=_exists("a/fresh"),
    ),
    Row(
        "page-detail",
        "put",
        ADMINS,
        case="B's page at A's old address",
        api=True,
        kwargs=lambda w: {"path": "a/old"},
        data=lambda w: {"title": "Squat", "markdown": "x", "team": "team-b"},
        effect=_exists("a/old"),
    ),
    Row(
        "page-detail",
        "put",
        ADMINS,
        case="hand the page to team B",
        api=True,
        kwargs=lambda w: {"path": "a/page"},
        data=lambda w: {"title": "Page", "markdown": w.page.markdown, "team": "team-b"},
        effect=lambda w: Page.objects.get(path="a/page").team_id == w.team_b.pk,
    ),
    Row(
        "meeting-list",
        "post",
        A_MANAGERS,
        api=True,
        data=lambda w: {"team": "team-a", "name": "Retro", "start": "2026-02-03T10:00:00Z"},
        effect=lambda w: Meeting.objects.filter(name="Retro").exists(),
    ),
]


MATRIX += handbook_rows.ROWS  # the page editor: drafts and images
MATRIX += team_rows.ROWS  # editing teams in the portal
MATRIX += rotations_rows.ROWS
MATRIX += tickets_rows.ROWS
MATRIX += releases_rows.ROWS


def _rows_by_route() -> set[tuple[str, str]]:
    return {(row.route, row.method) for row in MATRIX}


# Finding the write routes.


def _patterns(resolver: URLResolver, prefix: str = "", namespace: str = ""):
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _patterns(entry, route, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield route, f"{namespace}{entry.name}", entry


def _is_api(route: str) -> bool:
    return route.startswith("api/")


def _html_write_routes(world: World) -> set[tuple[str, str]]:
    """Every non-API, non-admin route that answers a write method with anything but 405,
    probed as a superuser (so that no permission check hides the method)."""
    samples = _samples(world)
    found = set()
    for route, name, entry in _patterns(get_resolver()):
        if route.startswith(EXCLUDED_PREFIXES) or _is_api(route):
            continue
        kwargs = {key: samples[key] for key in entry.pattern.converters}
        url = reverse(name, kwargs=kwargs)
        for method in WRITE_METHODS:
            client = Client()
            client.force_login(world.people["admin"])
            if getattr(client, method)(url).status_code != 405:
                found.add((name, method))
    return found


def _api_write_routes(world: World) -> set[tuple[str, str]]:
    """Every write operation of the OpenAPI schema, named by the URL it resolves to."""
    client = APIClient()
    client.force_authenticate(world.people["admin"])
    schema = client.get("/api/v1/schema/?format=json").json()
    samples = _samples(world)
    found = set()
    for path, operations in schema["paths"].items():
        concrete = path
        for key, value in samples.items():
            concrete = concrete.replace("{" + key + "}", value)
        name = resolve(concrete).url_name
        found |= {(name, method) for method in operations if method in WRITE_METHODS}
    return found


def test_every_write_route_has_its_rows(world):
    found = _html_write_routes(world) | _api_write_routes(world)
    assert found - _rows_by_route() == set(), "write routes without rows in MATRIX"
    assert _rows_by_route() - found == set(), "rows in MATRIX for routes that do not exist"


# Calling them.


def _call(row: Row, world: World, role: str):
    person = world.people[role]
    client = APIClient() if row.api else Client()
    if person is not None:
        client.force_login(person)
    url = reverse(row.route, kwargs=row.kwargs(world)) + row.query(world)
    data = row.data(world)
    if row.api:
        return getattr(client, row.method)(url, data, format="json", **row.extra)
    if row.method == "post":
        return client.post(url, data, **row.extra)
    return getattr(client, row.method)(url, **row.extra)


def _refused(response) -> bool:
    login = response.status_code == 302 and response["Location"].startswith(reverse("login"))
    return login or response.status_code in (401, 403)


CASES = [
    pytest.param(row, role, id=f"{row.route}:{row.method}:{row.case or 'plain'}:{role}")
    for row in MATRIX
    for role in ROLES
]


@pytest.mark.parametrize(("row", "role"), CASES)
def test_write_route_obeys_the_matrix(world, row, role):
    before = row.effect(world) if row.effect else None
    response = _call(row, world, role)
    assert response.status_code < 500
    if row.public:
        return
    if role in row.allowed:
        assert not _refused(response), f"{role} was refused: {response.status_code}"
        assert response.status_code < 400, response.content[:500]
        if row.effect:
            assert row.effect(world), f"{role} was allowed but nothing changed"
    else:
        if row.effect:
            assert row.effect(world) == before, f"{role} changed what they may not"
            # A form may answer 200 with the reason next to the field, and change nothing.
            assert _refused(response) or response.status_code in (200, 400), response
        else:
            assert _refused(response), f"{role} was not refused: {response.status_code}"

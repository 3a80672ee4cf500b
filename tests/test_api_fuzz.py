"""Schemathesis over the whole OpenAPI schema, against a live server, as a logged-in admin.

Every endpoint in /api/v1/schema/ is fuzzed here without extra work, with valid and invalid
data: a server error, a response that contradicts the schema, or a request the schema calls
invalid that is not refused (`negative_data_rejection`) fails the run. A second, stateful run
follows the schema's links (declared with `core.schema.response_links`, and those schemathesis
infers), so answers about objects made earlier in the run are checked too.
"""

from datetime import date

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from accounts.models import User
from accounts.tests.factories import AdminFactory
from handbook.models import Meeting, Membership, Page, Team
from handbook.tests.factories import MembershipFactory, TeamFactory, make_page
from releases import services as release_services
from releases.models import Train
from rotations import services as rotation_services
from rotations.models import Rotation
from rotations.tests.factories import role
from tickets import services as ticket_services

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    negative_data_rejection,
]
# A small world the fuzzer is told about, so that many calls reach real objects: an admin (who
# makes every call), a team they lead and a page of it.
ADMIN = "fuzz.admin"
TEAM = "fuzz-team"
PAGE = "fuzz/page"
PAGE_MARKDOWN = "# Fuzz\n\nSee [the index](index.md).\n\n## Part\n\nText.\n"
ROLE = "Primary"  # the one role of the team's rota
TRAIN = "fuzz-train"  # the team's monthly release train, with two releases planned
RELEASES = ["40.0.0", "40.1.0"]

# The fuzzer draws these values now and then for the fields named, besides random ones: names of
# the world's objects, and values for rules beyond a JSON schema (an IANA time zone, an RRULE)
# that random strings almost never pass. So some writes succeed, and what follows is tested too.
# A mutation of a field that a drawn value replaces is dropped: the case stays what it says.
CONFIG = {
    "dictionaries": {
        "people": {"values": [ADMIN]},
        "teams": {"values": [TEAM]},
        "pages": {"values": [PAGE]},
        "time-zones": {"values": ["UTC", "Europe/Berlin", "America/New_York", "Asia/Tokyo"]},
        "rules": {"values": ["FREQ=WEEKLY;BYDAY=TU", "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH"]},
        "roles": {"values": [ROLE]},
        "slugs": {"values": [TEAM, TRAIN]},
        "trains": {"values": [TRAIN]},
        "versions": {"values": RELEASES},
        "release-rules": {
            "values": [
                "FREQ=MONTHLY;BYDAY=+3TH",
                "FREQ=MONTHLY;BYMONTHDAY=16",
                "FREQ=WEEKLY;INTERVAL=2;BYDAY=TH",
            ]
        },
    },
    "parameters": {
        "body.username": {"dictionary": "people", "probability": 0.3},
        "body.members[*].username": {"dictionary": "people", "probability": 0.5},
        "path.username": {"dictionary": "people", "probability": 0.2},
        "body.team": {"dictionary": "teams", "probability": 0.5},
        "body.parent": {"dictionary": "teams", "probability": 0.3},
        "query.team": {"dictionary": "teams", "probability": 0.5},
        "path.slug": {"dictionary": "slugs", "probability": 0.3},
        "path.path": {"dictionary": "pages", "probability": 0.3},
        "body.timezone": {"dictionary": "time-zones", "probability": 0.5},
        "body.recurrence": {"dictionary": "rules", "probability": 0.5},
        "body.role": {"dictionary": "roles", "probability": 0.5},
        "body.assignee": {"dictionary": "people", "probability": 0.3},
        "query.assignee": {"dictionary": "people", "probability": 0.3},
        "body.members[*]": {"dictionary": "people", "probability": 0.5},
        "body.roles[*].members[*]": {"dictionary": "people", "probability": 0.5},
        "body.rule": {"dictionary": "release-rules", "probability": 0.5},
        "body.train": {"dictionary": "trains", "probability": 0.5},
        "query.train": {"dictionary": "trains", "probability": 0.3},
        "path.version": {"dictionary": "versions", "probability": 0.5},
        "body.manager": {"dictionary": "people", "probability": 0.3},
    },
}
FUZZ_SETTINGS = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
# 100 scenarios of up to 8 calls (about 30 s). Only generation: a scenario changes the server's
# data, so replaying one to shrink it would not repeat what happened.
WORKFLOW_SETTINGS = settings(
    max_examples=100,
    stateful_step_count=8,
    phases=[Phase.generate],
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)


def _world_make() -> None:
    admin = User.objects.get(username=ADMIN)
    team = TeamFactory(slug=TEAM, name="Fuzz team")
    MembershipFactory(team=team, user=admin, role=Membership.Role.LEAD)
    make_page(PAGE, PAGE_MARKDOWN, title="Fuzz page", team=team, user=admin)
    rotation_services.rotation_create(
        team=team,
        name="Fuzz rota",
        timezone="Europe/Berlin",
        roles=[role(ROLE, [admin], start=date(2026, 1, 5))],
    )
    board = ticket_services.board_create(team=team, name="Fuzz board", key_prefix="FZ")
    ticket_services.ticket_create(board=board, title="Fuzz ticket", column=None)
    train = release_services.train_create(
        team=team,
        slug=TRAIN,
        name="Fuzz train",
        kind="self-managed",
        rule="FREQ=MONTHLY;BYMONTHDAY=16",
        start=date(2030, 1, 1),
        milestones=[
            release_services.MilestoneSpec("Code freeze", 10),
            release_services.MilestoneSpec("Release", 0),
        ],
        first_version=RELEASES[0],
    )
    release_services.train_plan(train=train, since=date(2030, 1, 1), until=date(2030, 2, 28))


def _world_reset() -> None:
    """Back to the world alone, so that each scenario of the stateful run begins from the same
    data (Hypothesis needs the same choices to lead to the same calls)."""
    Rotation.objects.all().delete()
    Train.objects.all().delete()
    Meeting.objects.all().delete()
    Page.objects.all().delete()
    Team.objects.all().delete()
    User.objects.exclude(username=ADMIN).delete()
    _world_make()


@pytest.fixture
def admin_headers(transactional_db):
    admin = AdminFactory(username=ADMIN)
    _world_make()
    return {"Authorization": f"Token {Token.objects.create(user=admin).key}"}


@pytest.fixture
def api_schema(live_server, admin_headers):
    return schemathesis.openapi.from_url(
        f"{live_server.url}/api/v1/schema/?format=json",
        headers=admin_headers,
        config=schemathesis.Config.from_dict(CONFIG),
    )


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@FUZZ_SETTINGS
def test_api_conforms_to_its_schema(case, live_server, admin_headers):
    case.call_and_validate(base_url=live_server.url, headers=admin_headers, checks=CHECKS)


def test_api_workflows_conform_to_its_schema(api_schema, live_server, admin_headers):
    class Workflow(api_schema.as_state_machine()):
        def setup(self):
            _world_reset()

        def get_call_kwargs(self, case):
            return {"base_url": live_server.url, "headers": admin_headers}

        def validate_response(self, response, case, additional_checks=None, **kwargs):
            case.validate_response(response, checks=CHECKS, transport_kwargs=kwargs)

    Workflow.run(settings=WORKFLOW_SETTINGS)

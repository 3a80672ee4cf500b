"""Schemathesis over the whole OpenAPI schema, against a live server, as a logged-in admin.

Every endpoint in /api/v1/schema/ is fuzzed here without extra work: a server error or a
response that contradicts the schema fails the run.
"""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from accounts.tests.factories import AdminFactory

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


@pytest.fixture
def admin_headers(transactional_db):
    admin = AdminFactory(username="fuzz.admin")
    return {"Authorization": f"Token {Token.objects.create(user=admin).key}"}


@pytest.fixture
def api_schema(live_server, admin_headers):
    return schemathesis.openapi.from_url(
        f"{live_server.url}/api/v1/schema/?format=json", headers=admin_headers
    )


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_api_conforms_to_its_schema(case, live_server, admin_headers):
    case.call_and_validate(base_url=live_server.url, headers=admin_headers, checks=CHECKS)

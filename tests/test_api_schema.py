"""The OpenAPI schema's own promises, beyond what the fuzzer can reach: the answers every
operation may give, the links between operations, and rules spelled twice (model and schema)."""

import re

import pytest
from django.core.exceptions import ValidationError
from rest_framework.test import APIClient

from core.schema import add_links, response_links
from handbook.models import validate_page_path

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(admin_user):
    client = APIClient()
    client.force_authenticate(admin_user)
    return client.get("/api/v1/schema/?format=json").json()


def _operations(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            yield path, method, operation


def test_every_operation_documents_503_and_every_body_415(schema):
    for path, method, operation in _operations(schema):
        responses = operation["responses"]
        assert "Retry-After" in responses["503"]["headers"], (method, path)
        assert ("415" in responses) == ("requestBody" in operation), (method, path)


def test_request_bodies_are_json_except_the_token_form(schema):
    for path, method, operation in _operations(schema):
        media_types = set(operation.get("requestBody", {}).get("content", {}))
        if path == "/api/v1/auth/token/":
            assert "application/x-www-form-urlencoded" in media_types
        elif media_types:
            assert media_types == {"application/json"}, (method, path)


def test_links_name_operations_that_exist(schema):
    operation_ids = {operation["operationId"] for _, _, operation in _operations(schema)}
    links = [
        link
        for _, _, operation in _operations(schema)
        for response in operation["responses"].values()
        for link in response.get("links", {}).values()
    ]
    assert len(links) >= 5
    assert {link["operationId"] for link in links} <= operation_ids


def test_a_link_to_a_missing_operation_fails_the_schema():
    result = {
        "paths": {
            "/x/": {
                "get": {
                    "operationId": "x_list",
                    "responses": {"200": {}},
                    **response_links({200: {"Gone": {"operationId": "x_gone"}}}),
                }
            }
        }
    }
    with pytest.raises(ValueError, match="x_gone"):
        add_links(result, None, None, True)


@pytest.mark.parametrize(
    "path",
    ["eng/page", "a", "eng/a.b/c-d_e", "eng/page.md", "Eng/page", "eng//page", "/eng", "eng/"],
)
def test_the_schema_spells_the_page_path_rule_of_the_model(schema, path):
    parameters = schema["paths"]["/api/v1/pages/{path}"]["put"]["parameters"]
    pattern = next(p for p in parameters if p["name"] == "path")["schema"]["pattern"]
    try:
        validate_page_path(path)
        valid = True
    except ValidationError:
        valid = False
    assert bool(re.search(pattern, path)) == valid

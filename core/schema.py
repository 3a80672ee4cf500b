"""OpenAPI post-processing: the error answers every operation can give, and links.

drf-spectacular documents only the success codes a view declares; a client (and schemathesis)
must also know the error shapes of docs/api.md: 400 with field errors, 401/403/404/409/429
with a `detail`, 415 for a body that is not JSON, 503 with `Retry-After` when no database
connection is free.
"""

from core.db import RETRY_AFTER_SECONDS

DETAIL_ERROR = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
FIELD_ERRORS = {
    "type": "object",
    "description": 'Field name -> messages, e.g. `{"username": ["This field is required."]}`.',
    "additionalProperties": {},
}
ERRORS = {
    "400": ("Bad input: the fields and the reasons.", "FieldErrors"),
    "401": ("No valid credentials.", "DetailError"),
    "403": ("Not allowed for this person.", "DetailError"),
    "404": ("No such object (or page).", "DetailError"),
    "429": ("Too many requests; retry later.", "DetailError"),
    "503": (
        "No database connection was free in time: nothing was done; retry after `Retry-After`.",
        "DetailError",
    ),
}
BODY_ERRORS = {
    "415": ("The body is not of a media type this operation reads (JSON).", "DetailError"),
}
RETRY_AFTER = {
    "Retry-After": {
        "schema": {"type": "integer", "minimum": 0},
        "description": f"Seconds to wait before retrying (now {RETRY_AFTER_SECONDS}).",
    }
}
HTTP_METHODS = ("get", "post", "put", "patch", "delete")


def add_error_responses(result, generator, request, public):
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas.setdefault("DetailError", DETAIL_ERROR)
    schemas.setdefault("FieldErrors", FIELD_ERRORS)
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            if method not in HTTP_METHODS:
                continue
            errors = {**ERRORS, **(BODY_ERRORS if "requestBody" in operation else {})}
            responses = operation.setdefault("responses", {})
            for code, (description, schema) in errors.items():
                response = {
                    "description": description,
                    "content": {
                        "application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}
                    },
                }
                if code == "503":
                    response["headers"] = RETRY_AFTER
                responses.setdefault(code, response)
    return result


# Links: what a client can do next with an answer (OpenAPI 3 "links"), e.g. read the page it
# just saved. Generated clients and schemathesis' stateful tests follow them. drf-spectacular has
# no place for them, so a view gives them as an extension of its operation, and `add_links`
# moves them into the responses they belong to.
LINKS_EXTENSION = "x-response-links"


def response_links(links: dict[int, dict[str, dict]]) -> dict:
    """`extend_schema(extensions=response_links({201: {"GetTeam": {...}}}))`: the links of the
    operation's answers, by status code. Each link names its target by `operationId`; values
    starting with `$response.body#/` are taken from the answer (also inside `requestBody`,
    whose fields are sent along with the rest of the target's body)."""
    return {LINKS_EXTENSION: {str(code): named for code, named in links.items()}}


def add_links(result, generator, request, public):
    operations = [
        operation
        for path_item in result.get("paths", {}).values()
        for method, operation in path_item.items()
        if method in HTTP_METHODS
    ]
    known = {operation.get("operationId") for operation in operations}
    for operation in operations:
        for code, named in operation.pop(LINKS_EXTENSION, {}).items():
            for name, link in named.items():
                if link["operationId"] not in known:
                    raise ValueError(f"Link {name} names no operation: {link['operationId']}")
            operation["responses"][code].setdefault("links", {}).update(named)
    return result

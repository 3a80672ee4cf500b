"""OpenAPI post-processing: document the error answers every operation can give.

drf-spectacular documents only the success codes a view declares; a client (and schemathesis)
must also know the error shapes of docs/api.md: 400 with field errors, 401/403/404/409/429
with a `detail`.
"""

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
            responses = operation.setdefault("responses", {})
            for code, (description, schema) in ERRORS.items():
                responses.setdefault(
                    code,
                    {
                        "description": description,
                        "content": {
                            "application/json": {
                                "schema": {"$ref": f"#/components/schemas/{schema}"}
                            }
                        },
                    },
                )
    return result

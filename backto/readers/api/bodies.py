"""A write's JSON body, read after the record is loaded: a caller outside the child's circle gets
the same 404 as for a record that does not exist, and a wrong role its 403, whatever the body
holds; only then is the body checked, and its faults named field by field (a 422 problem).

The body's schema is still declared in the OpenAPI schema (`body_of`), so that clients and the
fuzzing see it."""

from typing import Any, TypeVar

import pydantic
from django.http import HttpRequest
from ninja import Schema

S = TypeVar("S", bound=Schema)


class BodyInvalid(Exception):
    def __init__(self, errors: list[dict[str, str]]) -> None:
        super().__init__("The request body is not allowed.")
        self.errors = errors


def read_body(request: HttpRequest, schema: type[S]) -> S:
    """The request's JSON body as `schema`, or BodyInvalid naming each field at fault."""
    try:
        return schema.model_validate_json(request.body or b"")
    except pydantic.ValidationError as invalid:
        raise BodyInvalid(
            [
                {
                    "pointer": "#/" + "/".join(str(p) for p in e["loc"]) if e["loc"] else "#",
                    "detail": e["msg"],
                }
                for e in invalid.errors()
            ]
        ) from invalid


# The bodies declared with body_of, which the API adds to its schema's components.
DECLARED: dict[str, type[Schema]] = {}


def body_of(schema: type[Schema]) -> dict[str, Any]:
    """An operation's `openapi_extra` declaring `schema` as its JSON body."""
    DECLARED[schema.__name__] = schema
    return {
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {"schema": {"$ref": f"#/components/schemas/{schema.__name__}"}}
            },
        }
    }

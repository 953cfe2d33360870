"""An OpenAPI 3.1 description of the FHIR endpoint's reads and searches, generated from the same
catalogue as the CapabilityStatement (catalogue.TYPES), served at /fhir/openapi.json: so that the
JSON API's fuzzing (bench/api_fuzz.py, tests/fhir/test_fuzz.py) checks every FHIR answer too.
The CapabilityStatement stays FHIR's own description; this one says what a generic HTTP client
needs: the addresses, their parameters, and the answers each can give (a resource of the type,
a Bundle, or an OperationOutcome)."""

from __future__ import annotations

from typing import Any

from backto.readers.fhir.catalogue import TYPES

FHIR_JSON = "application/fhir+json"
ERRORS = {
    400: "A parameter that is not allowed; the OperationOutcome's expression names it.",
    401: "No token, or one that is unknown, expired or revoked.",
    403: "The caller's role does not allow this.",
    404: "No such resource, or one outside the caller's circle (the same answer).",
}
KINDS = {"number": {"type": "integer"}, "reference": {"type": "string"}}


def _resource(type_name: str) -> dict[str, Any]:
    return {
        "type": "object",
        "required": ["resourceType"],
        "properties": {"resourceType": {"const": type_name}, "id": {"type": "string"}},
    }


def _answers(type_name: str) -> dict[str, Any]:
    found: dict[str, Any] = {
        "200": {"description": type_name, "content": {FHIR_JSON: {"schema": _resource(type_name)}}}
    }
    outcome = {FHIR_JSON: {"schema": {"$ref": "#/components/schemas/OperationOutcome"}}}
    for status, meaning in ERRORS.items():
        found[str(status)] = {"description": meaning, "content": outcome}
    return found


def _parameter(name: str, kind: str, text: str) -> dict[str, Any]:
    schema: dict[str, Any] = KINDS.get(kind, {"type": "string"})
    if name == "date":  # repeatable: a range is two of them
        schema = {"type": "array", "items": {"type": "string"}}
    return {"name": name, "in": "query", "required": False, "description": text, "schema": schema}


IDENT = {"name": "ident", "in": "path", "required": True, "schema": {"type": "string"}}
CURSOR = _parameter("_cursor", "string", "Where the next page starts, from a next link.")


def openapi_schema() -> dict[str, Any]:
    paths: dict[str, Any] = {}
    bearer: list[dict[str, list[str]]] = [{"bearer": []}]
    for kind in TYPES.values():
        search = [_parameter(*p) for p in kind.params] + [CURSOR]
        paths[f"/fhir/{kind.name}"] = {
            "get": {
                "summary": f"Search {kind.name}: {kind.summary}",
                "parameters": search,
                "responses": _answers("Bundle"),
                "security": bearer,
            }
        }
        paths[f"/fhir/{kind.name}/{{ident}}"] = {
            "get": {
                "summary": f"Read one {kind.name}",
                "parameters": [IDENT],
                "responses": _answers(kind.name),
                "security": bearer,
            }
        }
    paths["/fhir/Patient/{ident}/$everything"] = {
        "get": {
            "summary": "Everything about one child that the caller may see",
            "parameters": [IDENT],
            "responses": _answers("Bundle"),
            "security": bearer,
        }
    }
    paths["/fhir/Questionnaire/{ident}"] = {
        "get": {
            "summary": "Read one instrument as a Questionnaire",
            "parameters": [IDENT],
            "responses": _answers("Questionnaire"),
            "security": bearer,
        }
    }
    return {
        "openapi": "3.1.0",
        "info": {"title": "BackTo FHIR R4 (reads and searches)", "version": "1"},
        "paths": paths,
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": {"OperationOutcome": _resource("OperationOutcome")},
        },
    }

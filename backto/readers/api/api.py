"""BackTo's JSON API, version 1 (docs/api.md): django-ninja, OpenAPI 3.1 served at
/api/v1/openapi.json, every error an RFC 9457 problem."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as RequestInvalid

from backto.readers.api.auth import ReadOnlyToken, api_auth
from backto.readers.api.bodies import DECLARED, BodyInvalid
from backto.readers.api.endpoints import care, diary, messages, patients, questionnaires
from backto.readers.api.endpoints.questionnaires import Conflict
from backto.readers.api.pagination import BadCursor
from backto.readers.api.problems import PROBLEM_JSON, field_errors, problem
from backto.readers.api.schemas import Problem

DESCRIPTION = """\
The records of a pediatric pain program, for integrators: a hospital's record system, a
research team's scripts, BackTo's own family app. Every call acts as one person, with that
person's roles and circle (docs/permissions.md): outside it a record answers 404, as one that
does not exist; a role that does not allow the call answers 403. Every read and write is in the
clinic's audit log. Errors are RFC 9457 problem details. Lists page by cursor.
"""

# The problems any call can answer, declared on every operation of the schema (a client and the
# fuzzing in tests/api know every answer to expect); the questionnaire's answer adds a 409.
PROBLEMS = {
    401: "No token, or one that is unknown, expired or revoked.",
    403: "The caller's role does not allow this, or a read-only token tried to write.",
    404: "No such record, or one outside the caller's circle (the same answer).",
    422: "Input that is not allowed; `errors` names each field.",
}


class BackToAPI(NinjaAPI):
    def get_openapi_schema(self, **kwargs: Any) -> Any:
        schema = super().get_openapi_schema(**kwargs)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components["Problem"] = Problem.model_json_schema()
        for name, body in DECLARED.items():
            components[name] = body.model_json_schema(ref_template="#/components/schemas/{model}")
        problem_content = {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}}
        for operations in schema["paths"].values():
            for operation in operations.values():
                responses = operation["responses"]
                for status, meaning in PROBLEMS.items():
                    responses.setdefault(status, {"description": meaning})
                for status, response in responses.items():
                    if int(status) >= 400:
                        response["content"] = problem_content
        return schema


api = BackToAPI(
    title="BackTo API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    auth=api_auth(),
    openapi_url="/openapi.json",
    docs_url="/docs",
)
for module in (patients, care, diary, questionnaires, messages):
    api.add_router("/", module.router)


def _pointer(location: Any) -> str:
    """A ninja error location (("body", "entry", "answers", "mood") or ("query", "limit")) as
    the problem's pointer: the body's fields as a JSON pointer, a query parameter as ?name."""
    parts = [str(p) for p in location]
    if parts and parts[0] == "query":
        return "?" + ".".join(parts[1:])
    if parts and parts[0] == "path":
        return "/" + ".".join(parts[1:])
    # The body's schema is named in the location after "body": leave it out of the pointer.
    return "#/" + "/".join(parts[2:] if len(parts) > 2 else parts[1:])


@api.exception_handler(RequestInvalid)
def request_invalid(request: HttpRequest, error: RequestInvalid) -> HttpResponse:
    errors = [
        {"pointer": _pointer(e.get("loc", ())), "detail": str(e.get("msg", ""))}
        for e in error.errors
    ]
    names = ", ".join(e["pointer"] for e in errors)
    return problem(422, f"Some input is not allowed: {names}.", kind="invalid-input", errors=errors)


@api.exception_handler(DjangoValidationError)
def action_refused(request: HttpRequest, error: DjangoValidationError) -> HttpResponse:
    errors = field_errors(error.message_dict if hasattr(error, "error_dict") else error.messages)
    detail = " ".join(e["detail"] for e in errors)
    return problem(422, detail, kind="invalid-input", errors=errors)


@api.exception_handler(BodyInvalid)
def body_invalid(request: HttpRequest, error: BodyInvalid) -> HttpResponse:
    names = ", ".join(e["pointer"] for e in error.errors)
    detail = f"Some input is not allowed: {names}."
    return problem(422, detail, kind="invalid-input", errors=error.errors)


@api.exception_handler(BadCursor)
def bad_cursor(request: HttpRequest, error: BadCursor) -> HttpResponse:
    errors = [{"pointer": "?cursor", "detail": str(error)}]
    return problem(422, str(error), kind="invalid-input", errors=errors)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, error: Http404) -> HttpResponse:
    return problem(404, "No such record.")


@api.exception_handler(PermissionDenied)
def forbidden(request: HttpRequest, error: PermissionDenied) -> HttpResponse:
    return problem(403, str(error) or "Your role does not allow this.")


@api.exception_handler(ReadOnlyToken)
def read_only(request: HttpRequest, error: ReadOnlyToken) -> HttpResponse:
    detail = "This token is read-only: make a read-and-write token to change records."
    return problem(403, detail, kind="read-only-token")


@api.exception_handler(Conflict)
def conflict(request: HttpRequest, error: Conflict) -> HttpResponse:
    return problem(409, str(error), kind="questionnaire-closed")


@api.exception_handler(AuthenticationError)
def unauthenticated(request: HttpRequest, error: AuthenticationError) -> HttpResponse:
    detail = "Send a token as 'Authorization: Bearer bt_…', or sign in to BackTo's pages."
    return problem(401, detail, headers={"WWW-Authenticate": 'Bearer realm="backto"'})


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, error: HttpError) -> HttpResponse:
    return problem(error.status_code, str(error))

"""Errors as RFC 9457 problem details (`application/problem+json`), naming the field.

Every refusal the JSON API gives has the same shape: `type` (a page of docs/api.md that
explains it), `title`, `status`, `detail`, and for bad input `errors`, one per field with the
field's name as a JSON pointer into the request (`#/answers/mood`, `#/day`, `?cursor`)."""

from typing import Any

from django.http import HttpRequest, JsonResponse

PROBLEM_JSON = "application/problem+json"

TITLES = {
    400: "Bad request",
    401: "Sign-in needed",
    403: "Not allowed",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    422: "Invalid input",
}


def problem(
    request: HttpRequest,
    status: int,
    detail: str,
    *,
    kind: str = "",
    errors: list[dict[str, str]] | None = None,
    headers: dict[str, str] | None = None,
) -> JsonResponse:
    """One problem response. `kind` names the section of the API's docs page that explains it
    (`invalid-input`, `not-found`…), and becomes the problem's `type`."""
    kind = kind or TITLES.get(status, "problem").lower().replace(" ", "-")
    body: dict[str, Any] = {
        "type": request.build_absolute_uri(f"/api/v1/docs#problem-{kind}"),
        "title": TITLES.get(status, "Problem"),
        "status": status,
        "detail": detail,
    }
    if errors:
        body["errors"] = errors
    response = JsonResponse(body, status=status, content_type=PROBLEM_JSON)
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def field_errors(messages: Any, *, prefix: str = "#") -> list[dict[str, str]]:
    """Django's ValidationError contents as a problem's `errors`: a dict of field → messages
    names each field; a plain list names the request body as a whole."""
    if isinstance(messages, dict):
        return [
            {"pointer": f"{prefix}/{field}" if field != "__all__" else prefix, "detail": str(m)}
            for field, items in messages.items()
            for m in items
        ]
    return [{"pointer": prefix, "detail": str(m)} for m in messages]

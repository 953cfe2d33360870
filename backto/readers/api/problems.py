"""Errors as RFC 9457 problem details (`application/problem+json`), naming the field.

Every refusal the JSON API gives has the same shape: `type`, `title`, `status`, `detail`, and
for bad input `errors`, one per field with the field's name as a JSON pointer into the request
(`#/answers/mood`, `#/day`, `?cursor`). `type` is `about:blank` when the HTTP status says it all
(401, 403, 404), else a `urn:backto:problem:<kind>` that docs/api.md lists."""

from typing import Any

from django.http import JsonResponse

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
    status: int,
    detail: str,
    *,
    kind: str = "",
    errors: list[dict[str, str]] | None = None,
    headers: dict[str, str] | None = None,
) -> JsonResponse:
    """One problem response; `kind` (`invalid-input`, `read-only-token`…) names a problem type
    of docs/api.md beyond the status's own meaning."""
    body: dict[str, Any] = {
        "type": f"urn:backto:problem:{kind}" if kind else "about:blank",
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

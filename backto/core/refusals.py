"""Refusals that happen before or around a view, audited like the ones a loader makes
(`patients.access.deny`): a `permission_denied` event with the status in its detail.

- An anonymous request for a page that needs sign-in is sent to the sign-in page: "302 sign-in
  required", with the address's ids in the detail (not as the event's child: nobody proved who
  asked, so it is not a read of that child's record).
- A method the page does not take (a GET to a form's POST address, a PUT): "405 <method>".
- A form refused by the CSRF check: errors.csrf_failure. A 404 a view raises after its loader:
  errors.not_found.
"""

from collections.abc import Callable
from typing import Any

from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect

from backto.audit.log import audit
from backto.audit.models import Action


def refused_page(request: HttpRequest) -> str:
    match = request.resolver_match
    return (match.url_name or "") if match else ""


def address_ids(request: HttpRequest) -> str:
    """The address's own words ("patient_id=12 kind=family"): ids and fixed words, no names."""
    match = request.resolver_match
    return " ".join(f"{k}={v}" for k, v in match.kwargs.items()) if match else ""


def audit_refusal(request: HttpRequest, detail: str, *, patient_id: int | None = None) -> None:
    """One refusal, once: the loaders and the 403 handler set the same flag."""
    if getattr(request, "backto_refusal_audited", False):
        return
    audit(
        by=getattr(request, "user", None),
        action=Action.PERMISSION_DENIED,
        object_type="page",
        object_id=refused_page(request),
        patient_id=patient_id,
        detail=detail,
    )
    request.backto_refusal_audited = True  # type: ignore[attr-defined]


class AuditedLoginRequiredMiddleware(LoginRequiredMiddleware):
    """Django's login-required default (every view needs sign-in unless marked otherwise), with
    each refusal of an anonymous request in the audit log."""

    def handle_no_permission(self, request: HttpRequest, view_func: Any) -> HttpResponseRedirect:
        audit_refusal(request, f"302 sign-in required {address_ids(request)}".strip())
        return super().handle_no_permission(request, view_func)


class RefusedMethodAuditMiddleware:
    """A 405 (a method the page does not take) is a refusal like any other. Placed after
    AuditContextMiddleware, so that the event has the client's address."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code == 405:
            audit_refusal(
                request,
                f"405 {request.method} {address_ids(request)}".strip(),
                patient_id=getattr(request, "backto_patient_id", None),
            )
        return response

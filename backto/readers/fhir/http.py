"""The FHIR endpoint's HTTP conventions: bearer tokens only, `application/fhir+json`, and every
error an OperationOutcome (outcomes.py)."""

from __future__ import annotations

import functools
import json
import logging
from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.views.decorators.csrf import csrf_exempt

from backto.access.apitokens.http import authenticate, may_write
from backto.core.refusals import audit_refusal
from backto.readers.fhir.outcomes import FhirError

logger = logging.getLogger("django.request")

FHIR_JSON = "application/fhir+json; charset=utf-8"

View = Callable[..., HttpResponseBase]


def fhir_response(resource: dict[str, Any], status: int = 200) -> HttpResponse:
    response = HttpResponse(
        json.dumps(resource, ensure_ascii=False, separators=(",", ":")),
        status=status,
        content_type=FHIR_JSON,
    )
    response["Cache-Control"] = "no-store, private"
    return response


def error_response(error: FhirError) -> HttpResponse:
    response = fhir_response(error.outcome(), error.status)
    for name, value in error.headers.items():
        response[name] = value
    if error.status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="BackTo FHIR"'
    return response


def fhir_endpoint(
    *, methods: tuple[str, ...] = ("GET",), public: bool = False
) -> Callable[[View], View]:
    """A view of the FHIR endpoint: outside sign-in and CSRF (a bearer token, never a cookie,
    says who asks), answering every refusal as an OperationOutcome. `public`: no token needed
    (the CapabilityStatement)."""
    allowed = (*methods, "HEAD") if "GET" in methods else methods

    def wrap(view: View) -> View:
        @functools.wraps(view)
        def endpoint(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            try:
                if request.method not in allowed:
                    error = FhirError(405, f"This address takes {', '.join(allowed)} only.")
                    response = error_response(error)
                    response["Allow"] = ", ".join(allowed)
                    return response
                if not public:
                    if authenticate(request) is None:
                        raise FhirError(
                            401,
                            "A valid bearer token is required: 'Authorization: Bearer bt_…' "
                            "(made under My account, API tokens).",
                            expression="Authorization",
                        )
                    if not may_write(request):
                        audit_refusal(request, "403 read-only token")
                        raise FhirError(
                            403,
                            "This token is read-only; a read-write token is needed to change "
                            "anything.",
                            expression="Authorization",
                        )
                return view(request, *args, **kwargs)
            except FhirError as error:
                return error_response(error)
            except Http404:
                return error_response(FhirError(404, "No such resource."))
            except PermissionDenied:
                audit_refusal(request, "403")
                return error_response(FhirError(403, "Your role does not allow this."))
            except Exception:  # a client of an API reads an OperationOutcome, never a page
                logger.exception("FHIR request failed: %s %s", request.method, request.path)
                return error_response(
                    FhirError(500, "The server failed to answer; it is logged.", code="exception")
                )

        return login_not_required(csrf_exempt(endpoint))

    return wrap

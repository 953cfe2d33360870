"""Friendly error pages that say what happened without revealing whether a record exists."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from backto.audit.log import audit
from backto.audit.models import Action
from backto.core.forms import BadParameter
from backto.core.refusals import address_ids, audit_refusal


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """Every refusal is audited once: loaders audit their own (with what was asked for); a
    PermissionDenied raised by a view or an action after them is audited here, with the page
    and the child whose record the request had opened."""
    if not getattr(request, "backto_refusal_audited", False):
        audit(
            by=request.user,
            action=Action.PERMISSION_DENIED,
            object_type="page",
            object_id=request.resolver_match.url_name if request.resolver_match else "",
            patient_id=getattr(request, "backto_patient_id", None),
            detail=f"403 {exception}"[:200] if exception else "403",
        )
    return render(request, "errors/403.html", status=403)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """A request the page could not take: our own checks say which field and what is allowed;
    anything else Django refused is described in general words."""
    problem = str(exception) if isinstance(exception, BadParameter) else ""
    return render(request, "errors/400.html", {"problem": problem}, status=400)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """A 404 that a loader did not audit itself (it does, with what was asked for): an id under
    a record the person opened that is not part of it (another child's goal step, a care team
    member of another episode), or an address that does not exist, asked for by someone signed
    in. Anonymous requests for unknown addresses (scanners) are left out of the log."""
    if getattr(request, "user", None) is not None and request.user.is_authenticated:
        audit_refusal(
            request,
            f"404 {address_ids(request) if request.resolver_match else request.path}".strip(),
            patient_id=getattr(request, "backto_patient_id", None),
        )
    return render(request, "errors/404.html", status=404)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: a form refused because its security token is missing or out of date
    (open too long, signed out and in again in another tab) or because it came from another
    site. Audited, and answered with a page that says what to do, not Django's technical one."""
    audit_refusal(request, f"403 csrf {reason} {address_ids(request)}".strip())
    return render(request, "errors/csrf.html", status=403)

"""Friendly error pages that say what happened without revealing whether a record exists."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from backto.audit.log import audit
from backto.audit.models import Action
from backto.core.params import BadParameter


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
    return render(request, "errors/404.html", status=404)

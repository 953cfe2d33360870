"""The clinic admin's first-run steps that are actions: a test email and its confirmation
link, and confirming backups."""

from django.contrib import messages
from django.core import signing
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST, require_safe

from backto.access.accounts import actions
from backto.access.accounts.http import AuthenticatedHttpRequest
from backto.access.accounts.roles import Permission
from backto.access.accounts.tasks import TEST_EMAIL_DAYS, TEST_EMAIL_SALT
from backto.access.patients.access import require_permission


@require_POST
def clinic_test_email(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_permission(request, Permission.CLINIC_SETTINGS)
    if not request.user.email:
        messages.error(request, "Your account has no email address to send the test to.")
        return redirect("home")
    actions.clinic_test_email_request(by=request.user)
    messages.success(
        request,
        f"A test email is on its way to {request.user.email}. Open its link to finish this "
        "step. Nothing after a few minutes? Check the BACKTO_EMAIL_* settings "
        "(docs/deployment.md).",
    )
    return redirect("home")


@require_safe
def clinic_email_confirm(request: AuthenticatedHttpRequest, token: str) -> HttpResponse:
    require_permission(request, Permission.CLINIC_SETTINGS)
    try:
        data = signing.loads(token, salt=TEST_EMAIL_SALT, max_age=TEST_EMAIL_DAYS * 86400)
    except signing.BadSignature:
        raise Http404("This test email link is not valid or has expired.") from None
    if data != {"user": request.user.pk, "clinic": request.user.clinic_id}:
        raise Http404("This test email link was sent to someone else.")
    actions.clinic_email_confirm(by=request.user)
    messages.success(request, "Email delivery works: the test email reached you.")
    return redirect("home")


@require_POST
def clinic_backups_confirm(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_permission(request, Permission.CLINIC_SETTINGS)
    actions.clinic_backups_confirm(by=request.user)
    messages.success(request, "Thank you: backups are marked as set up.")
    return redirect("home")

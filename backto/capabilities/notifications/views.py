"""The Reminders page's forms for channels and quiet hours (the page itself is the diary's, at
/reminders/, which shows these beside each child's diary reminder time), and the two addresses
push.js posts a device's subscription to."""

import json

from django.contrib import messages
from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from backto.access.accounts.http import AuthenticatedHttpRequest
from backto.access.patients.access import require_permission
from backto.capabilities.notifications import actions
from backto.capabilities.notifications.forms import (
    ChannelsForm,
    PushEndpointForm,
    PushSubscriptionForm,
    QuietHoursForm,
    subscription_data,
)
from backto.core.forms import error_summary

REMINDERS = "reminders"


def _family(request: AuthenticatedHttpRequest) -> None:
    """Reminders are a family's own: 403 (audited) for anyone else."""
    require_permission(request, actions.FAMILY)


def _refused(request: AuthenticatedHttpRequest, form: ChannelsForm | QuietHoursForm) -> None:
    for error in error_summary(form):
        messages.error(request, f"{error['label']}: {error['message']}".lstrip(": "))


@require_POST
def channels(request: AuthenticatedHttpRequest) -> HttpResponseRedirect:
    _family(request)
    form = ChannelsForm(request.POST)
    if not form.is_valid():
        _refused(request, form)
        return redirect(REMINDERS)
    data = form.cleaned_data
    actions.channels_set(
        by=request.user,
        email_enabled=data["email_enabled"],
        sms_enabled=data["sms_enabled"],
        phone=data["phone"],
    )
    said = {
        (True, True): _("Saved: reminders by email and texts."),
        (True, False): _("Saved: reminders by email."),
        (False, True): _("Saved: reminders by texts."),
        (False, False): _("Saved: no emails or texts."),
    }
    messages.success(request, said[(data["email_enabled"], data["sms_enabled"])])
    return redirect(REMINDERS)


@require_POST
def quiet_hours(request: AuthenticatedHttpRequest) -> HttpResponseRedirect:
    _family(request)
    form = QuietHoursForm(request.POST)
    if not form.is_valid():
        _refused(request, form)
        return redirect(REMINDERS)
    start, end = form.cleaned_data["quiet_from"], form.cleaned_data["quiet_until"]
    actions.quiet_hours_set(by=request.user, quiet_from=start, quiet_until=end)
    messages.success(
        request,
        _("Saved: no quiet hours.")
        if start == end
        else _("Saved: nothing from %(start)s until %(end)s.")
        % {"start": f"{start:%H:%M}", "end": f"{end:%H:%M}"},
    )
    return redirect(REMINDERS)


def _json(request: AuthenticatedHttpRequest) -> object:
    try:
        return json.loads(request.body or b"null")
    except ValueError:
        return None


def _bad(form: PushSubscriptionForm | PushEndpointForm) -> JsonResponse:
    return JsonResponse(
        {"errors": {name: [str(e) for e in errors] for name, errors in form.errors.items()}},
        status=400,
    )


@require_POST
def push_subscribe(request: AuthenticatedHttpRequest) -> HttpResponse:
    _family(request)
    form = PushSubscriptionForm(subscription_data(_json(request)))
    if not form.is_valid():
        return _bad(form)
    actions.push_subscribe(
        by=request.user,
        now=timezone.now(),
        user_agent=request.headers.get("User-Agent", ""),
        **form.cleaned_data,
    )
    return JsonResponse({"subscribed": True}, status=201)


@require_POST
def push_unsubscribe(request: AuthenticatedHttpRequest) -> HttpResponse:
    _family(request)
    payload = _json(request)
    form = PushEndpointForm(payload if isinstance(payload, dict) else {})
    if not form.is_valid():
        return _bad(form)
    actions.push_unsubscribe(by=request.user, endpoint=form.cleaned_data["endpoint"])
    return JsonResponse({"subscribed": False})

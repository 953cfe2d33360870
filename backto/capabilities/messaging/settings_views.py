"""A team member's choice of how they hear of families' messages: an email for each, one a day,
or none (they look in BackTo). Their own setting, for their own account only."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from backto.access.accounts.http import AuthenticatedHttpRequest
from backto.access.patients.access import audit_page_view, require_permission
from backto.capabilities.messaging import notify
from backto.capabilities.messaging.models import StaffDelivery
from backto.capabilities.messaging.settings_forms import MessagePreferenceForm

SAVED = {
    StaffDelivery.EACH: "Saved: an email for each family message.",
    StaffDelivery.DIGEST: "Saved: one email a day, in the morning, when messages wait.",
    StaffDelivery.NONE: "Saved: no message emails. Waiting messages show on your home page.",
}


@require_http_methods(["GET", "POST"])
def message_preferences(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_permission(request, notify.PREFERENCE)
    current = notify.delivery_of(request.user)
    form = MessagePreferenceForm(request.POST or None, initial={"delivery": current})
    if request.method == "POST" and form.is_valid():
        delivery = StaffDelivery(form.cleaned_data["delivery"])
        notify.message_preference_set(by=request.user, delivery=delivery)
        messages.success(request, SAVED[delivery])
        return redirect("message_preferences")
    if request.method == "GET":
        audit_page_view(request)
    return render(request, "messaging/preferences.html", {"form": form, "current": current})

"""A safety alert: what was answered, for which day, how to reach the family, and its
acknowledgement with a note."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from backto.access.accounts.http import AuthenticatedHttpRequest
from backto.access.accounts.roles import Permission
from backto.access.patients.access import get_record_for
from backto.capabilities.alerts import actions
from backto.capabilities.alerts.details import alert_details
from backto.capabilities.alerts.forms import AcknowledgeForm
from backto.capabilities.alerts.models import SafetyAlert
from backto.core.forms import apply_errors


@require_http_methods(["GET", "POST"])
def safety_alert(request: AuthenticatedHttpRequest, alert_id: int) -> HttpResponse:
    # An alert raised from a teen's private answer does not exist for whoever may not know it.
    alert = get_record_for(
        request,
        SafetyAlert.objects.visible_to(request.user).select_related(
            "raised_by", "acknowledged_by", "episode", "patient__clinic"
        ),
        alert_id,
        Permission.ALERT_ACKNOWLEDGE,
        patient_path="patient",
    )
    form = AcknowledgeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.safety_alert_acknowledge(
                by=request.user, alert=alert, note=form.cleaned_data["note"]
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Alert acknowledged. Thank you.")
            return redirect("clinician_home")
    return render(
        request,
        "alerts/safety_alert.html",
        {
            "alert": alert,
            "patient": alert.patient,
            "details": alert_details(alert),
            "form": form,
        },
    )

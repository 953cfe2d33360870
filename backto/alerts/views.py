"""A safety alert: what was answered, for which day, how to reach the family, and its
acknowledgement with a note."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from backto.accounts.roles import Permission
from backto.alerts import actions
from backto.alerts.details import alert_details
from backto.alerts.forms import AcknowledgeForm
from backto.alerts.models import SafetyAlert
from backto.core.forms import apply_errors
from backto.core.http import AuthenticatedHttpRequest
from backto.patients.access import get_record_for


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

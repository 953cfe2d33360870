"""The family's daily diary reminder: the time of day, on or off."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from backto.access.accounts.http import AuthenticatedHttpRequest
from backto.access.accounts.roles import Permission
from backto.access.patients.access import get_patient_for
from backto.capabilities.diary import actions
from backto.capabilities.diary.reminder_forms import ReminderSetForm


@require_POST
def diary_reminder(request: AuthenticatedHttpRequest, patient_id: int) -> HttpResponse:
    patient = get_patient_for(request, patient_id, Permission.DIARY_WRITE)
    form = ReminderSetForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose a time of day, like 19:30.")
    else:
        enabled = form.cleaned_data["enabled"]
        actions.reminder_set(
            by=request.user,
            patient=patient,
            time_of_day=form.cleaned_data["time_of_day"],
            enabled=enabled,
        )
        messages.success(
            request,
            f"We will email you at {form.cleaned_data['time_of_day']:%H:%M} each day."
            if enabled
            else "Reminders are off.",
        )
    return redirect("diary_today", patient_id=patient.pk)

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from backto.access.accounts.http import AuthenticatedHttpRequest
from backto.access.accounts.roles import Permission
from backto.access.patients.access import get_patient_for
from backto.capabilities.questionnairereminders import actions
from backto.capabilities.questionnairereminders.forms import QuestionnaireEmailsForm


@require_POST
def questionnaire_emails(request: AuthenticatedHttpRequest, patient_id: int) -> HttpResponse:
    """Turn one's questionnaire reminders about this child on or off (the family home)."""
    patient = get_patient_for(request, patient_id, Permission.MEASURE_ANSWER)
    enabled = QuestionnaireEmailsForm(request.POST).checked()["emails"]
    actions.questionnaire_emails_set(by=request.user, patient=patient, enabled=enabled)
    if request.user.is_teen:
        done = (
            _("We will remind you when there are questions for you.")
            if enabled
            else _("No more reminders about questions. They will still be on your home page.")
        )
    else:
        name = {"name": patient.first_name}
        done = (
            _(
                "We will remind you about %(name)s's questionnaires when one opens and a week "
                "before it closes."
            )
            % name
            if enabled
            else _(
                "Reminders about %(name)s's questionnaires are off. They are still listed on "
                "this page."
            )
            % name
        )
    messages.success(request, done)
    return redirect(f"{reverse('family_home')}#child-{patient.pk}")

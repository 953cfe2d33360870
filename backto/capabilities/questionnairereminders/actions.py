"""Writes of the questionnaire reminders: a family member turning the emails on or off."""

from django.core.exceptions import PermissionDenied
from django.db import transaction

from backto.access.accounts.models import User
from backto.access.accounts.roles import Permission
from backto.access.patients.models import Patient
from backto.audit.log import audit
from backto.audit.models import Action
from backto.capabilities.questionnairereminders.models import QuestionnaireEmails


@transaction.atomic
def questionnaire_emails_set(*, by: User, patient: Patient, enabled: bool) -> QuestionnaireEmails:
    """A guardian's or teen's questionnaire reminder emails about one child, on or off."""
    if Permission.MEASURE_ANSWER not in by.permissions:
        raise PermissionDenied("Questionnaire reminders are for the family.")
    choice, _ = QuestionnaireEmails.objects.select_for_update().get_or_create(
        user=by, patient=patient, defaults={"enabled": enabled}
    )
    if choice.enabled != enabled:
        choice.enabled = enabled
        choice.save(update_fields=["enabled"])
    audit(
        by=by,
        action=Action.UPDATE,
        obj=choice,
        patient_id=patient.pk,
        detail=f"questionnaire emails {'on' if enabled else 'off'}",
    )
    return choice

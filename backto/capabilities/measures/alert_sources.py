"""The questionnaires' side of a safety alert: the administration whose answers raised it, for
the alert's page (registered with alerts.sources in MeasuresConfig.ready)."""

from django.utils import timezone

from backto.capabilities.alerts.models import AlertSource, SafetyAlert
from backto.capabilities.alerts.sources import AlertedForm, register_alert_source
from backto.capabilities.measures.models import Administration


def alerted_administration(alert: SafetyAlert) -> AlertedForm | None:
    administration = Administration.objects.filter(
        pk=alert.source_id, episode__patient_id=alert.patient_id
    ).first()
    if administration is None:
        return None
    answered = administration.completed_at or alert.raised_at
    return AlertedForm(
        instrument_id=administration.instrument_id,
        instrument_version=administration.instrument_version,
        answers=administration.answers,
        day=timezone.localdate(answered),
        wording_revision=administration.wording_revision,
    )


def register() -> None:
    register_alert_source(AlertSource.QUESTIONNAIRE, alerted_administration)

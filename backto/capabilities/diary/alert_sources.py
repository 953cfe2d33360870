"""The diary's side of a safety alert: the entry whose answers raised it, for the alert's page
(registered with alerts.sources in DiaryConfig.ready)."""

from backto.capabilities.alerts.models import AlertSource, SafetyAlert
from backto.capabilities.alerts.sources import AlertedForm, register_alert_source
from backto.capabilities.diary.models import DiaryEntry


def alerted_entry(alert: SafetyAlert) -> AlertedForm | None:
    entry = DiaryEntry.objects.filter(pk=alert.source_id, patient_id=alert.patient_id).first()
    if entry is None:
        return None
    return AlertedForm(
        instrument_id=entry.instrument_id,
        instrument_version=entry.instrument_version,
        answers=entry.answers,
        day=entry.day,
        day_is_diary_day=True,
    )


def register() -> None:
    register_alert_source(AlertSource.DIARY, alerted_entry)

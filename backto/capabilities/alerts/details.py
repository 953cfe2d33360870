"""What the care team needs on a safety alert's page: the answers that raised it, in words, the
day they were for (or a message's own words, when it was written and its conversation), and how
to reach the family. A few queries, for one alert. The form itself is read by the capability
that stored it (alerts.sources)."""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.utils import timezone

from backto.access.patients.models import Guardianship
from backto.capabilities.alerts.models import SafetyAlert
from backto.capabilities.alerts.sources import alerted_form
from backto.capabilities.instruments.queries import instrument_with_text
from backto.clinical.instrument_registry import UnknownInstrumentError
from backto.clinical.instruments import Instrument


@dataclass(frozen=True)
class AlertAnswer:
    question: str
    answer: str
    still_given: bool  # False when the answer has been changed since the alert was raised


@dataclass(frozen=True)
class FamilyContact:
    name: str
    relationship: str
    email: str
    active: bool
    phone: str  # the mobile number the person gave for text reminders, if any


@dataclass
class AlertDetails:
    day: date | None = None  # the day the answers were for (the diary's day, or when answered)
    day_is_diary_day: bool = False
    answers: list[AlertAnswer] = field(default_factory=list)
    contacts: list[FamilyContact] = field(default_factory=list)
    words: str | None = None  # a message's words, for an alert raised by a message
    written_at: datetime | None = None
    withdrawn: bool = False
    link: str = ""  # where the form is read (a message's conversation)


def _answer_words(instrument: Instrument, link_id: str, value: object) -> tuple[str, bool]:
    """An answer in the words the family chose it by, and whether it is a safety answer."""
    item = instrument.item(link_id)
    for option in item.answerOption:
        if option.value == value:
            return option.label, option.safety_alert
    return ("no answer" if value in (None, "", []) else str(value)), False


def _answers(
    instrument: Instrument, stored: dict[str, object], labels: list[str]
) -> list[AlertAnswer]:
    """The alert's items (stored by their labels) with the answers the record holds now."""
    found = []
    for item in instrument.items:
        if item.label in labels:
            words, safety = _answer_words(instrument, item.linkId, stored.get(item.linkId))
            found.append(AlertAnswer(item.text or item.label, words, safety))
    return found


def _reminder_phone(person: object) -> str:
    """The mobile number a family member gave for text reminders (notifications), or ""."""
    settings = getattr(person, "notification_settings", None)
    return settings.phone if settings is not None else ""


def alert_details(alert: SafetyAlert) -> AlertDetails:
    details = AlertDetails(
        contacts=[
            FamilyContact(
                name=g.guardian.name,
                relationship=g.get_relationship_display(),
                email=g.guardian.email,
                active=g.guardian.is_active,
                phone=_reminder_phone(g.guardian),
            )
            for g in Guardianship.objects.filter(patient_id=alert.patient_id)
            .select_related("guardian__notification_settings")
            .order_by("created_at", "id")
        ]
    )
    form = alerted_form(alert)
    if form is None:
        details.day = timezone.localdate(alert.raised_at)
        return details
    details.day, details.day_is_diary_day = form.day, form.day_is_diary_day
    details.words, details.written_at = form.words, form.written_at
    details.withdrawn, details.link = form.withdrawn, form.link
    if form.instrument_id:
        try:
            instrument = instrument_with_text(
                alert.patient.clinic,
                form.instrument_id,
                form.instrument_version or None,
                form.wording_revision,
            )
        except UnknownInstrumentError:
            return details
        details.answers = _answers(instrument, form.answers, list(alert.items))
    return details

"""Writing diary entries: idempotent, validated by the clinical core, one transaction each."""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from backto.access.accounts.models import User
from backto.access.accounts.roles import Permission
from backto.access.patients.models import Patient
from backto.access.patients.respondents import Respondent, allowed_respondent
from backto.audit.log import audit, audit_event
from backto.audit.models import Action
from backto.capabilities.alerts.actions import safety_alert_privacy_follow, safety_alert_raise
from backto.capabilities.alerts.models import AlertSource
from backto.capabilities.alerts.queries import newly_given
from backto.capabilities.diary.models import (
    INSTRUMENT_FOR,
    PRIVATE_ABLE,
    DiaryEntry,
    DiarySettings,
)
from backto.capabilities.diary.queries import pain_enabled
from backto.clinical.instrument_registry import instrument_registry
from backto.clinical.scoring import score


@dataclass(frozen=True)
class DiarySubmission:
    entry: DiaryEntry
    created: bool  # False when an earlier entry was edited
    replayed: bool  # True when this exact submission had already been stored


def clean_answers(
    *, patient: Patient, respondent: str, answers: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, str], str]:
    """Drop unanswered items, check the rest against the instrument: (answers, the items
    answered with a safety answer as link id -> label, version)."""
    instrument = instrument_registry().get(INSTRUMENT_FOR[Respondent(respondent)])
    answers = instrument.asked(answers)
    if "pain" in answers and not pain_enabled(patient):
        raise ValidationError({"pain": "The care team has turned the pain question off."})
    result = score(instrument, answers)
    if result.errors:
        raise ValidationError(list(result.errors))
    missing = [
        item.label or item.linkId
        for item in instrument.items
        if item.required and item.linkId not in answers
    ]
    if missing:
        raise ValidationError("Please answer: " + ", ".join(missing) + ".")
    alerts = {link_id: instrument.item(link_id).label for link_id in result.alerts}
    return answers, alerts, instrument.version


def diary_entry_submit(
    *,
    by: User,
    patient: Patient,
    day: date,
    respondent: str,
    answers: dict[str, Any],
    private_fields: Sequence[str] = (),
    idempotency_key: uuid.UUID,
) -> DiarySubmission:
    """Store today's (or yesterday's) entry. The same idempotency key twice stores it once; a
    second entry for the same child, day and author edits the first.

    The common case, a new entry, is one transaction of two inserts (the entry and its audit
    event). Only when the database refuses the insert (this form was stored already, or this
    person already wrote this day) does a second transaction look the entry up.
    """
    try:
        values = _checked_values(
            by=by,
            patient=patient,
            day=day,
            respondent=respondent,
            answers=answers,
            private_fields=private_fields,
        )
    except ValidationError:
        # A retry that arrives after the entry can no longer be changed: stored already?
        stored = DiaryEntry.objects.filter(
            Q(idempotency_key=idempotency_key)
            | Q(patient=patient, day=day, respondent=respondent, author=by)
        )
        replay = next((e for e in stored if e.took_in(idempotency_key)), None)
        if replay is not None and replay.author_id == by.pk:
            return DiarySubmission(entry=replay, created=False, replayed=True)
        raise
    alert_items = values.pop("alert_items")
    entry = DiaryEntry(
        patient=patient,
        day=day,
        respondent=respondent,
        author=by,
        idempotency_key=idempotency_key,
        **values,
    )
    event = audit_event(
        by=by, action=Action.CREATE, object_type="diaryentry", patient_id=patient.pk
    )
    try:
        with transaction.atomic():
            entry.save(force_insert=True)
            event.object_id = str(entry.pk)
            event.save(force_insert=True)
            _raise_alert(by, entry, list(alert_items.values()))
        return DiarySubmission(entry=entry, created=True, replayed=False)
    except IntegrityError:
        pass
    with transaction.atomic():
        found = list(
            DiaryEntry.objects.select_for_update().filter(
                Q(idempotency_key=idempotency_key)
                | Q(patient=patient, day=day, respondent=respondent, author=by)
            )
        )
        replay = next((e for e in found if e.took_in(idempotency_key)), None)
        if replay is not None:
            if replay.author_id != by.pk or replay.patient_id != patient.pk:
                raise PermissionDenied("That form belongs to someone else.")
            return DiarySubmission(entry=replay, created=False, replayed=True)
        existing = found[0]
        anew = newly_given(alert_items, before=existing.answers, after=values["answers"])
        was_private = existing.safety_answer_private
        for name, value in values.items():
            setattr(existing, name, value)
        existing.earlier_keys = [*existing.earlier_keys, str(existing.idempotency_key)]
        existing.idempotency_key = idempotency_key
        existing.save()
        audit(by=by, action=Action.UPDATE, obj=existing, patient_id=patient.pk)
        if existing.safety_answer_private != was_private:
            safety_alert_privacy_follow(
                source=AlertSource.DIARY,
                source_id=existing.pk,
                private=existing.safety_answer_private,
            )
        _raise_alert(by, existing, [alert_items[link] for link in anew])
        return DiarySubmission(entry=existing, created=False, replayed=False)


def _raise_alert(by: User, entry: DiaryEntry, items: Sequence[str]) -> None:
    if items:
        safety_alert_raise(
            by=by,
            patient=entry.patient,
            episode=entry.patient.episodes.first(),  # the latest: its care team is told
            source=AlertSource.DIARY,
            source_id=entry.pk,
            respondent=entry.respondent,
            items=items,
            private=entry.safety_answer_private,
        )


def _checked_values(
    *,
    by: User,
    patient: Patient,
    day: date,
    respondent: str,
    answers: dict[str, Any],
    private_fields: Sequence[str],
) -> dict[str, Any]:
    """Everything about a submission that can be checked without the database."""
    if not allowed_respondent(by, patient, respondent):
        raise PermissionDenied("This diary is written by someone else.")
    today = timezone.localdate()
    if day > today:
        raise ValidationError({"day": "The diary is for today or yesterday, not a day to come."})
    if DiaryEntry.editable_until(day) < today:
        raise ValidationError({"day": "Diary days close at the end of the next day."})
    private = sorted(set(private_fields))
    if private and not (
        Permission.DIARY_KEEP_PRIVATE in by.permissions and respondent == Respondent.CHILD
    ):
        raise ValidationError("Only a teen's own answers can be kept private.")
    if set(private) - set(PRIVATE_ABLE):
        raise ValidationError(f"Only these can be private: {', '.join(PRIVATE_ABLE)}.")
    cleaned, alerts, version = clean_answers(
        patient=patient, respondent=respondent, answers=answers
    )
    return {
        "answers": cleaned,
        "private_fields": private,
        "instrument_id": INSTRUMENT_FOR[Respondent(respondent)],
        "instrument_version": version,
        "safety_alert": bool(alerts),
        "alert_items": alerts,
    }


@transaction.atomic
def diary_pain_set(
    *, by: User, patient: Patient, enabled: bool | None = None, family_sees: bool | None = None
) -> DiarySettings:
    """The care team's pain settings for a child: whether the diary asks about pain, and
    whether the guardians see pain on the progress page. None leaves a setting as it is."""
    changes = {}
    if enabled is not None:
        changes["pain_enabled"] = enabled
    if family_sees is not None:
        changes["family_sees_pain"] = family_sees
    settings, _ = DiarySettings.objects.update_or_create(patient=patient, defaults=changes)
    audit(
        by=by,
        action=Action.UPDATE,
        obj=settings,
        patient_id=patient.pk,
        detail=", ".join(f"{name} {'on' if value else 'off'}" for name, value in changes.items()),
    )
    return settings

"""Every write to therapy sessions: record, edit until signed, sign, add an addendum."""

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from backto.accounts.models import User
from backto.audit.log import audit
from backto.audit.models import Action
from backto.careplan.models import SIGNING_ROLE, SessionAddendum, SessionDiscipline, TherapySession
from backto.patients.models import Episode

NOTE_FIELDS = ("subjective", "objective", "assessment", "plan", "measures")
SESSION_FIELDS = ("date", "discipline", "minutes", "attended", *NOTE_FIELDS)


def _check(fields: dict[str, Any]) -> None:
    unknown = set(fields) - set(SESSION_FIELDS)
    if unknown:
        raise TypeError(f"unknown session fields: {sorted(unknown)}")
    day: date | None = fields.get("date")
    if day is not None and day > timezone.localdate():
        raise ValidationError({"date": "A session is recorded on or after the day it happened."})


@transaction.atomic
def session_record(*, by: User, episode: Episode, **fields: Any) -> TherapySession:
    _check(fields)
    if not episode.is_open:
        raise ValidationError("The episode has ended; record sessions on an open episode.")
    session = TherapySession(episode=episode, clinician=by, **fields)
    session.full_clean()
    session.save()
    audit(
        by=by,
        action=Action.CREATE,
        obj=session,
        patient_id=episode.patient_id,
        detail=session.discipline,
    )
    return session


@transaction.atomic
def session_update(*, by: User, session: TherapySession, **fields: Any) -> TherapySession:
    _check(fields)
    stored = TherapySession.objects.select_for_update().get(pk=session.pk)
    if stored.is_signed:
        raise ValidationError("This note is signed: add an addendum instead of changing it.")
    for name, value in fields.items():
        setattr(session, name, value)
    session.full_clean()
    session.save()
    audit(by=by, action=Action.UPDATE, obj=session, patient_id=session.episode.patient_id)
    return session


@transaction.atomic
def session_sign(*, by: User, session: TherapySession) -> TherapySession:
    """Sign a note. Only a clinician of the session's discipline signs it (a physical therapist
    cannot sign a counseling note), and a note is signed once."""
    session = (
        TherapySession.objects.select_for_update().select_related("episode").get(pk=session.pk)
    )
    if SIGNING_ROLE[SessionDiscipline(session.discipline)] not in by.role_keys:
        raise PermissionDenied(
            f"Only a clinician of {session.get_discipline_display().lower()} signs this note."
        )
    if session.is_signed:
        raise ValidationError("This note is already signed.")
    session.signed_at = timezone.now()
    session.signed_by = by
    session.save(update_fields=["signed_at", "signed_by"])
    audit(
        by=by,
        action=Action.UPDATE,
        obj=session,
        patient_id=session.episode.patient_id,
        detail="signed",
    )
    return session


@transaction.atomic
def session_addendum(*, by: User, session: TherapySession, text: str) -> SessionAddendum:
    text = text.strip()
    if not text:
        raise ValidationError({"text": "Write the correction or addition."})
    if not session.is_signed:
        raise ValidationError("The note is not signed yet: edit it instead.")
    addendum = SessionAddendum.objects.create(session=session, text=text, by=by)
    audit(by=by, action=Action.CREATE, obj=addendum, patient_id=session.episode.patient_id)
    return addendum

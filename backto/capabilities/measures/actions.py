"""Scheduling, answering, scoring and rescoring administrations; every change audited.

Answers are stored raw with the instrument version they were given on; the score is the clinical
core's, stored with the engine version and the rule, so `backto rescore` can recompute it.
"""

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from backto.access.accounts.models import Clinic, User
from backto.access.patients.models import Episode
from backto.access.patients.respondents import Respondent
from backto.audit.log import audit, audit_event
from backto.audit.models import Action, AuditEvent
from backto.capabilities.alerts.actions import safety_alert_raise
from backto.capabilities.alerts.models import AlertSource
from backto.capabilities.alerts.queries import newly_given
from backto.capabilities.instruments.queries import current_pack
from backto.capabilities.measures.models import (
    MISSED_AFTER_DAYS,
    Administration,
    AdminState,
    ClinicMeasure,
    states_leading_to,
)
from backto.capabilities.measures.queries import (
    AT_VISIT,
    FamilyWording,
    answering_instrument,
    clinic_template,
    last_asked_on,
    may_answer,
    refuse_closed,
)
from backto.capabilities.measures.results import result_columns, result_record
from backto.capabilities.measures.schedule import Planned, TemplateRow
from backto.capabilities.measures.summary import (
    measure_summaries_rebuild_all,
    measure_summaries_refresh,
)
from backto.clinical.instrument_registry import instrument_registry
from backto.clinical.instruments import Instrument
from backto.clinical.scoring import months_covered, score


@transaction.atomic
def administrations_schedule(*, by: User, episode: Episode, planned: list[Planned]) -> int:
    """Create the planned administrations the episode does not have yet; returns how many."""
    have = set(
        Administration.objects.filter(episode=episode).values_list(
            "instrument_id", "respondent", "timepoint", "label"
        )
    )
    new = [
        Administration(
            episode=episode,
            instrument_id=p.instrument_id,
            respondent=p.respondent,
            timepoint=p.timepoint,
            label=p.label,
            due_on=p.due_on,
        )
        for p in planned
        if (p.instrument_id, p.respondent, p.timepoint, p.label) not in have
    ]
    Administration.objects.bulk_create(new)
    if new:
        audit(
            by=by,
            action=Action.CREATE,
            object_type="administration",
            patient_id=episode.patient_id,
            detail=f"scheduled {len(new)}",
        )
    return len(new)


@transaction.atomic
def administrations_cancel_open(
    *, by: User, episode: Episode, note: str, after: date | None = None
) -> int:
    """Cancel the episode's open administrations (optionally only those due after a day),
    with the reason a family reading one is shown."""
    query = Administration.objects.filter(
        episode=episode, state__in=states_leading_to(AdminState.CANCELLED)
    )
    if after is not None:
        query = query.filter(due_on__gt=after)
    return _move_all(query, AdminState.CANCELLED, by=by, note=note)


@transaction.atomic
def mark_due(today: date, *, time_zone: str | None = None) -> int:
    """The periodic sweep: scheduled administrations whose day has come become due, then those
    still unfinished MISSED_AFTER_DAYS after their day are missed; each child's record gets an
    audit event for what moved. Returns how many became due. With `time_zone`, only the clinics
    in that zone, for which `today` is today."""
    scope = Administration.objects.all()
    if time_zone is not None:
        scope = scope.filter(episode__patient__clinic__time_zone=time_zone)
    due = _move_all(
        scope.filter(state__in=states_leading_to(AdminState.DUE), due_on__lte=today),
        AdminState.DUE,
    )
    _move_all(
        scope.filter(
            state__in=states_leading_to(AdminState.MISSED),
            due_on__lt=today - timedelta(days=MISSED_AFTER_DAYS),
        ),
        AdminState.MISSED,
        note=f"not finished within {MISSED_AFTER_DAYS} days",
    )
    return due


def _move_all(
    query: Any, target: str, *, note: str = "", by: User | None = None, username: str = "sweep"
) -> int:
    """Move every administration of `query` to `target` (the caller has checked the table),
    with one audit event per child naming how many moved."""
    per_patient = Counter(query.values_list("episode__patient_id", flat=True))
    if not per_patient:
        return 0
    count = query.update(state=target, **({"note": note} if note else {}))
    AuditEvent.objects.bulk_create(
        audit_event(
            by=by,
            action=Action.UPDATE,
            object_type="administration",
            patient_id=patient_id,
            detail=f"{n} {target}" + (f": {note}" if note else ""),
            username=username,
        )
        for patient_id, n in sorted(per_patient.items())
    )
    return count


@transaction.atomic
def clinic_template_set(*, by: User, clinic: Clinic, rows: Sequence[TemplateRow]) -> int:
    """Replace the clinic's measure template. Open administrations of a questionnaire taken
    out of the template are cancelled, with the reason; returns how many were cancelled."""
    if not rows:
        raise ValidationError({"measures": "Choose at least one questionnaire."})
    Clinic.objects.select_for_update().filter(pk=clinic.pk).first()  # one template change at a time
    registry = instrument_registry()
    for row in rows:
        instrument = registry.find(row.instrument_id)
        if instrument is None or not instrument.enabled:
            raise ValidationError(
                {"measures": f"{row.instrument_id!r} is not an instrument the clinic can use."}
            )
        if row.respondent not in Respondent.values:
            raise ValidationError(
                {
                    "measures": f"{row.instrument_id}: who answers must be one of "
                    f"{', '.join(Respondent.values)}."
                }
            )
        if not 0 <= row.every_weeks <= 12:
            raise ValidationError(
                {"measures": f"{row.instrument_id}: how often must be from 0 to 12 weeks."}
            )
        if row.every_weeks and instrument.covers_time_since_last_asked:
            raise ValidationError(
                {
                    "measures": f"{row.instrument_id}: asked at baseline, at discharge and at "
                    "each follow-up only, about the time since it was last answered; it cannot "
                    "be repeated during the program."
                }
            )
    kept = {(r.instrument_id, r.respondent) for r in rows}
    removed = {(r.instrument_id, r.respondent) for r in clinic_template(clinic)} - kept
    ClinicMeasure.objects.filter(clinic=clinic).delete()
    ClinicMeasure.objects.bulk_create(
        ClinicMeasure(
            clinic=clinic,
            instrument_id=r.instrument_id,
            respondent=r.respondent,
            every_weeks=r.every_weeks,
        )
        for r in rows
    )
    cancelled = 0
    for instrument_id, respondent in sorted(removed):
        cancelled += _move_all(
            Administration.objects.filter(
                episode__patient__clinic=clinic,
                instrument_id=instrument_id,
                respondent=respondent,
                state__in=states_leading_to(AdminState.CANCELLED),
            ),
            AdminState.CANCELLED,
            note="taken out of the clinic's questionnaires",
            by=by,
        )
    audit(
        by=by,
        action=Action.UPDATE,
        obj=clinic,
        detail=f"measure template: {len(rows)} questionnaires, {cancelled} pending cancelled",
    )
    return cancelled


@dataclass(frozen=True)
class Saved:
    administration: Administration
    safety: bool  # a safety answer was given: show the family the clinic's help message


def administration_answer(
    *,
    by: User,
    administration: Administration,
    answers: Mapping[str, Any],
    finish: bool,
    language: str = "en",
    reader_language: str = "",
) -> Saved:
    """Save answers (merged into those saved before: a child answers one question per screen)
    and, with `finish`, score and complete. `language` is the language the questions were shown
    in, `reader_language` the language of the person answering: both pinned at the first
    answer, with the wording. A care-team member answering a family's form is
    entering it from paper: it is marked `on_behalf`. One transaction; a resubmission of a
    completed administration is refused with a clear message and changes nothing."""
    with transaction.atomic():
        administration = (
            Administration.objects.select_for_update(of=("self",))
            .select_related("episode__patient")
            .get(pk=administration.pk)
        )
        if not may_answer(by, administration):
            raise PermissionDenied("This questionnaire is answered by someone else.")
        refuse_closed(administration)
        patient = administration.episode.patient
        if not by.is_staff_member and FamilyWording(patient.clinic).at_visit(administration):
            raise ValidationError(_(AT_VISIT), code="at_visit")
        instrument = answering_instrument(administration)
        if administration.wording_revision is None:  # the first answer with wording pins it
            pack = current_pack(patient.clinic, instrument, language)
            administration.wording_revision = pack.revision if pack else None
        if not administration.language:
            administration.language = language
            administration.reader_language = reader_language or language
        before = administration.answers
        filled = [
            item.linkId for item in instrument.items if item.system and item.linkId in answers
        ]
        if filled:
            raise ValidationError(
                {link_id: f"{link_id} is filled in by BackTo, not answered." for link_id in filled}
            )
        merged = instrument.asked({**before, **answers})
        now = timezone.now()
        if finish:
            merged |= _system_answers(instrument, administration, timezone.localdate(now))
        result = score(instrument, merged)
        if result.errors:
            raise ValidationError(list(result.errors))
        missing = instrument.urgent_unanswered(merged) if finish else []
        if missing:
            raise ValidationError(
                {
                    item.linkId: f"Answer question {item.linkId} before finishing: after the "
                    "answers above, its answer decides how urgently the care team acts."
                    for item in missing
                }
            )
        administration.answers = merged
        administration.instrument_version = instrument.version
        # Once any answer came from the care team (from paper), the form stays marked.
        administration.on_behalf = administration.on_behalf or (
            by.is_staff_member and administration.respondent != Respondent.CLINICIAN
        )
        if finish:
            administration.state = AdminState.COMPLETED
            for name, value in result_columns(result_record(result)).items():
                setattr(administration, name, value)
            administration.engine_version = result.engine_version
            administration.completed_at = now
            administration.completed_by = by
        else:
            administration.state = AdminState.IN_PROGRESS
        administration.save()
        if finish:
            measure_summaries_refresh([administration.episode_id])
        audit(
            by=by,
            action=Action.UPDATE,
            obj=administration,
            patient_id=patient.pk,
            detail=("completed" if finish else "saved")
            + (" on behalf" if administration.on_behalf else ""),
        )
        # A safety answer alerts the care team as soon as it is saved, finished or not.
        safety = bool(result.alerts)
        safety_alert_raise(
            by=by,
            patient=patient,
            episode=administration.episode,
            source=AlertSource.QUESTIONNAIRE,
            source_id=administration.pk,
            respondent=administration.respondent,
            items=[
                instrument.item(link).label
                for link in newly_given(result.alerts, before=before, after=merged)
            ],
            urgent=bool(newly_given(result.urgent, before=before, after=merged)),
        )
    return Saved(administration=administration, safety=safety)


def _system_answers(
    instrument: Instrument, administration: Administration, today: date
) -> dict[str, Any]:
    """What BackTo fills as a form is completed (never asked): a count's months covered, the
    time since the episode's previous completed form of the instrument (scoring.months_covered).
    Stored with the answers, so the score is recomputed from them."""
    rate = None if instrument.scoring is None else instrument.scoring.rate
    if rate is None:
        return {}
    months = months_covered(
        rate, instrument.item(rate.months_item), last_asked_on(administration), today
    )
    return {rate.months_item: float(months)}


@transaction.atomic
def administration_rescore_apply(
    *, by: User | None, administration: Administration, result: dict[str, Any], engine: str
) -> None:
    # Saved, not updated in SQL: whatever derives from a form (the program outcomes' rows)
    # hears of the new result.
    columns = {"engine_version": engine, **result_columns(result)}
    for name, value in columns.items():
        setattr(administration, name, value)
    administration.save(update_fields=list(columns))
    measure_summaries_refresh([administration.episode_id])
    audit(
        by=by,
        action=Action.UPDATE,
        obj=administration,
        patient_id=administration.episode.patient_id,
        detail=f"rescored with engine {engine}",
        username="backto rescore",
    )


@transaction.atomic
def measure_summaries_rebuild(*, by: User | None, progress: Any = None) -> int:
    """Recompute every episode's measure summary from its administrations (after a bulk load,
    or to repair); `progress` is called with the number done after each chunk."""
    count = measure_summaries_rebuild_all(progress=progress)
    audit(
        by=by,
        action=Action.UPDATE,
        object_type="episodemeasuresummary",
        detail=f"rebuilt {count}",
        username="backto summaries_rebuild",
    )
    return count

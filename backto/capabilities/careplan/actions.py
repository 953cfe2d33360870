"""Every write to therapy sessions: record (from an appointment, or outside the schedule), edit
until signed, sign, add an addendum; and to the care plan and discharge."""

from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from backto.access.accounts.models import User
from backto.access.patients.models import Episode
from backto.audit.log import audit
from backto.audit.models import Action
from backto.capabilities.appointments.actions import appointment_status_set
from backto.capabilities.appointments.models import Appointment, AppointmentStatus
from backto.capabilities.careplan.attendance import kind_of
from backto.capabilities.careplan.dose import session_doses_rebuild_all, session_doses_refresh
from backto.capabilities.careplan.models import (
    FOLLOW_UP_MONTHS,
    PLAN_TRANSITIONS,
    CarePlan,
    Discharge,
    DischargeReason,
    FollowUp,
    PlanDose,
    PlanState,
    SessionAddendum,
    Setting,
    TherapySession,
)
from backto.capabilities.careplan.queries import signs
from backto.clinical.screening import add_months
from backto.core.updates import apply_update

NOTE_FIELDS = ("subjective", "objective", "assessment", "plan", "measures")
SESSION_FIELDS = ("date", "discipline", "minutes", "attended", *NOTE_FIELDS)


def _check(fields: dict[str, Any]) -> None:
    unknown = set(fields) - set(SESSION_FIELDS)
    if unknown:
        raise TypeError(f"unknown session fields: {sorted(unknown)}")
    day: date | None = fields.get("date")
    if day is not None and day > timezone.localdate():
        raise ValidationError({"date": "A session is recorded on or after the day it happened."})


def _appointment_for(episode: Episode, appointment: Appointment, fields: dict[str, Any]) -> Any:
    """Lock the appointment a session is recorded from and check it is one to record from (the
    child's, started, not cancelled, no session yet); fill the session's date, discipline and
    minutes from it where not given, and check those given agree. Returns its clinician."""
    appointment = Appointment.objects.select_for_update().get(pk=appointment.pk)
    if appointment.patient_id != episode.patient_id or appointment.episode_id not in (
        None,
        episode.pk,
    ):
        raise ValidationError(
            {"appointment": "Choose one of this child's appointments in this program."}
        )
    if appointment.status == AppointmentStatus.CANCELLED:
        raise ValidationError({"appointment": "This appointment was cancelled."})
    if appointment.starts_at > timezone.now():
        raise ValidationError({"appointment": "This appointment has not started yet."})
    if TherapySession.objects.filter(appointment=appointment).exists():
        raise ValidationError(
            {"appointment": "A session is already recorded for this appointment."}
        )
    zone = ZoneInfo(episode.patient.clinic.time_zone)
    day = timezone.localtime(appointment.starts_at, zone).date()
    fields.setdefault("date", day)
    fields.setdefault("minutes", appointment.minutes)
    fields.setdefault("discipline", appointment.kind)
    if fields["date"] != day:
        raise ValidationError(
            {"date": f"The appointment was on {day:%-d %B %Y}: record its session on that day."}
        )
    if kind_of(fields["discipline"]) != appointment.kind:
        raise ValidationError(
            {
                "discipline": f"The appointment is {appointment.get_kind_display().lower()}: "
                "record a session of that discipline from it."
            }
        )
    return appointment


def _mark_appointment(*, by: User, appointment: Appointment, attended: bool) -> None:
    """The appointment took place (or the child did not come), as its session says: inside the
    session's transaction, through the appointments' own action (a savepoint of it)."""
    status = AppointmentStatus.ATTENDED if attended else AppointmentStatus.MISSED
    if appointment.status != status:  # already marked from the week's page
        appointment_status_set(by=by, appointment=appointment, status=status)


@transaction.atomic
def session_record(
    *, by: User, episode: Episode, appointment: Appointment | None = None, **fields: Any
) -> TherapySession:
    """Record a session, from the appointment it took place in (which fills its date,
    discipline, clinician and minutes, and is marked as taken place or not come) or without one
    (a session outside the schedule)."""
    _check(fields)
    if not episode.is_open:
        raise ValidationError("The episode has ended; record sessions on an open episode.")
    clinician = by
    if appointment is not None:
        appointment = _appointment_for(episode, appointment, fields)
        clinician = appointment.clinician or by
    session = TherapySession(
        episode=episode, clinician=clinician, appointment=appointment, **fields
    )
    session.full_clean()
    session.save()
    if appointment is not None:
        _mark_appointment(by=by, appointment=appointment, attended=session.attended)
    session_doses_refresh([episode.pk])
    audit(
        by=by,
        action=Action.CREATE,
        obj=session,
        patient_id=episode.patient_id,
        detail=session.discipline + (f" appointment {appointment.pk}" if appointment else ""),
    )
    return session


@transaction.atomic
def session_update(*, by: User, session: TherapySession, **fields: Any) -> TherapySession:
    """Change an unsigned note; a session from an appointment keeps that appointment's day and
    discipline, and changing whether the child came changes the appointment's status too."""
    _check(fields)
    stored = TherapySession.objects.select_for_update().get(pk=session.pk)
    if stored.is_signed:
        raise ValidationError("This note is signed: add an addendum instead of changing it.")
    if stored.appointment_id is not None:
        for name in ("date", "discipline"):
            if name in fields and fields[name] != getattr(stored, name):
                raise ValidationError(
                    {name: f"The session follows its appointment: its {name} stays as booked."}
                )
    session = apply_update(
        by=by,
        obj=session,
        fields=fields,
        allowed=SESSION_FIELDS,
        patient_id=session.episode.patient_id,
    )
    if stored.appointment_id is not None and stored.attended != session.attended:
        appointment = Appointment.objects.get(pk=stored.appointment_id)
        _mark_appointment(by=by, appointment=appointment, attended=session.attended)
    session_doses_refresh([session.episode_id])
    return session


@transaction.atomic
def session_sign(*, by: User, session: TherapySession) -> TherapySession:
    """Sign a note. Only a clinician of the session's discipline signs it (a physical therapist
    cannot sign a counseling note), and a note is signed once."""
    session = (
        TherapySession.objects.select_for_update()
        .select_related("episode__patient")
        .get(pk=session.pk)
    )
    if not signs(by, session):
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


PLAN_FIELDS = ("setting", "program_weeks", "notes")


@transaction.atomic
def care_plan_draft(*, by: User, episode: Episode) -> CarePlan:
    """Start a new version: the open draft if there is one, else a copy of the latest plan."""
    if not episode.is_open:
        raise ValidationError("The episode has ended; its plan can no longer change.")
    existing = CarePlan.objects.filter(episode=episode, state=PlanState.DRAFT).first()
    if existing:
        return existing
    latest = CarePlan.objects.filter(episode=episode).order_by("-version").first()
    plan = CarePlan.objects.create(
        episode=episode,
        version=(latest.version + 1) if latest else 1,
        created_by=by,
        setting=latest.setting if latest else Setting.OUTPATIENT,
        program_weeks=latest.program_weeks if latest else 8,
        notes=latest.notes if latest else "",
    )
    if latest:
        PlanDose.objects.bulk_create(
            PlanDose(
                plan=plan,
                discipline=d.discipline,
                sessions_per_week=d.sessions_per_week,
                minutes_per_session=d.minutes_per_session,
                lead_id=d.lead_id,
            )
            for d in latest.doses.all()
        )
    audit(
        by=by,
        action=Action.CREATE,
        obj=plan,
        patient_id=episode.patient_id,
        detail=f"version {plan.version}",
    )
    return plan


@transaction.atomic
def care_plan_update(
    *, by: User, plan: CarePlan, doses: dict[str, tuple[int, int, User | None]], **fields: Any
) -> CarePlan:
    """Change a draft: setting, length, notes, and each discipline's dose (none: not in plan)."""
    plan = CarePlan.objects.select_for_update().get(pk=plan.pk)
    if plan.state != PlanState.DRAFT:
        raise ValidationError("Only a draft changes; start a new version to revise the plan.")
    if set(fields) - set(PLAN_FIELDS):
        raise TypeError(f"unknown plan fields: {sorted(set(fields) - set(PLAN_FIELDS))}")
    for name, value in fields.items():
        setattr(plan, name, value)
    plan.changed_by, plan.changed_at = by, timezone.now()
    plan.full_clean()
    plan.save()
    PlanDose.objects.filter(plan=plan).exclude(discipline__in=doses).delete()
    for discipline, (per_week, minutes, lead) in doses.items():
        dose, _ = PlanDose.objects.update_or_create(
            plan=plan,
            discipline=discipline,
            defaults={"sessions_per_week": per_week, "minutes_per_session": minutes, "lead": lead},
        )
        dose.full_clean()
    audit(
        by=by,
        action=Action.UPDATE,
        obj=plan,
        patient_id=plan.episode.patient_id,
        detail=f"version {plan.version}: " + ", ".join(sorted(doses)),
    )
    return plan


def _move(plan: CarePlan, target: str, by: User) -> None:
    if target not in PLAN_TRANSITIONS[PlanState(plan.state)]:
        raise ValidationError(f"A {plan.get_state_display().lower()} plan cannot become {target}.")
    plan.state = target
    plan.changed_by, plan.changed_at = by, timezone.now()
    plan.save(update_fields=["state", "changed_by", "changed_at"])


@transaction.atomic
def care_plan_activate(*, by: User, plan: CarePlan) -> CarePlan:
    """Make a draft the plan in force; the version it replaces is kept as revised."""
    plan = CarePlan.objects.select_for_update().get(pk=plan.pk)
    if not plan.doses.exists():
        raise ValidationError("Give at least one discipline a dose before activating the plan.")
    for previous in CarePlan.objects.select_for_update().filter(
        episode_id=plan.episode_id, state=PlanState.ACTIVE
    ):
        _move(previous, PlanState.REVISED, by)
    _move(plan, PlanState.ACTIVE, by)
    audit(
        by=by,
        action=Action.UPDATE,
        obj=plan,
        patient_id=plan.episode.patient_id,
        detail=f"version {plan.version} active",
    )
    return plan


@transaction.atomic
def episode_discharge(
    *, by: User, episode: Episode, discharged_on: date, reason: str, summary: str, at: Any = None
) -> Discharge:
    """Discharge: record the reason and a summary, complete the plan, move the episode, and
    schedule follow-up at 1, 3, 6 and 12 months."""
    from backto.access.patients.actions import episode_transition

    if discharged_on > timezone.localdate():
        raise ValidationError({"discharged_on": "The discharge date cannot be in the future."})
    if not summary.strip():
        raise ValidationError({"summary": "Write a short summary for the family and the record."})
    if reason not in DischargeReason.values:
        raise ValidationError({"reason": f"Choose one of: {', '.join(DischargeReason.labels)}."})
    # The discharge and its follow-up points exist before the episode moves, so whatever listens
    # to the transition (the measures schedule) finds them; a refused move rolls all back.
    discharge = Discharge.objects.create(
        episode=episode, discharged_on=discharged_on, reason=reason, summary=summary, by=by
    )
    FollowUp.objects.bulk_create(
        FollowUp(episode=episode, months=m, due_on=add_months(discharged_on, m))
        for m in FOLLOW_UP_MONTHS
    )
    episode_transition(
        by=by, episode=episode, target="discharged", note=DischargeReason(reason).label, at=at
    )
    for plan in CarePlan.objects.filter(episode=episode, state=PlanState.ACTIVE):
        _move(plan, PlanState.COMPLETED, by)
    audit(by=by, action=Action.CREATE, obj=discharge, patient_id=episode.patient_id, detail=reason)
    return discharge


@transaction.atomic
def session_doses_rebuild(*, by: User | None, progress: Any = None) -> int:
    """Recompute every episode's stored session dose from its sessions (after a bulk load, or
    to repair); `progress` is called with the number done after each chunk."""
    count = session_doses_rebuild_all(progress=progress)
    audit(
        by=by,
        action=Action.UPDATE,
        object_type="episodedose",
        detail=f"rebuilt {count}",
        username="backto summaries_rebuild",
    )
    return count

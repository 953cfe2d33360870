"""The program's care: goals with their Goal Attainment Scaling levels (Goal) and their ratings
(Observation `gas-<id>`), the care plan's versions (CarePlan), therapy sessions (Encounter) and
appointments (Appointment)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Q, QuerySet
from django.utils import timezone
from fhir.resources.R4B.appointment import Appointment as FhirAppointment
from fhir.resources.R4B.careplan import CarePlan as FhirCarePlan
from fhir.resources.R4B.encounter import Encounter
from fhir.resources.R4B.goal import Goal as FhirGoal
from fhir.resources.R4B.observation import Observation

from backto.access.accounts.roles import Permission
from backto.capabilities.appointments.models import Appointment, AppointmentStatus
from backto.capabilities.careplan.models import CarePlan, PlanState, TherapySession
from backto.capabilities.goals.models import Goal, GoalRating, GoalStatus, RaterKind
from backto.clinical.gas import level_label
from backto.readers.fhir import codes
from backto.readers.fhir.checked import checked
from backto.readers.fhir.params import Token
from backto.readers.fhir.sources import Found, Source, Viewer, reference

GAS_LEVEL_EXTENSION = "urn:backto:extension:gas-level"
GAS_BASELINE_EXTENSION = "urn:backto:extension:gas-baseline-level"
GAS_WEIGHT_EXTENSION = "urn:backto:extension:gas-weight"
ACT_CODES = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
GOAL_STATUS: dict[str, str] = {
    GoalStatus.ACTIVE: "active",
    GoalStatus.ACHIEVED: "completed",
    GoalStatus.STOPPED: "cancelled",
}
ACHIEVEMENT = "http://terminology.hl7.org/CodeSystem/goal-achievement"


def _discipline(code: str, label: str) -> dict[str, Any]:
    session_code = codes.SESSION_CODES.get(code)
    concept: dict[str, Any] = {"text": label}
    if session_code:
        concept["coding"] = [codes.coding(session_code, label)]
    return concept


def goal_resource(goal: Goal, zone: ZoneInfo) -> dict[str, Any]:
    """The goal in the family's words, its five GAS levels (each an extension with the level and
    its words), the level it started from, its weight, and the care team's latest rating."""
    resource: dict[str, Any] = {
        "resourceType": "Goal",
        "id": str(goal.pk),
        "extension": [
            {
                "url": GAS_LEVEL_EXTENSION,
                "extension": [
                    {"url": "level", "valueInteger": level},
                    {"url": "description", "valueString": text},
                ],
            }
            for level, text in goal.levels
        ]
        + [
            {"url": GAS_BASELINE_EXTENSION, "valueInteger": goal.baseline_level},
            {"url": GAS_WEIGHT_EXTENSION, "valueInteger": goal.weight},
        ],
        "lifecycleStatus": GOAL_STATUS.get(goal.status, "active"),
        "category": [_discipline(goal.discipline, goal.get_discipline_display())],
        "description": {"text": goal.title},
        "subject": reference("Patient", goal.episode.patient_id),
        "startDate": timezone.localtime(goal.created_at, zone).date().isoformat(),
        "target": [
            {
                "measure": {"coding": [codes.coding(codes.GAS_LEVEL, "Goal attainment level")]},
                "detailInteger": 0,
                **({"dueDate": goal.target_date.isoformat()} if goal.target_date else {}),
            }
        ],
    }
    latest = goal.latest_rating
    if latest is not None:
        achieved = latest.level >= 0
        resource["achievementStatus"] = {
            "coding": [
                {
                    "system": ACHIEVEMENT,
                    "code": "achieved" if achieved else "in-progress",
                    "display": "Achieved" if achieved else "In Progress",
                }
            ],
            "text": f"{latest.level:+d} ({level_label(latest.level)})".replace("+0", "0"),
        }
        resource["statusDate"] = latest.rated_on.isoformat()
        resource["outcomeReference"] = [reference("Observation", f"gas-{latest.pk}")]
    checked(FhirGoal, resource)
    return resource


class GoalSource(Source):
    resource_type = "Goal"
    model = Goal
    patient_path = "episode__patient"
    read = (Permission.PATIENT_VIEW,)

    def rows(self, viewer: Viewer) -> QuerySet[Any]:
        return Goal.objects.select_related("episode__patient").prefetch_related("ratings")

    def build(self, rows: Sequence[Any], viewer: Viewer) -> list[Found]:
        return [
            Found(self.key(g), g.episode.patient_id, goal_resource(g, viewer.zone)) for g in rows
        ]


class GoalRatingSource(Source):
    """A goal's rating on its GAS levels (Observation `gas-<id>`), by the care team or the
    family; the goal pages show them to whoever opens the record."""

    resource_type = "Observation"
    rank = 3
    prefix = "gas"
    model = GoalRating
    patient_path = "goal__episode__patient"
    read = (Permission.PATIENT_VIEW,)
    day_field = "rated_on"

    def rows(self, viewer: Viewer) -> QuerySet[Any]:
        return GoalRating.objects.select_related("goal__episode__patient", "rater")

    def code_filter(self, tokens: list[Token]) -> Q | None:
        wanted = any(t.system in (None, codes.SYSTEM) and t.code == codes.GAS_LEVEL for t in tokens)
        return Q() if wanted else None

    def build(self, rows: Sequence[Any], viewer: Viewer) -> list[Found]:
        found = []
        for rating in rows:
            patient_id = rating.goal.episode.patient_id
            resource: dict[str, Any] = {
                "resourceType": "Observation",
                "id": f"gas-{rating.pk}",
                "status": "final",
                "code": {"coding": [codes.coding(codes.GAS_LEVEL, "Goal attainment level")]},
                "subject": reference("Patient", patient_id),
                "focus": [reference("Goal", rating.goal_id)],
                "effectiveDateTime": rating.rated_on.isoformat(),
                "valueInteger": rating.level,
                "interpretation": [{"text": str(level_label(rating.level))}],
                "method": {
                    "text": "Goal Attainment Scaling: the level reached of the goal's five "
                    f"(-2 to +2), rated by the {'care team' if rating.rater_kind == RaterKind.CLINICIAN else 'family'}"
                },
            }
            if rating.rater.is_staff_member:
                resource["performer"] = [reference("Practitioner", rating.rater_id)]
            checked(Observation, resource)
            found.append(Found(self.key(rating), patient_id, resource))
        return found


CARE_PLAN_STATUS: dict[str, str] = {
    PlanState.DRAFT: "draft",
    PlanState.ACTIVE: "active",
    PlanState.REVISED: "revoked",
    PlanState.COMPLETED: "completed",
}
ACTIVITY_STATUS: dict[str, str] = {
    PlanState.DRAFT: "not-started",
    PlanState.ACTIVE: "in-progress",
    PlanState.REVISED: "stopped",
    PlanState.COMPLETED: "completed",
}


class CarePlanSource(Source):
    """Each version of an episode's care plan, for those who read it (session_view)."""

    resource_type = "CarePlan"
    model = CarePlan
    patient_path = "episode__patient"
    read = (Permission.SESSION_VIEW,)

    def rows(self, viewer: Viewer) -> QuerySet[Any]:
        return CarePlan.objects.select_related("episode__patient").prefetch_related(
            "doses", "episode__goals"
        )

    def build(self, rows: Sequence[Any], viewer: Viewer) -> list[Found]:
        found = []
        for plan in rows:
            patient_id = plan.episode.patient_id
            resource: dict[str, Any] = {
                "resourceType": "CarePlan",
                "id": str(plan.pk),
                "status": CARE_PLAN_STATUS.get(plan.state, "unknown"),
                "intent": "plan",
                "title": f"Care plan, version {plan.version}",
                "description": f"{plan.get_setting_display()}, {plan.program_weeks} weeks",
                "subject": reference("Patient", patient_id),
                "created": plan.created_at.isoformat(),
                "author": reference("Practitioner", plan.created_by_id),
                "goal": [reference("Goal", g.pk) for g in plan.episode.goals.all()],
                "activity": [
                    {
                        "detail": {
                            "code": _discipline(dose.discipline, dose.get_discipline_display()),
                            "status": ACTIVITY_STATUS.get(plan.state, "unknown"),
                            "description": f"{dose.sessions_per_week} sessions a week, "
                            f"{dose.minutes_per_session} minutes each",
                            **(
                                {"performer": [reference("Practitioner", dose.lead_id)]}
                                if dose.lead_id
                                else {}
                            ),
                        }
                    }
                    for dose in plan.doses.all()
                ],
            }
            resource = {k: v for k, v in resource.items() if v != []}
            checked(FhirCarePlan, resource)
            found.append(Found(self.key(plan), patient_id, resource))
        return found


class EncounterSource(Source):
    """A therapy session (its notes stay on the session page), for session_view."""

    resource_type = "Encounter"
    model = TherapySession
    patient_path = "episode__patient"
    read = (Permission.SESSION_VIEW,)
    day_field = "date"

    def rows(self, viewer: Viewer) -> QuerySet[Any]:
        return TherapySession.objects.select_related("episode__patient")

    def build(self, rows: Sequence[Any], viewer: Viewer) -> list[Found]:
        found = []
        for session in rows:
            patient_id = session.episode.patient_id
            resource: dict[str, Any] = {
                "resourceType": "Encounter",
                "id": str(session.pk),
                "status": "finished" if session.attended else "cancelled",
                "class": {"system": ACT_CODES, "code": "AMB", "display": "ambulatory"},
                "type": [_discipline(session.discipline, session.get_discipline_display())],
                "subject": reference("Patient", patient_id),
                "participant": [{"individual": reference("Practitioner", session.clinician_id)}],
                "period": {"start": session.date.isoformat(), "end": session.date.isoformat()},
                "length": {
                    "value": session.minutes,
                    "unit": "min",
                    "system": codes.UCUM,
                    "code": "min",
                },
                "episodeOfCare": None,
            }
            if session.appointment_id:
                resource["appointment"] = [reference("Appointment", session.appointment_id)]
            resource.pop("episodeOfCare")
            checked(Encounter, resource)
            found.append(Found(self.key(session), patient_id, resource))
        return found


APPOINTMENT_STATUS: dict[str, str] = {
    AppointmentStatus.BOOKED: "booked",
    AppointmentStatus.ATTENDED: "fulfilled",
    AppointmentStatus.MISSED: "noshow",
    AppointmentStatus.CANCELLED: "cancelled",
}


class AppointmentSource(Source):
    resource_type = "Appointment"
    model = Appointment
    patient_path = "patient"
    read = (Permission.APPOINTMENT_VIEW,)
    day_field = "starts_at"
    day_is_moment = True

    def rows(self, viewer: Viewer) -> QuerySet[Any]:
        return Appointment.objects.select_related("patient")

    def build(self, rows: Sequence[Any], viewer: Viewer) -> list[Found]:
        found = []
        for appointment in rows:
            participants: list[dict[str, Any]] = [
                {"actor": reference("Patient", appointment.patient_id), "status": "accepted"}
            ]
            if appointment.clinician_id:
                participants.append(
                    {
                        "actor": reference("Practitioner", appointment.clinician_id),
                        "status": "accepted",
                    }
                )
            resource: dict[str, Any] = {
                "resourceType": "Appointment",
                "id": str(appointment.pk),
                "status": APPOINTMENT_STATUS.get(appointment.status, "booked"),
                "serviceType": [_discipline(appointment.kind, appointment.get_kind_display())],
                "start": appointment.starts_at.isoformat(),
                "end": (appointment.starts_at + timedelta(minutes=appointment.minutes)).isoformat(),
                "minutesDuration": appointment.minutes,
                "participant": participants,
            }
            if appointment.note_for_family:
                resource["comment"] = appointment.note_for_family
            checked(FhirAppointment, resource)
            found.append(Found(self.key(appointment), appointment.patient_id, resource))
        return found

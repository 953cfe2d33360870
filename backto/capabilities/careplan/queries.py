"""Program dose from the sessions (days in the program, hours per discipline), and the day the
program ended."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import QuerySet

from backto.access.accounts.models import User
from backto.access.accounts.roles import Permission
from backto.access.patients.access import has_permission_in_discipline
from backto.access.patients.models import Episode, therapy_choices
from backto.access.patients.program import RUNNING_STATES, program_end_day
from backto.capabilities.careplan.attendance import KindAttendance, schedule_attendance
from backto.capabilities.careplan.dose import DOSE_FIELDS, dose_aggregates
from backto.capabilities.careplan.models import (
    CarePlan,
    Discharge,
    EpisodeDose,
    PlanState,
    TherapySession,
)
from backto.capabilities.goals.models import Goal, GoalStatus
from backto.core.fixed_sql import fixed_query


@dataclass(frozen=True)
class ProgramDose:
    days: int  # days with at least one attended session
    hours: dict[str, float]  # discipline label -> hours attended
    attended: int
    missed: int
    # How the program's appointments went, by kind (attendance.py); empty without a schedule.
    schedule: tuple[KindAttendance, ...] = ()

    @property
    def without_note(self) -> int:
        """Therapy appointments that took place with no session note yet."""
        return sum(row.without_note for row in self.schedule)


@fixed_query
def _stored_dose(*, episode_id: int) -> QuerySet[Any]:
    return EpisodeDose.objects.filter(episode_id=episode_id).values(*DOSE_FIELDS)


def program_dose(episode: Episode) -> ProgramDose:
    """The episode's stored dose (EpisodeDose, written in the transaction of every session
    change, so it is the sessions as they stand), summed from the sessions when the episode has
    none stored yet; and the schedule's attendance. Two queries (three for an episode without a
    stored dose)."""
    stored = next(iter(_stored_dose(episode_id=episode.pk)), None)
    dose = stored or TherapySession.objects.filter(episode=episode).aggregate(**dose_aggregates())
    return ProgramDose(
        schedule=schedule_attendance(episode),
        days=dose["days"],
        hours={
            label: round((dose[f"{value}_minutes"] or 0) / 60, 1)
            for value, label in therapy_choices()
        },
        attended=dose["sessions_attended"],
        missed=dose["sessions_missed"],
    )


@fixed_query
def _discharged_on(*, episode_id: int) -> QuerySet[Any]:
    return Discharge.objects.filter(episode_id=episode_id).values_list("discharged_on", flat=True)


def program_end(episode: Episode) -> date | None:
    """The day this episode's program ended (patients.program.program_end_day: the discharge
    date, or the day an episode withdrawn before discharge changed state), None while it runs
    (and no query then). Home-program doses stop progressing and adherence stops counting on
    this day; the discharge summary counts the program's length to it."""
    if episode.state in RUNNING_STATES:
        return None
    discharged: date | None = next(iter(_discharged_on(episode_id=episode.pk)), None)
    return program_end_day(episode.state, episode.state_changed_at, discharged)


def care_plans(episode: Episode) -> list[CarePlan]:
    """Every version of the episode's care plan with its doses and who wrote and changed it."""
    return list(
        CarePlan.objects.filter(episode=episode)
        .prefetch_related("doses__lead")
        .select_related("created_by", "changed_by")
    )


def draft_plan(episode: Episode) -> CarePlan | None:
    """The draft being written, if any (at most one at a time)."""
    return CarePlan.objects.filter(episode=episode, state=PlanState.DRAFT).first()


def plan_leads(episode: Episode) -> QuerySet[User]:
    """The clinic's active staff, whom a draft may name as a discipline's lead."""
    return User.objects.filter(clinic_id=episode.patient.clinic_id, kind="staff", is_active=True)


def goals_by_discipline(episode: Episode) -> dict[str, list[Goal]]:
    """The goals still being worked on, by discipline, that the plan page shows beside it."""
    grouped: dict[str, list[Goal]] = {}
    for goal in Goal.objects.filter(episode=episode).exclude(status=GoalStatus.STOPPED):
        grouped.setdefault(goal.discipline, []).append(goal)
    return grouped


def signs(user: User, session: TherapySession) -> bool:
    """Whether this person signs the session's note: session_write, narrowed to a clinician of
    the note's discipline (a physical therapist signs physical therapy notes)."""
    return has_permission_in_discipline(
        user, Permission.SESSION_WRITE, session.episode.patient, session.discipline
    )

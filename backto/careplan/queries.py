"""Program dose from the sessions: days in the program and hours per discipline."""

from dataclasses import dataclass

from backto.careplan.dose import dose_aggregates
from backto.careplan.models import TherapySession
from backto.patients.models import Episode, TherapyDiscipline


@dataclass(frozen=True)
class ProgramDose:
    days: int  # days with at least one attended session
    hours: dict[str, float]  # discipline label -> hours attended
    attended: int
    missed: int


def program_dose(episode: Episode) -> ProgramDose:
    """Summed in the database as it stands: one query however many sessions."""
    dose = TherapySession.objects.filter(episode=episode).aggregate(**dose_aggregates())
    return ProgramDose(
        days=dose["days"],
        hours={
            label: round((dose[f"{value}_minutes"] or 0) / 60, 1)
            for value, label in TherapyDiscipline.choices
        },
        attended=dose["sessions_attended"],
        missed=dose["sessions_missed"],
    )

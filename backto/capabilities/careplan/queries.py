"""Program dose from the sessions (days in the program, hours per discipline), and the day the
program ended."""

from dataclasses import dataclass
from datetime import date

from backto.access.patients.models import Episode, therapy_choices
from backto.access.patients.program import RUNNING_STATES, program_end_day
from backto.capabilities.careplan.dose import dose_aggregates
from backto.capabilities.careplan.models import Discharge, TherapySession


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
            for value, label in therapy_choices()
        },
        attended=dose["sessions_attended"],
        missed=dose["sessions_missed"],
    )


def program_end(episode: Episode) -> date | None:
    """The day this episode's program ended (patients.program.program_end_day: the discharge
    date, or the day an episode withdrawn before discharge changed state), None while it runs
    (and no query then). Home-program doses stop progressing and adherence stops counting on
    this day; the discharge summary counts the program's length to it."""
    if episode.state in RUNNING_STATES:
        return None
    discharged: date | None = (
        Discharge.objects.filter(episode=episode).values_list("discharged_on", flat=True).first()
    )
    return program_end_day(episode.state, episode.state_changed_at, discharged)

"""A child's overview page: the episode's days in the program (the access layer's one definition)
and the cards the capabilities contribute (goals, wins, diary, questionnaires, safety alerts…:
see `backto.core.dashboard`). A fixed number of queries, however long the history."""

from dataclasses import dataclass
from datetime import date

from backto.access.patients.models import Episode, Patient
from backto.access.patients.program import episode_days_in_program
from backto.core.dashboard import OverviewCard, OverviewPage, OverviewSlot, dashboards


@dataclass(frozen=True)
class ProgramDays:
    program_start: date | None = None
    program_end: date | None = None
    days_in_program: int | None = None  # patients.program.days_in_program, as the caseload


def program_days(episode: Episode | None, *, today: date) -> ProgramDays:
    if episode is None:
        return ProgramDays()
    return ProgramDays(*episode_days_in_program(episode, today=today))


def overview_cards(
    patient: Patient, episode: Episode | None, *, viewer: object, today: date
) -> dict[OverviewSlot, list[OverviewCard]]:
    """Every capability's cards for this child, by slot, in order."""
    return dashboards.cards_for(
        OverviewPage(patient=patient, episode=episode, viewer=viewer, today=today)
    )

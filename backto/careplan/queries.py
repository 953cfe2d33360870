"""Program dose from the sessions: days in the program and hours per discipline."""

from dataclasses import dataclass

from django.db.models import Count, Q, Sum

from backto.careplan.models import TherapySession
from backto.patients.models import Episode, TherapyDiscipline


@dataclass(frozen=True)
class ProgramDose:
    days: int  # days with at least one attended session
    hours: dict[str, float]  # discipline label -> hours attended
    attended: int
    missed: int


def program_dose(episode: Episode) -> ProgramDose:
    """Summed in the database: one query however many sessions."""
    attended = Q(attended=True)
    disciplines = TherapyDiscipline.choices
    counts = TherapySession.objects.filter(episode=episode).aggregate(
        days=Count("date", distinct=True, filter=attended),
        attended_count=Count("id", filter=attended),
        missed_count=Count("id", filter=Q(attended=False)),
        **{
            value: Sum("minutes", filter=attended & Q(discipline=value)) for value, _ in disciplines
        },
    )
    return ProgramDose(
        days=counts["days"],
        hours={label: round((counts[value] or 0) / 60, 1) for value, label in disciplines},
        attended=counts["attended_count"],
        missed=counts["missed_count"],
    )

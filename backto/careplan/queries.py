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
    """Summed in the database: two queries however many sessions."""
    sessions = TherapySession.objects.filter(episode=episode)
    by_discipline = {
        row["discipline"]: row["minutes"]
        for row in sessions.filter(attended=True)
        .values("discipline")
        .annotate(minutes=Sum("minutes"))
    }
    counts = sessions.aggregate(
        days=Count("date", distinct=True, filter=Q(attended=True)),
        attended_count=Count("id", filter=Q(attended=True)),
        missed_count=Count("id", filter=Q(attended=False)),
    )
    hours = {
        label: round(by_discipline.get(value, 0) / 60, 1)
        for value, label in TherapyDiscipline.choices
    }
    return ProgramDose(
        days=counts["days"],
        hours=hours,
        attended=counts["attended_count"],
        missed=counts["missed_count"],
    )

"""The program at a glance on a child's page: goals with their GAS T-score, recent wins and the
last week of diaries. A fixed number of queries, however long the history."""

from dataclasses import dataclass, field

from django.utils import timezone

from backto.alerts.models import SafetyAlert
from backto.diary.queries import DiaryDay, diary_calendar
from backto.goals.models import Goal
from backto.goals.queries import GasPoint, episode_goals, gas_history
from backto.measures.models import OPEN_ADMIN_STATES, Administration
from backto.measures.queries import MeasureSeries, episode_administrations, measure_series
from backto.patients.models import Episode, Patient
from backto.wins.models import Win


@dataclass
class ProgramSummary:
    goals: list[Goal] = field(default_factory=list)
    gas: GasPoint | None = None
    wins: list[Win] = field(default_factory=list)
    week: list[DiaryDay] = field(default_factory=list)
    measures: list[Administration] = field(default_factory=list)  # open, soonest first
    series: list[MeasureSeries] = field(default_factory=list)  # completed, with change
    alerts: list[SafetyAlert] = field(default_factory=list)  # open safety alerts


def program_summary(
    patient: Patient, episode: Episode | None, *, see_results: bool, see_alerts: bool
) -> ProgramSummary:
    summary = ProgramSummary()
    if episode is not None:
        summary.goals = episode_goals(episode.pk)
        history = gas_history(summary.goals)
        summary.gas = history[-1] if history else None
        administrations = episode_administrations(episode.pk)
        summary.measures = [a for a in administrations if a.state in OPEN_ADMIN_STATES][:8]
        if see_results:
            summary.series = measure_series(administrations)
    if see_alerts:
        summary.alerts = list(SafetyAlert.objects.open().filter(patient=patient))
    summary.wins = list(Win.objects.filter(patient=patient)[:3])
    summary.week = diary_calendar(patient.pk, end=timezone.localdate(), days=7)
    return summary

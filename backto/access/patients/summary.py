"""The program at a glance on a child's page: days in the program, goals with their GAS
T-score, recent wins, the last diary day and the last week of diaries. A fixed number of
queries, however long the history."""

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils import timezone

from backto.access.patients.models import Episode, Patient
from backto.access.patients.program import episode_days_in_program
from backto.capabilities.alerts.models import SafetyAlert
from backto.capabilities.diary.queries import DiaryDay, diary_calendar, last_diary_days
from backto.capabilities.goals.models import Goal
from backto.capabilities.goals.queries import GasPoint, episode_goals, gas_history
from backto.capabilities.measures.models import OPEN_ADMIN_STATES, Administration
from backto.capabilities.measures.queries import (
    MeasureSeries,
    episode_administrations,
    measure_series,
)
from backto.capabilities.wins.models import Win


@dataclass
class ProgramSummary:
    program_start: date | None = None
    program_end: date | None = None
    days_in_program: int | None = None  # patients.program.days_in_program, as the caseload
    last_diary: date | None = None  # the child's or a parent's, as the caseload
    days_since_diary: int | None = None
    goals: list[Goal] = field(default_factory=list)
    gas: GasPoint | None = None
    wins: list[Win] = field(default_factory=list)
    week: list[DiaryDay] = field(default_factory=list)
    measures: list[Administration] = field(default_factory=list)  # open, soonest first
    series: list[MeasureSeries] = field(default_factory=list)  # completed, with change
    alerts: list[SafetyAlert] = field(default_factory=list)  # open safety alerts


def program_summary(
    patient: Patient, episode: Episode | None, *, viewer: Any, see_results: bool, see_alerts: bool
) -> ProgramSummary:
    summary = ProgramSummary()
    today = timezone.localdate()
    if episode is not None:
        summary.program_start, summary.program_end, summary.days_in_program = (
            episode_days_in_program(episode, today=today)
        )
        summary.goals = episode_goals(episode.pk)
        history = gas_history(summary.goals)
        summary.gas = history[-1] if history else None
        administrations = episode_administrations(episode.pk)
        summary.measures = [a for a in administrations if a.state in OPEN_ADMIN_STATES][:8]
        if see_results:
            summary.series = measure_series(administrations)
    if see_alerts:
        summary.alerts = list(SafetyAlert.objects.open().filter(patient=patient).visible_to(viewer))
    summary.wins = list(Win.objects.filter(patient=patient)[:3])
    summary.week = diary_calendar(patient.pk, end=today, days=7)
    summary.last_diary = last_diary_days([patient.pk]).get(patient.pk)
    if summary.last_diary is not None:
        summary.days_since_diary = (today - summary.last_diary).days
    return summary

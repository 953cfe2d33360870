"""One episode's progress, week by week, function first: the functional tests, diary activity
and school, the FDI, the GAS T-score, home-program adherence and wins; the allodynia area and the
painful regions after the function tests; pain beside them as a secondary line.

A fixed number of queries however long the episode (asserted in the tests)."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from statistics import mean
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from backto.access.patients.models import Episode
from backto.access.patients.program import program_starts
from backto.access.patients.respondents import Respondent
from backto.capabilities.careplan.queries import ProgramDose, program_dose, program_end
from backto.capabilities.diary.models import DiaryEntry
from backto.capabilities.exam.queries import (
    AreaPoint,
    FunctionalSeries,
    PainMapSeries,
    allodynia_series,
    pain_map_series,
    progress_series,
)
from backto.capabilities.goals.models import Goal, GoalStatus
from backto.capabilities.goals.queries import GasPoint, episode_goals, gas_history
from backto.capabilities.homeprogram.queries import adherence_by_week
from backto.capabilities.measures.queries import (
    MeasureSeries,
    episode_administrations,
    measure_series,
)
from backto.capabilities.wins.models import Win
from backto.core.fixed_sql import fixed_query

SCHOOL_CREDIT = {
    2: 1.0,
    1: 0.5,
    0: 0.0,
}  # the diary's school answer: full, part, none (9: none due)
MAX_WEEKS = 52


@dataclass(frozen=True)
class Week:
    start: date
    diary_days: int
    activity: float | None  # mean of the child's daily activity, 0 (hardly) to 4 (as usual)
    school: int | None  # % of school days attended (a part day counts half)
    pain: float | None  # mean of the child's daily pain, 0 to 10 (when asked)
    adherence: int | None  # % of planned home-program exercise-days done
    wins: int


@dataclass
class Progress:
    episode: Episode
    start: date
    until: date
    ended_on: date | None = None  # the discharge date (or withdrawal), once the program ended
    weeks: list[Week] = field(default_factory=list)
    fdi: list[MeasureSeries] = field(default_factory=list)  # child and parent forms
    measures: list[MeasureSeries] = field(default_factory=list)  # every measure
    gas: list[GasPoint] = field(default_factory=list)
    goals: list[Goal] = field(default_factory=list)
    wins: list[Win] = field(default_factory=list)
    dose: ProgramDose | None = None
    # The functional tests that lead the page (walk, sit-to-stand, timed up and go per pace).
    functional: list[FunctionalSeries] = field(default_factory=list)
    # The body map's part (issue #19): the allodynia area at each sensory exam and the painful
    # regions at each questionnaire point (exam.queries: the family's map and a clinician's).
    allodynia: list[AreaPoint] = field(default_factory=list)
    pain_maps: PainMapSeries = field(default_factory=PainMapSeries)

    @property
    def last_day(self) -> date:
        """The last day the program counts: `until`, or the day it ended if that came first."""
        return min(self.until, self.ended_on) if self.ended_on else self.until

    @property
    def weeks_in_program(self) -> int:
        """The week of the program `until` falls in (week 1 from the start), counted no further
        than the day the program ended."""
        return max(0, (self.last_day - self.start).days) // 7 + 1

    @property
    def length(self) -> tuple[int, int]:
        """How long the program ran (or has run), from its start to its last day: (weeks, days)."""
        weeks, days = divmod(max(0, (self.last_day - self.start).days), 7)
        return weeks, days

    @property
    def length_words(self) -> str:
        """How long the program ran, in the reader's language: "3 weeks and 2 days"."""
        weeks, days = self.length
        weeks_words = ngettext("%(count)s week", "%(count)s weeks", weeks) % {"count": weeks}
        days_words = ngettext("%(count)s day", "%(count)s days", days) % {"count": days}
        if weeks and days:
            return _("%(weeks)s and %(days)s") % {"weeks": weeks_words, "days": days_words}
        return weeks_words if weeks else days_words

    @property
    def gas_now(self) -> Decimal | None:
        return self.gas[-1].t_score if self.gas else None


def program_start(episode: Episode) -> date:
    """The day the program started, else the referral date."""
    return program_starts([episode.pk]).get(episode.pk, episode.referral_date)


def _mean(values: list[float]) -> float | None:
    return round(mean(values), 1) if values else None


@fixed_query
def _child_diary(*, patient_id: int, first_day: date, last_day: date) -> QuerySet[Any]:
    return DiaryEntry.objects.filter(
        patient_id=patient_id, respondent=Respondent.CHILD, day__gte=first_day, day__lte=last_day
    ).values_list("day", "answers")


@fixed_query
def _wins(*, episode_id: int) -> QuerySet[Win]:
    return Win.objects.filter(episode_id=episode_id).order_by("-happened_on", "-id")


def episode_progress(episode: Episode, *, until: date) -> Progress:
    start = program_start(episode)
    first_monday = start - timedelta(days=start.weekday())
    weeks = min(MAX_WEEKS, max(1, (until - first_monday).days // 7 + 1))
    first_monday = max(first_monday, until - timedelta(days=until.weekday(), weeks=weeks - 1))
    progress = Progress(episode=episode, start=start, until=until, ended_on=program_end(episode))

    by_week: dict[date, list[dict]] = defaultdict(list)
    for day, answers in _child_diary(
        patient_id=episode.patient_id, first_day=first_monday, last_day=until
    ):
        by_week[day - timedelta(days=day.weekday())].append(answers)
    adherence = {
        w.week_start: w.percent for w in adherence_by_week(episode, until=until, weeks=weeks)
    }
    wins = _wins(episode_id=episode.pk)
    wins_by_week: dict[date, int] = defaultdict(int)
    for win in wins:
        wins_by_week[win.happened_on - timedelta(days=win.happened_on.weekday())] += 1
    for n in range(weeks):
        monday = first_monday + timedelta(weeks=n)
        answers = by_week.get(monday, [])
        school = [SCHOOL_CREDIT[a["school"]] for a in answers if a.get("school") in SCHOOL_CREDIT]
        progress.weeks.append(
            Week(
                start=monday,
                diary_days=len(answers),
                activity=_mean([a["activity"] for a in answers if "activity" in a]),
                school=round(100 * mean(school)) if school else None,
                pain=_mean([a["pain"] for a in answers if "pain" in a]),
                adherence=adherence.get(monday),
                wins=wins_by_week.get(monday, 0),
            )
        )
    progress.measures = measure_series(episode_administrations(episode.pk))
    progress.fdi = [s for s in progress.measures if s.instrument_id.startswith("fdi-")]
    goals = episode_goals(episode.pk)
    progress.gas = gas_history(goals)  # leaves set-aside goals out, as the lists below do
    progress.goals = [g for g in goals if g.status != GoalStatus.STOPPED]
    progress.wins = wins
    progress.dose = program_dose(episode)
    progress.functional = progress_series(episode.pk, until=until)
    progress.allodynia = allodynia_series(episode.pk, until=until)
    progress.pain_maps = pain_map_series(episode.pk, until=until)
    return progress

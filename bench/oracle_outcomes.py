"""The program outcomes' half of the oracle (`bench.oracle`): each episode of a cohort read from the
raw rows, one episode at a time, and the summary counted from those rows."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from statistics import mean, median
from typing import Any

from django.utils import timezone

from backto.access.accounts.models import Clinic
from backto.access.patients.lifecycle import EpisodeState
from backto.access.patients.models import (
    THERAPIES,
    CareTeamMember,
    Episode,
    EpisodeTransition,
    Patient,
    therapy_choices,
)
from backto.capabilities.careplan.models import CarePlan, Discharge, PlanState, TherapySession
from backto.capabilities.exam.models import FunctionalTest
from backto.capabilities.goals.models import Goal, GoalRating, GoalStatus, RaterKind
from backto.capabilities.measures.models import Administration, AdminState, Timepoint
from backto.capabilities.medicines.models import Medicine
from backto.clinical.gas import GasError, GasGoal, gas_t_score, goal_weight
from backto.clinical.instrument_registry import instrument_registry
from backto.clinical.reliable_change import assess_change
from backto.clinical.scoring import band_for, round_half_away_from_zero
from backto.clinical.sensory_exam import allodynia_areas_at_one_age
from backto.readers.outcomes import queries as outcomes
from bench.oracle_rows import ADMIN_FIELDS, allodynia_exams, chunks, in_course_order, scored_again

OUTCOME_MEASURES = {"fdi-child": "fdi", "nrs-pain": "pain", "school": "school"}
OUTCOME_POINTS = ("baseline", "discharge", "follow_up")
DISCIPLINES = [d.value for d in THERAPIES]


@dataclass
class EpisodeExpected:
    """What one episode's outcome row should hold, as `cohort` names it."""

    episode_id: int
    age_band: str = ""
    sex: str = ""
    setting: str = ""
    disciplines: set[str] = field(default_factory=set)
    started_on: date | None = None
    discharged_on: date | None = None
    relapse: bool = False
    fdi: dict[str, Decimal] = field(default_factory=dict)
    pain: dict[str, Decimal] = field(default_factory=dict)
    school: dict[str, Decimal] = field(default_factory=dict)
    gas_discharge: Decimal | None = None
    dose_days: int = 0
    dose_hours: dict[str, float] = field(default_factory=dict)
    change: str | None = None
    recovered: bool | None = None
    walk_percent: tuple[Decimal, Decimal] | None = None
    walk_without_percent: bool = False
    allodynia: tuple[Decimal, Decimal] | None = None
    visits: tuple[Decimal, Decimal] | None = None
    emergency: tuple[Decimal, Decimal] | None = None
    work_days: tuple[Decimal, Decimal] | None = None
    medicines_at_start: int = 0
    medicines_stopped: int = 0


ROW_FIELDS = tuple(name for name in EpisodeExpected.__dataclass_fields__ if name != "episode_id")


def outcomes_mismatches(
    clinic: Clinic | None,
    start: date,
    end: date,
    *,
    discipline: str = "",
    setting: str = "",
    using: str = "default",
) -> list[str]:
    """Every episode row of the fast `cohort` and every figure of `summarize` for the clinic's
    episodes whose program started from `start` to `end` (None: each clinic in turn), against
    this module's reading of the raw rows, both read from the database `using` names (the bench
    passes the reporting replica's alias to check what the outcomes page reads)."""
    alias = using
    clinics = [clinic] if clinic is not None else list(Clinic.objects.using(alias).order_by("pk"))
    problems: list[str] = []
    for one in clinics:
        fast = outcomes.cohort(one, start, end, discipline=discipline, setting=setting, using=alias)
        slow = _cohort_expected(one, start, end, discipline, setting, alias, problems)
        where = f"clinic {one.pk} {start}..{end} {discipline} {setting}".strip()
        fast_ids = {r.episode_id for r in fast}
        for missing in sorted(set(slow) - fast_ids):
            problems.append(f"{where}: episode {missing} missing from the cohort")
        for extra in sorted(fast_ids - set(slow)):
            problems.append(f"{where}: episode {extra} in the cohort, expected not")
        for row in fast:
            want = slow.get(row.episode_id)
            if want is None:
                continue
            for name in ROW_FIELDS:
                value, expected = getattr(row, name), getattr(want, name)
                if value != expected:
                    problems.append(
                        f"episode {row.episode_id}: {name} {value!r}, expected {expected!r}"
                    )
        # The summary of the rows (the export's) and the one the page shows (counted by the
        # database from the outcome rows when they are all fresh).
        expected_figures = _summary_expected(list(slow.values()))
        for label, summary in (
            ("summary", outcomes.summarize(fast)),
            (
                "page summary",
                outcomes.cohort_summary(
                    one, start, end, discipline=discipline, setting=setting, using=alias
                ),
            ),
        ):
            figures = _summary_figures(summary)
            for name, expected in expected_figures.items():
                if figures.get(name) != expected:
                    problems.append(
                        f"{where}: {label} {name} {figures.get(name)!r}, expected {expected!r}"
                    )
    return problems


def _cohort_expected(
    clinic: Clinic,
    start: date,
    end: date,
    discipline: str,
    setting: str,
    using: str,
    problems: list[str],
) -> dict[int, EpisodeExpected]:
    episodes = {
        e["pk"]: e
        for e in Episode.objects.using(using)
        .filter(patient__clinic=clinic)
        .values("pk", "patient_id", "previous_episode_id")
    }
    ids = sorted(episodes)
    started: dict[int, date] = {}
    plans: dict[int, tuple[int, str]] = {}
    teams: dict[int, set[str]] = defaultdict(set)
    for chunk in chunks(ids):
        for episode_id, at in (
            EpisodeTransition.objects.using(using)
            .filter(episode_id__in=chunk, target=EpisodeState.ACTIVE)
            .values_list("episode_id", "at")
        ):
            day = timezone.localdate(at)
            started[episode_id] = min(day, started.get(episode_id, day))
        for episode_id, version, state, plan_setting in (
            CarePlan.objects.using(using)
            .filter(episode_id__in=chunk)
            .values_list("episode_id", "version", "state", "setting")
        ):
            if state != PlanState.DRAFT and version > plans.get(episode_id, (-1, ""))[0]:
                plans[episode_id] = (version, plan_setting)
        for episode_id, role in (
            CareTeamMember.objects.using(using)
            .filter(episode_id__in=chunk)
            .values_list("episode_id", "discipline")
        ):
            teams[episode_id].add(role)
    chosen = [
        pk
        for pk in ids
        if pk in started
        and start <= started[pk] <= end
        and (not setting or plans.get(pk, (0, None))[1] == setting)
        and (not discipline or discipline in teams[pk])
    ]
    followed = {e["previous_episode_id"] for e in episodes.values()}
    rows: dict[int, EpisodeExpected] = {}
    for pk in chosen:
        patient = (
            Patient.objects.using(using)
            .filter(pk=episodes[pk]["patient_id"])
            .values("date_of_birth", "sex")
            .get()
        )
        row = rows[pk] = EpisodeExpected(
            pk,
            age_band=_age_band(patient["date_of_birth"], started[pk]),
            sex=patient["sex"],
            setting=plans.get(pk, (0, ""))[1] or "",
            disciplines=set(teams[pk]),
            started_on=started[pk],
            relapse=pk in followed,
        )
        row.discharged_on = (
            Discharge.objects.using(using)
            .filter(episode_id=pk)
            .values_list("discharged_on", flat=True)
            .first()
        )
        _dose(row, using)
        _scores(row, using, problems)
        _gas(row, using)
        _exam(row, using)
        _medicines(row, episodes[pk]["patient_id"], using)
    return rows


def _age_band(born: date, on: date) -> str:
    age = on.year - born.year
    if (on.month, on.day) < (born.month, born.day):
        age -= 1
    return next(label for low, high, label in outcomes.AGE_BANDS if low <= age <= high)


def _dose(row: EpisodeExpected, using: str) -> None:
    """Days with an attended session; attended hours per discipline (to one decimal)."""
    days: set[date] = set()
    minutes: dict[str, int] = defaultdict(int)
    for day, discipline, spent, attended in (
        TherapySession.objects.using(using)
        .filter(episode_id=row.episode_id)
        .values_list("date", "discipline", "minutes", "attended")
    ):
        if attended:
            days.add(day)
            minutes[discipline] += spent or 0
    row.dose_days = len(days)
    row.dose_hours = {d: round(minutes[d] / 60, 1) for d in DISCIPLINES if minutes[d]}


def _scores(row: EpisodeExpected, using: str, problems: list[str]) -> None:
    """The outcome scores at each time point (the latest with a total), the FDI's change from
    admission to discharge, and the health care before and after."""
    completed = [
        scored_again(a, problems)
        for a in Administration.objects.using(using)
        .filter(episode_id=row.episode_id, state=AdminState.COMPLETED)
        .values(*ADMIN_FIELDS)
    ]
    for s in in_course_order(completed):
        measure = OUTCOME_MEASURES.get(s.instrument_id)
        if measure and s.timepoint in OUTCOME_POINTS and s.total is not None:
            getattr(row, measure)[s.timepoint] = s.total
    fdi = instrument_registry().find("fdi-child")
    before, after = row.fdi.get("baseline"), row.fdi.get("discharge")
    if fdi is not None and before is not None and after is not None:
        assessment = assess_change(fdi, before, after)
        row.change = assessment.reliable_change.classification
        row.recovered = assessment.recovered
    forms = sorted(
        (s for s in completed if s.instrument_id == "healthcare-use" and s.completed_at),
        key=lambda s: (s.completed_at, s.pk),
    )
    baseline = next((f for f in forms if f.timepoint == Timepoint.BASELINE), None)
    if baseline is None:
        return
    since = timezone.localdate(baseline.completed_at)
    later = [
        f
        for f in forms
        if f.timepoint in (Timepoint.DISCHARGE, Timepoint.FOLLOW_UP)
        and timezone.localdate(f.completed_at) >= since
    ]
    if not later:
        return
    latest = later[-1]
    for name, key in (("emergency", "emergency"), ("work_days", "work_days_missed")):
        pair = (baseline.subscales.get(key), latest.subscales.get(key))
        if pair[0] is not None and pair[1] is not None:
            setattr(row, name, pair)
    if baseline.total is not None and latest.total is not None:
        row.visits = (baseline.total, latest.total)


def _gas(row: EpisodeExpected, using: str) -> None:
    """GAS T at discharge: each goal not stopped at its latest clinician rating on or before the
    discharge day, else at its baseline level."""
    if row.discharged_on is None:
        return
    goals = []
    for goal in Goal.objects.using(using).filter(episode_id=row.episode_id).order_by("pk"):
        if goal.status == GoalStatus.STOPPED:
            continue
        ratings = [
            (rated_on, pk, level)
            for rated_on, pk, level, kind in GoalRating.objects.using(using)
            .filter(goal_id=goal.pk)
            .values_list("rated_on", "pk", "level", "rater_kind")
            if kind == RaterKind.CLINICIAN and rated_on <= row.discharged_on
        ]
        level = max(ratings)[2] if ratings else goal.baseline_level
        importance, difficulty = goal.importance, goal.difficulty
        weight = (
            1 if importance is None or difficulty is None else goal_weight(importance, difficulty)
        )
        goals.append(GasGoal(level=level, weight=weight, baseline_level=goal.baseline_level))
    if goals:
        try:
            row.gas_discharge = gas_t_score(goals).rounded
        except GasError:
            row.gas_discharge = None


def _exam(row: EpisodeExpected, using: str) -> None:
    """The first and latest 6-minute walk's percent of predicted and allodynia area up to the
    discharge, with two or more of a kind."""
    until = row.discharged_on or date.max
    walks = sorted(
        (day, pk, (result or {}).get("percent_predicted"))
        for pk, day, result in FunctionalTest.objects.using(using)
        .filter(episode_id=row.episode_id, test_id="6mwt")
        .values_list("pk", "day", "result")
        if day <= until
    )
    if len(walks) >= 2:
        first, latest = walks[0][2], walks[-1][2]
        if first is None or latest is None:
            row.walk_without_percent = True
        else:
            row.walk_percent = (Decimal(str(first)), Decimal(str(latest)))
    exams = allodynia_exams(row.episode_id, until, using)
    compared = allodynia_areas_at_one_age([(regions, age) for _day, age, regions in exams])
    if compared is not None and len(exams) >= 2:
        row.allodynia = (compared.percents[0], compared.percents[-1])


def _medicines(row: EpisodeExpected, patient_id: int, using: str) -> None:
    """For a discharged episode: the medicines taken on the program's first day, and how many
    of them stopped from then to the discharge."""
    if row.discharged_on is None or row.started_on is None:
        return
    first_day = row.started_on
    for started_on, stopped_on in (
        Medicine.objects.using(using)
        .filter(patient_id=patient_id)
        .values_list("started_on", "stopped_on")
    ):
        taken = (started_on is None or started_on <= first_day) and (
            stopped_on is None or stopped_on > first_day
        )
        if taken:
            row.medicines_at_start += 1
            if stopped_on is not None and stopped_on <= row.discharged_on:
                row.medicines_stopped += 1


def _summary_figures(summary: outcomes.Summary) -> dict[str, tuple[object, int]]:
    """The fast summary's cells as (value, n) by name."""
    figures: dict[str, tuple[object, int]] = {}
    for name, value in vars(summary).items():
        if isinstance(value, outcomes.Cell):
            figures[name] = (value.value, value.n)
        elif name == "bands":
            for timepoint, cells in value.items():
                for band, cell in cells.items():
                    figures[f"bands {timepoint} {band}"] = (cell.value, cell.n)
        elif name == "dose_hours":
            for label, cell in value.items():
                figures[f"dose_hours {label}"] = (cell.value, cell.n)
    return figures


def _share(hits: int, n: int) -> tuple[object, int]:
    return (round(100 * hits / n) if n else None, n)


def _average(values: list[Any]) -> tuple[object, int]:
    return (round(mean(float(v) for v in values), 1) if values else None, len(values))


def _middle(values: list[Decimal]) -> tuple[object, int]:
    if not values:
        return (None, 0)
    return (round_half_away_from_zero(Decimal(median(values))), len(values))


def _summary_expected(rows: list[EpisodeExpected]) -> dict[str, tuple[object, int]]:
    """Each figure of the cohort's summary, counted here one row at a time."""
    fdi = instrument_registry().find("fdi-child")
    labels = [b.label for b in fdi.scoring.bands] if fdi and fdi.scoring else []
    figures: dict[str, tuple[object, int]] = {}
    for timepoint in OUTCOME_POINTS:
        counts = dict.fromkeys(labels, 0)
        for r in rows:
            if timepoint in r.fdi and fdi is not None:
                band = band_for(fdi, r.fdi[timepoint])
                if band:
                    counts[band] += 1
        for label, count in counts.items():
            figures[f"bands {timepoint} {label}"] = (count, count)
    discharged = [r for r in rows if r.discharged_on is not None]
    judged = [r for r in discharged if r.change is not None]
    school = [r for r in discharged if "discharge" in r.school]
    pain = [r for r in discharged if "baseline" in r.pain and "discharge" in r.pain]
    dosed = [r for r in discharged if r.dose_days]
    names = dict(therapy_choices())
    emergency_before = [r for r in rows if r.emergency and r.emergency[0] > 0]
    taking = [r for r in discharged if r.medicines_at_start]
    without_percent = sum(1 for r in rows if r.walk_without_percent)
    figures.update(
        admitted=(len(rows), len(rows)),
        discharged=(len(discharged), len(discharged)),
        reliable_improvement=_share(
            sum(1 for r in judged if r.change == "reliably improved"), len(judged)
        ),
        recovered=_share(sum(1 for r in judged if r.recovered), len(judged)),
        full_time_school=_share(
            sum(1 for r in school if r.school["discharge"] >= 100), len(school)
        ),
        pain_change=_average([r.pain["discharge"] - r.pain["baseline"] for r in pain]),
        pain_change_percent=_average(
            [
                100 * (r.pain["discharge"] - r.pain["baseline"]) / r.pain["baseline"]
                for r in pain
                if r.pain["baseline"] > 0
            ]
        ),
        gas_discharge=_average(
            [r.gas_discharge for r in discharged if r.gas_discharge is not None]
        ),
        dose_days=_average([r.dose_days for r in dosed]),
        relapse=_share(sum(1 for r in discharged if r.relapse), len(discharged)),
        walk_percent_change=_middle(
            [r.walk_percent[1] - r.walk_percent[0] for r in rows if r.walk_percent]
        ),
        walk_without_percent=(without_percent, without_percent),
        allodynia_change=_middle([r.allodynia[1] - r.allodynia[0] for r in rows if r.allodynia]),
        fewer_emergency=_share(
            sum(1 for r in emergency_before if r.emergency and r.emergency[1] < r.emergency[0]),
            len(emergency_before),
        ),
        visits_change=_middle([r.visits[1] - r.visits[0] for r in rows if r.visits]),
        work_days_regained=_middle([r.work_days[0] - r.work_days[1] for r in rows if r.work_days]),
        medicines_stopped=_share(sum(1 for r in taking if r.medicines_stopped > 0), len(taking)),
    )
    for discipline in sorted({d for r in dosed for d in r.dose_hours}):
        figures[f"dose_hours {names.get(discipline, discipline)}"] = _average(
            [r.dose_hours.get(discipline, 0) for r in dosed]
        )
    return figures

"""Program outcomes for a clinic and a period, as CLINICAL.md asks a cohort to be reported:
FDI bands at admission, discharge and follow-up; % with reliable improvement; % reaching FDI
under 13; % back to full-time school; pain change (raw and %); GAS T at discharge; program dose;
relapse; and from the exam (issue #19) the median change in the 6-minute walk's percent of
predicted and in the allodynia area (`exam_changes`). One row per episode first (the
de-identified export), then the summary.

The cohort is every episode of the clinic whose program started in the period. A fixed number
of queries however many episodes, every one through the database `using` names: the reporting
replica when it answers (`backto.core.reporting`, asked once by the caller), else the main one.
"""

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.db import DEFAULT_DB_ALIAS
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import TruncDate
from django.utils import timezone

from backto.access.accounts.models import Clinic
from backto.access.patients.models import CareTeamMember, Episode, therapy_choices
from backto.access.patients.program import program_started_at
from backto.capabilities.careplan.dose import DISCIPLINES
from backto.capabilities.careplan.models import CarePlan, PlanState
from backto.capabilities.exam.queries import (
    allodynia_areas_for,
    areas_compared,
    walk_percents_for,
)
from backto.capabilities.goals.models import Goal, GoalRating, GoalStatus, RaterKind
from backto.capabilities.measures.healthcare import cohort_before_after
from backto.capabilities.measures.summary import OUTCOME_FIELDS, OUTCOME_TIMEPOINTS
from backto.capabilities.medicines.models import Medicine
from backto.capabilities.medicines.queries import stopped_between, taken_on
from backto.clinical.gas import GasError, GasGoal, gas_t_score, goal_weight
from backto.clinical.instrument_registry import instrument_registry
from backto.clinical.reliable_change import ChangeAssessment, assess_change
from backto.clinical.scoring import band_for, round_half_away_from_zero
from backto.core.reporting import reporting_source
from backto.readers.outcomes.models import OutcomeRow

SMALL_CELL = 5  # counts under this are suppressed in shared outputs


AGE_BANDS = ((0, 11, "8-11"), (12, 14, "12-14"), (15, 200, "15-18"))


@dataclass(slots=True)
class EpisodeOutcome:
    episode_id: int  # internal only: never exported
    age_band: str
    sex: str
    setting: str
    disciplines: set[str]
    started_on: date
    discharged_on: date | None
    relapse: bool
    fdi: dict[str, Decimal] = field(default_factory=dict)  # timepoint -> child FDI total
    pain: dict[str, Decimal] = field(default_factory=dict)  # timepoint -> pain NRS now
    school: dict[str, Decimal] = field(default_factory=dict)  # timepoint -> % attended
    gas_discharge: Decimal | None = None
    dose_days: int = 0
    dose_hours: dict[str, float] = field(default_factory=dict)
    # The child's FDI from admission to discharge, judged by the clinical core's rules (set by
    # `cohort` with `_judge_fdi`).
    assessment: ChangeAssessment | None = None
    # From the exam (set by `cohort` with `_exam_changes`): the first and latest 6-minute walk's
    # percent of predicted and allodynia area (% of body surface), each with two or more results
    # up to the discharge; `walk_without_percent` when two walks were done but the first or the
    # latest has no percent of predicted (no reference applied).
    walk_percent: tuple[Decimal, Decimal] | None = None
    walk_without_percent: bool = False
    allodynia: tuple[Decimal, Decimal] | None = None
    # From the healthcare-use form (set by `cohort` with `_healthcare`): (before, after) per 3
    # months, the baseline form against the latest after it (discharge or a follow-up), where
    # both have the figure: medical visits, emergency visits, days a parent missed work.
    visits: tuple[Decimal, Decimal] | None = None
    emergency: tuple[Decimal, Decimal] | None = None
    work_days: tuple[Decimal, Decimal] | None = None
    # From the medicine list (set by `cohort` with `_medicines`), for a discharged episode: the
    # medicines taken when the program started, and how many of them stopped by the discharge.
    medicines_at_start: int = 0
    medicines_stopped: int = 0

    @property
    def walk_percent_change(self) -> Decimal | None:
        return None if self.walk_percent is None else self.walk_percent[1] - self.walk_percent[0]

    @property
    def allodynia_change(self) -> Decimal | None:
        return None if self.allodynia is None else self.allodynia[1] - self.allodynia[0]

    @property
    def change(self) -> str | None:
        return self.assessment.reliable_change.classification if self.assessment else None

    @property
    def recovered(self) -> bool | None:
        """Reliable improvement and an FDI under the instrument's recovery line (13)."""
        return self.assessment.recovered if self.assessment else None


def _age_band(born: date, on: date) -> str:
    age = on.year - born.year - ((on.month, on.day) < (born.month, born.day))
    for low, high, label in AGE_BANDS:
        if low <= age <= high:
            return label
    raise ValueError(f"no age band for {age}")


def _day_start(day: date) -> datetime:
    """Midnight in the clinic's time zone: comparing with it keeps the database from converting
    every episode's start to a local date (Python work per row on SQLite)."""
    return timezone.make_aware(datetime.combine(day, time.min))


# The scores each row reads from the episode's measure summary (backto/capabilities/measures/summary.py: the
# child FDI, pain NRS and school attendance at admission, discharge and the latest follow-up).
SCORE_FIELDS = {
    f"{measure}_{timepoint}": (measure, timepoint)
    for measure in OUTCOME_FIELDS.values()
    for timepoint in OUTCOME_TIMEPOINTS
}
# What every row reads of its episode's own rows, after the episode's id and its start: the
# child, the discharge, the stored session dose (careplan/dose.py) and measure summary.
EPISODE_COLUMNS = (
    "patient__date_of_birth",
    "patient__sex",
    "discharge__discharged_on",
    "session_dose__days",
    *(f"session_dose__{d}_minutes" for d in DISCIPLINES),
    *(f"measure_summary__{name}" for name in SCORE_FIELDS),
)


# Where each of the measure summary's columns goes in a row: (measure, time point).
_SCORE_PLACES = tuple(SCORE_FIELDS.values())


def _row(
    pk: int, started_on: date, setting: str | None, relapse: bool, columns: Sequence[Any]
) -> EpisodeOutcome:
    """An episode's row from its program's first day (the clinic's date), its plan's setting,
    whether a returning episode followed it and its EPISODE_COLUMNS."""
    born, sex, discharged, days, *rest = columns
    scores: dict[str, dict[str, Decimal]] = {"fdi": {}, "pain": {}, "school": {}}
    for (measure, timepoint), total in zip(_SCORE_PLACES, rest[len(DISCIPLINES) :], strict=True):
        if total is not None:
            scores[measure][timepoint] = total
    return EpisodeOutcome(
        episode_id=pk,
        age_band=_age_band(born, started_on),
        sex=sex,
        setting=setting or "",
        disciplines=set(),
        started_on=started_on,
        discharged_on=discharged,
        relapse=bool(relapse),
        fdi=scores["fdi"],
        pain=scores["pain"],
        school=scores["school"],
        # Program dose from the episode's stored dose (careplan/dose.py): days with an attended
        # session, and hours per discipline.
        dose_days=days or 0,
        dose_hours={
            d: round(m / 60, 1)
            for d, m in zip(DISCIPLINES, rest[: len(DISCIPLINES)], strict=True)
            if m
        },
    )


def annotated(episodes: QuerySet[Episode]) -> Any:  # QuerySet of Episode with annotations
    """Episodes with their program's start, their plan's setting and whether a returning
    episode followed them."""
    plan_setting = (
        CarePlan.objects.filter(episode=OuterRef("pk"))
        .exclude(state=PlanState.DRAFT)
        .order_by("-version")
        .values("setting")[:1]
    )
    return episodes.annotate(
        started_at=program_started_at(),
        plan_setting=Subquery(plan_setting),
        relapsed=Exists(Episode.objects.filter(previous_episode=OuterRef("pk"))),
    )


def cohort_episodes(
    clinic: Clinic,
    start: date,
    end: date,
    discipline: str,
    setting: str,
    *,
    using: str = DEFAULT_DB_ALIAS,
) -> QuerySet[Episode]:
    """Every episode of the clinic whose program started in the period (and, optionally, whose
    care team includes a discipline or whose plan has a setting), with its start, setting and
    whether a returning episode followed it."""
    episodes = annotated(Episode.objects.using(using).filter(patient__clinic=clinic)).filter(
        started_at__gte=_day_start(start), started_at__lt=_day_start(end + timedelta(1))
    )
    if setting:
        episodes = episodes.filter(plan_setting=setting)
    if discipline:
        episodes = episodes.filter(care_team__discipline=discipline).distinct()
    return episodes


def cohort(
    clinic: Clinic,
    start: date,
    end: date,
    *,
    discipline: str = "",
    setting: str = "",
    using: str | None = None,
) -> list[EpisodeOutcome]:
    """The cohort's rows, read from `using`; without it, from the reporting source (checked
    once here: the replica when it answers, else the main database). Episodes with a fresh
    outcome row (models.OutcomeRow) are read from it; the others, if any, from their records."""
    if using is None:
        using = reporting_source().alias
    rows = _stored_rows(clinic, start, end, discipline, setting, using)
    waiting = _waiting(clinic, using)
    if waiting:
        episodes = cohort_episodes(clinic, start, end, discipline, setting, using=using)
        rows.update(computed_rows(episodes.filter(pk__in=waiting), using))
    _judge_fdi(rows.values())
    return list(rows.values())


def _waiting(clinic: Clinic, using: str) -> list[int]:
    """The clinic's episodes without a fresh outcome row: none, once the rows are kept, which
    two counts from indexes tell without looking at every episode."""
    episodes = Episode.objects.using(using).filter(patient__clinic=clinic)
    fresh = OutcomeRow.objects.using(using).filter(clinic=clinic, fresh=True)
    if episodes.count() == fresh.count():
        return []
    return list(episodes.exclude(pk__in=fresh.values("pk")).values_list("pk", flat=True))


# What a stored row reads besides its own figures, in the order of EPISODE_COLUMNS: the child,
# the discharge, the session dose and the measure summary, copied into the row.
STORED_COLUMNS = (
    "date_of_birth",
    "sex",
    "discharged_on",
    "dose_days",
    *(f"{d}_minutes" for d in DISCIPLINES),
    *SCORE_FIELDS,
)


def _stored(
    clinic: Clinic, start: date, end: date, discipline: str, setting: str, using: str
) -> QuerySet[OutcomeRow]:
    """The fresh outcome rows of the cohort's episodes."""
    stored = OutcomeRow.objects.using(using).filter(
        clinic=clinic,
        fresh=True,
        started_at__gte=_day_start(start),
        started_at__lt=_day_start(end + timedelta(1)),
    )
    if setting:
        stored = stored.filter(setting=setting)
    if discipline:
        stored = stored.filter(
            Exists(
                CareTeamMember.objects.filter(episode=OuterRef("episode"), discipline=discipline)
            )
        )
    return stored


def _stored_rows(
    clinic: Clinic, start: date, end: date, discipline: str, setting: str, using: str
) -> dict[int, EpisodeOutcome]:
    """The cohort's episodes that have a fresh outcome row, in one query."""
    stored = _stored(clinic, start, end, discipline, setting, using)
    # The start as the clinic's date, converted in SQL (a date is quicker to read than a time).
    stored = stored.annotate(
        started_on=TruncDate("started_at", tzinfo=timezone.get_current_timezone())
    )
    rows: dict[int, EpisodeOutcome] = {}
    for pk, started_on, setting_of, relapse, disciplines, *rest in stored.values_list(
        "episode_id",
        "started_on",
        "setting",
        "relapse",
        "disciplines",
        *STORED_COLUMNS,
        *STORED_FIGURES,
    ):
        columns, figures = rest[: len(STORED_COLUMNS)], rest[len(STORED_COLUMNS) :]
        row = rows[pk] = _row(pk, started_on, setting_of, relapse, columns)
        row.disciplines = set(disciplines.split())
        (
            row.gas_discharge,
            walk_first,
            walk_latest,
            row.walk_without_percent,
            allodynia_first,
            allodynia_latest,
            visits_before,
            visits_after,
            emergency_before,
            emergency_after,
            work_before,
            work_after,
            row.medicines_at_start,
            row.medicines_stopped,
        ) = figures
        row.walk_percent = _pair(walk_first, walk_latest)
        row.allodynia = _pair(allodynia_first, allodynia_latest)
        row.visits = _pair(visits_before, visits_after)
        row.emergency = _pair(emergency_before, emergency_after)
        row.work_days = _pair(work_before, work_after)
    return rows


def _pair(first: Decimal | None, latest: Decimal | None) -> tuple[Decimal, Decimal] | None:
    return None if first is None or latest is None else (first, latest)


# An outcome row's figures, in the order `_stored_rows` reads them; `stored_figures` writes them.
STORED_FIGURES = (
    "gas_discharge",
    "walk_first",
    "walk_latest",
    "walk_without_percent",
    "allodynia_first",
    "allodynia_latest",
    "visits_before",
    "visits_after",
    "emergency_before",
    "emergency_after",
    "work_days_before",
    "work_days_after",
    "medicines_at_start",
    "medicines_stopped",
)


def stored_figures(row: EpisodeOutcome) -> dict[str, Any]:
    """The values of STORED_FIGURES for a row computed from the records."""
    walk, allodynia = row.walk_percent or (None, None), row.allodynia or (None, None)
    visits, emergency = row.visits or (None, None), row.emergency or (None, None)
    work = row.work_days or (None, None)
    return dict(
        zip(
            STORED_FIGURES,
            (
                row.gas_discharge,
                *walk,
                row.walk_without_percent,
                *allodynia,
                *visits,
                *emergency,
                *work,
                row.medicines_at_start,
                row.medicines_stopped,
            ),
            strict=True,
        )
    )


def computed_rows(episodes: QuerySet[Episode], using: str) -> dict[int, EpisodeOutcome]:
    """The rows of these episodes (`annotated`, each with a start), from their records: a fixed
    number of queries however many. The FDI change is judged by the caller (`_judge_fdi`)."""
    zone = timezone.get_current_timezone()
    rows: dict[int, EpisodeOutcome] = {}
    for pk, at, setting, relapsed, *columns in episodes.values_list(
        "pk", "started_at", "plan_setting", "relapsed", *EPISODE_COLUMNS
    ):
        rows[pk] = _row(pk, at.astimezone(zone).date(), setting, relapsed, columns)
    # The other tables are read for the same episodes by the same condition in SQL (the
    # database evaluates it again from the index), not by a list of thousands of ids.
    in_cohort = episodes.values("pk")
    for episode_id, role in (
        CareTeamMember.objects.using(using)
        .filter(episode__in=in_cohort)
        .values_list("episode_id", "discipline")
    ):
        rows[episode_id].disciplines.add(role)
    _gas_at_discharge(rows, in_cohort, using)
    _exam_changes(rows, in_cohort, using)
    _healthcare(rows, in_cohort, using)
    _medicines(rows, in_cohort, using)
    return rows


def _medicines(
    rows: dict[int, EpisodeOutcome], in_cohort: QuerySet, using: str = DEFAULT_DB_ALIAS
) -> None:
    """Two queries for the cohort: its episodes' children, and their medicine lists' dates. A
    medicine taken when the program started and stopped by the discharge, by the list's own
    rules (`taken_on`, `stopped_between`)."""
    cohort_episodes = Episode.objects.using(using).filter(pk__in=in_cohort)
    patient_of = dict(cohort_episodes.values_list("pk", "patient_id"))
    lists: dict[int, list[Medicine]] = defaultdict(list)
    for medicine in (
        Medicine.objects.using(using)
        .filter(patient_id__in=cohort_episodes.values("patient_id"))
        .only("patient_id", "started_on", "stopped_on")
    ):
        lists[medicine.patient_id].append(medicine)
    for episode_id, row in rows.items():
        if row.discharged_on is None:
            continue
        at_start = taken_on(lists.get(patient_of[episode_id], []), row.started_on)
        row.medicines_at_start = len(at_start)
        row.medicines_stopped = len(stopped_between(at_start, row.started_on, row.discharged_on))


# The outcome rows' healthcare figures, from the form's keys.
HEALTHCARE_FIGURES = (
    ("visits", "visits"),
    ("emergency", "emergency"),
    ("work_days", "work_days_missed"),
)


def _healthcare(
    rows: dict[int, EpisodeOutcome], in_cohort: QuerySet, using: str = DEFAULT_DB_ALIAS
) -> None:
    """Health care before and after, from the healthcare-use forms (measures/healthcare.py)."""
    keys = [key for _name, key in HEALTHCARE_FIGURES]
    for episode_id, figures in cohort_before_after(in_cohort, keys, using=using).items():
        for name, key in HEALTHCARE_FIGURES:
            before, after = figures[key]
            if before is not None and after is not None:
                setattr(rows[episode_id], name, (before, after))


def _exam_changes(
    rows: dict[int, EpisodeOutcome], in_cohort: QuerySet, using: str = DEFAULT_DB_ALIAS
) -> None:
    """Each row's first and latest 6-minute walk (percent of predicted) and allodynia area, in
    two queries for the whole cohort. Only results up to the discharge count (a follow-up visit
    after it is not the program's change); an episode needs two results of a kind."""
    walks = walk_percents_for(in_cohort, using=using)
    areas = allodynia_areas_for(in_cohort, using=using)
    for episode_id, row in rows.items():
        end = row.discharged_on or date.max
        walked = [w for w in walks.get(episode_id, []) if w.day <= end]
        if len(walked) >= 2:
            first, latest = walked[0].percent, walked[-1].percent
            if first is None or latest is None:
                row.walk_without_percent = True
            else:
                row.walk_percent = (first, latest)
        examined = [a for a in areas.get(episode_id, []) if a.day <= end]
        compared = areas_compared(examined)
        if compared is not None and len(examined) >= 2:
            # Both at the latest exam's age: a birthday into the next Lund and Browder band
            # is not a change of territory.
            row.allodynia = (compared.percents[0], compared.percents[-1])


# Judged FDI changes, per instrument object and pair of totals: the same few hundred pairs
# recur in every clinic, so a network's cohorts judge each once (kept while the instrument is).
_JUDGED: dict[tuple[int, Decimal, Decimal], tuple[Any, ChangeAssessment]] = {}


def _judge_fdi(rows: Iterable[EpisodeOutcome]) -> None:
    """Each row's FDI change from admission to discharge, judged once per distinct pair of
    totals (thousands of children share a few hundred pairs)."""
    instrument = instrument_registry().find("fdi-child")
    if instrument is None:
        return
    for row in rows:
        before, after = row.fdi.get("baseline"), row.fdi.get("discharge")
        if before is None or after is None:
            continue
        row.assessment = _assessed(instrument, before, after)


def _assessed(instrument: Any, before: Decimal, after: Decimal) -> ChangeAssessment:
    if len(_JUDGED) > 100_000:
        _JUDGED.clear()
    key = (id(instrument), before, after)
    found = _JUDGED.get(key)
    if found is None or found[0] is not instrument:
        found = _JUDGED[key] = (instrument, assess_change(instrument, before, after))
    return found[1]


def _gas_at_discharge(
    rows: dict[int, EpisodeOutcome], in_cohort: QuerySet, using: str = DEFAULT_DB_ALIAS
) -> None:
    """The GAS T-score from each goal's latest clinician rating on or before discharge (goals
    not rated by then count at their baseline level). The latest rating is found in the
    database, one correlated lookup per goal; nothing but the goals comes to Python."""
    latest = (
        GoalRating.objects.filter(
            goal=OuterRef("pk"),
            rater_kind=RaterKind.CLINICIAN,
            rated_on__lte=OuterRef("episode__discharge__discharged_on"),
        )
        .order_by("-rated_on", "-id")
        .values("level")[:1]
    )
    by_episode: dict[int, list[GasGoal]] = defaultdict(list)
    for episode_id, baseline, importance, difficulty, level in (
        Goal.objects.using(using)
        .filter(episode__in=in_cohort, episode__discharge__isnull=False)
        .exclude(status=GoalStatus.STOPPED)
        .annotate(level=Subquery(latest))
        .values_list("episode_id", "baseline_level", "importance", "difficulty", "level")
    ):
        weight = (
            1 if importance is None or difficulty is None else goal_weight(importance, difficulty)
        )
        by_episode[episode_id].append(
            GasGoal(
                level=baseline if level is None else level, weight=weight, baseline_level=baseline
            )
        )
    scored: dict[
        tuple[GasGoal, ...], Decimal | None
    ] = {}  # many children share their goals' levels
    for episode_id, gas_goals in by_episode.items():
        key = tuple(gas_goals)
        if key not in scored:
            try:
                scored[key] = gas_t_score(key).rounded
            except GasError:
                scored[key] = None
        rows[episode_id].gas_discharge = scored[key]


@dataclass(frozen=True)
class Cell:
    """A figure with the number of patients behind it; under SMALL_CELL it is not shown."""

    value: object
    n: int

    @property
    def suppressed(self) -> bool:
        return 0 < self.n < SMALL_CELL


def _percent(hits: int, n: int) -> Cell:
    return Cell(round(100 * hits / n) if n else None, n)


def _mean(counts: Counter[Any]) -> Cell:
    """The mean of the counted values as floats, rounded to one decimal: the exact sum of the
    floats that `statistics.mean` takes, made once per distinct value (children share a few
    hundred), so a network costs no more than a clinic."""
    n = counts.total()
    if not n:
        return Cell(None, 0)
    total = sum(Fraction(float(v)) * k for v, k in counts.items())
    return Cell(round(float(total / n), 1), n)


def _median(counts: Counter[Decimal]) -> Cell:
    """The median of the counted values (the mean of the middle two for an even count, as
    `statistics.median` takes it), rounded once to one decimal, half away from zero."""
    n = counts.total()
    if not n:
        return Cell(None, 0)
    ordered = sorted(counts.items())

    def nth(index: int) -> Decimal:
        for value, k in ordered:
            if index < k:
                return value
            index -= k
        raise IndexError(index)

    middle = nth(n // 2) if n % 2 else (nth(n // 2 - 1) + nth(n // 2)) / 2
    return Cell(round_half_away_from_zero(Decimal(middle)), n)


@dataclass
class Summary:
    admitted: Cell
    discharged: Cell
    bands: dict[str, dict[str, Cell]]  # timepoint -> band -> count
    reliable_improvement: Cell
    recovered: Cell
    full_time_school: Cell
    pain_change: Cell
    pain_change_percent: Cell
    gas_discharge: Cell
    dose_days: Cell
    dose_hours: dict[str, Cell]
    relapse: Cell
    # From the exam: median change, first to latest up to discharge, in percentage points.
    walk_percent_change: Cell = field(default_factory=lambda: Cell(None, 0))
    walk_without_percent: Cell = field(default_factory=lambda: Cell(0, 0))
    allodynia_change: Cell = field(default_factory=lambda: Cell(None, 0))
    # From the healthcare-use form, before the program against the latest form after it.
    fewer_emergency: Cell = field(default_factory=lambda: Cell(None, 0))
    visits_change: Cell = field(default_factory=lambda: Cell(None, 0))
    work_days_regained: Cell = field(default_factory=lambda: Cell(None, 0))
    medicines_stopped: Cell = field(default_factory=lambda: Cell(None, 0))


TIMEPOINTS = {"baseline": "Admission", "discharge": "Discharge", "follow_up": "Follow-up"}


@dataclass
class Tallies:
    """How many of a cohort's episodes had each value of each figure its summary reads: all a
    summary needs, whether counted from the rows (`tally`) or by the database (`_tallied`)."""

    admitted: int = 0
    fdi: dict[str, Counter[Decimal]] = field(
        default_factory=lambda: {timepoint: Counter() for timepoint in TIMEPOINTS}
    )
    # The discharged episodes, and of those: their FDI change judged (classification,
    # recovered), school at discharge, pain (admission, discharge), GAS, and for those with an
    # attended session their days and hours a discipline (None: none of it); relapses; and
    # those taking a medicine at the start, and how many of them stopped one.
    discharged: int = 0
    change: Counter[tuple[str, bool]] = field(default_factory=Counter)
    school: Counter[Decimal] = field(default_factory=Counter)
    pain: Counter[tuple[Decimal, Decimal]] = field(default_factory=Counter)
    gas: Counter[Decimal] = field(default_factory=Counter)
    dose_days: Counter[int] = field(default_factory=Counter)
    dose_hours: dict[str, Counter[float | None]] = field(
        default_factory=lambda: {d: Counter() for d in DISCIPLINES}
    )
    relapsed: int = 0
    on_medicines: int = 0
    stopped_medicines: int = 0
    # Every episode with two of them: (first, latest) walk and allodynia; health care (before,
    # after); and the walks without a percent of predicted.
    walk: Counter[tuple[Decimal, Decimal]] = field(default_factory=Counter)
    walk_without_percent: int = 0
    allodynia: Counter[tuple[Decimal, Decimal]] = field(default_factory=Counter)
    emergency: Counter[tuple[Decimal, Decimal]] = field(default_factory=Counter)
    visits: Counter[tuple[Decimal, Decimal]] = field(default_factory=Counter)
    work_days: Counter[tuple[Decimal, Decimal]] = field(default_factory=Counter)


def tally(rows: Iterable[EpisodeOutcome]) -> Tallies:
    t = Tallies()
    for r in rows:
        t.admitted += 1
        for timepoint, total in r.fdi.items():
            if timepoint in t.fdi:
                t.fdi[timepoint][total] += 1
        for counts, pair in (
            (t.walk, r.walk_percent),
            (t.allodynia, r.allodynia),
            (t.emergency, r.emergency),
            (t.visits, r.visits),
            (t.work_days, r.work_days),
        ):
            if pair is not None:
                counts[pair] += 1
        t.walk_without_percent += r.walk_without_percent
        if not r.discharged_on:
            continue
        t.discharged += 1
        if r.assessment is not None:
            t.change[r.assessment.reliable_change.classification, bool(r.recovered)] += 1
        if "discharge" in r.school:
            t.school[r.school["discharge"]] += 1
        if "baseline" in r.pain and "discharge" in r.pain:
            t.pain[r.pain["baseline"], r.pain["discharge"]] += 1
        if r.gas_discharge is not None:
            t.gas[r.gas_discharge] += 1
        if r.dose_days:
            t.dose_days[r.dose_days] += 1
            for d, hours in t.dose_hours.items():
                hours[r.dose_hours.get(d)] += 1
        t.relapsed += r.relapse
        if r.medicines_at_start:
            t.on_medicines += 1
            t.stopped_medicines += r.medicines_stopped > 0
    return t


def summarize(rows: Sequence[EpisodeOutcome]) -> Summary:
    return summary_of(tally(rows))


def cohort_summary(
    clinic: Clinic,
    start: date,
    end: date,
    *,
    discipline: str = "",
    setting: str = "",
    using: str | None = None,
) -> Summary:
    """The summary of `cohort`'s rows. When every episode of the clinic has a fresh outcome
    row, the database counts each figure's values (`_tallied`) and no row comes to Python;
    else it is the summary of the rows."""
    if using is None:
        using = reporting_source().alias
    if _waiting(clinic, using):
        return summarize(
            cohort(clinic, start, end, discipline=discipline, setting=setting, using=using)
        )
    return summary_of(_tallied(_stored(clinic, start, end, discipline, setting, using)))


def _counted(rows: QuerySet[OutcomeRow], *columns: str) -> Any:
    """(values of the columns..., how many rows) for each distinct value, NULLs left out."""
    return (
        rows.filter(**{f"{column}__isnull": False for column in columns})
        .values_list(*columns)
        .annotate(n=Count("pk"))
        .order_by()
    )


def _tallied(stored: QuerySet[OutcomeRow]) -> Tallies:
    """What `tally` counts from the rows, counted by the database from the fresh outcome rows:
    one query of one table a figure, whatever the size."""
    out = Q(discharged_on__isnull=False)
    on_medicines = out & Q(medicines_at_start__gt=0)
    t = Tallies(
        **stored.aggregate(
            admitted=Count("pk"),
            discharged=Count("pk", filter=out),
            relapsed=Count("pk", filter=out & Q(relapse=True)),
            walk_without_percent=Count("pk", filter=Q(walk_without_percent=True)),
            on_medicines=Count("pk", filter=on_medicines),
            stopped_medicines=Count("pk", filter=on_medicines & Q(medicines_stopped__gt=0)),
        )
    )
    discharged = stored.filter(out)
    for timepoint, totals in t.fdi.items():
        for total, n in _counted(stored, f"fdi_{timepoint}"):
            totals[total] += n
    instrument = instrument_registry().find("fdi-child")
    if instrument is not None:
        for before, after, n in _counted(discharged, "fdi_baseline", "fdi_discharge"):
            judged = _assessed(instrument, before, after)
            t.change[judged.reliable_change.classification, bool(judged.recovered)] += n
    for school, n in _counted(discharged, "school_discharge"):
        t.school[school] += n
    for before, after, n in _counted(discharged, "pain_baseline", "pain_discharge"):
        t.pain[before, after] += n
    for gas, n in _counted(discharged, "gas_discharge"):
        t.gas[gas] += n
    dosed = discharged.filter(dose_days__gt=0)
    for days, n in _counted(dosed, "dose_days"):
        t.dose_days[days] += n
    for d, hours in t.dose_hours.items():
        for minutes, n in _counted(dosed, f"{d}_minutes"):
            hours[round(minutes / 60, 1) if minutes else None] += n
    for pairs, first, latest in (
        (t.walk, "walk_first", "walk_latest"),
        (t.allodynia, "allodynia_first", "allodynia_latest"),
        (t.emergency, "emergency_before", "emergency_after"),
        (t.visits, "visits_before", "visits_after"),
        (t.work_days, "work_days_before", "work_days_after"),
    ):
        for before, after, n in _counted(stored, first, latest):
            pairs[before, after] += n
    return t


def summary_of(t: Tallies) -> Summary:
    """The summary of a cohort's tallies, by CLINICAL.md's rules."""
    fdi = instrument_registry().find("fdi-child")
    labels = [b.label for b in fdi.scoring.bands] if fdi and fdi.scoring else []
    bands: dict[str, dict[str, Cell]] = {}
    for timepoint, totals in t.fdi.items():
        counts = dict.fromkeys(labels, 0)
        for total, n in totals.items():
            band = band_for(fdi, total) if fdi else None
            if band:
                counts[band] += n
        bands[timepoint] = {label: Cell(count, count) for label, count in counts.items()}
    changed = t.change.total()
    pain_percent: Counter[Decimal] = Counter()
    for (before, after), n in t.pain.items():
        if before > 0:
            pain_percent[100 * (after - before) / before] += n
    hours = {d: counts for d, counts in t.dose_hours.items() if any(h is not None for h in counts)}
    return Summary(
        admitted=Cell(t.admitted, t.admitted),
        discharged=Cell(t.discharged, t.discharged),
        bands=bands,
        reliable_improvement=_percent(
            sum(n for (change, _), n in t.change.items() if change == "reliably improved"),
            changed,
        ),
        recovered=_percent(sum(n for (_, recovered), n in t.change.items() if recovered), changed),
        full_time_school=_percent(
            sum(n for school, n in t.school.items() if school >= 100), t.school.total()
        ),
        pain_change=_mean(_changes(t.pain)),
        pain_change_percent=_mean(pain_percent),
        gas_discharge=_mean(t.gas),
        dose_days=_mean(t.dose_days),
        dose_hours={
            dict(therapy_choices()).get(d, d): _mean(_zeroed(counts))
            for d, counts in sorted(hours.items())
        },
        relapse=_percent(t.relapsed, t.discharged),
        walk_percent_change=_median(_changes(t.walk)),
        walk_without_percent=Cell(t.walk_without_percent, t.walk_without_percent),
        allodynia_change=_median(_changes(t.allodynia)),
        # Of the children who had emergency visits before the program, the share with fewer.
        fewer_emergency=_percent(
            sum(n for (before, after), n in t.emergency.items() if before > 0 and after < before),
            sum(n for (before, _), n in t.emergency.items() if before > 0),
        ),
        visits_change=_median(_changes(t.visits)),
        work_days_regained=_median(_changes(t.work_days, regained=True)),
        # Of the discharged children taking a medicine when the program started, the share who
        # stopped at least one by the discharge.
        medicines_stopped=_percent(t.stopped_medicines, t.on_medicines),
    )


def _changes(
    pairs: Counter[tuple[Decimal, Decimal]], *, regained: bool = False
) -> Counter[Decimal]:
    """The counted differences of (before, after) pairs: after - before, or before - after for
    what was regained."""
    found: Counter[Decimal] = Counter()
    for (before, after), n in pairs.items():
        found[before - after if regained else after - before] += n
    return found


def _zeroed(counts: Counter[float | None]) -> Counter[float]:
    """Hours a discipline, none counted as 0."""
    found: Counter[float] = Counter()
    for hours, n in counts.items():
        found[hours or 0] += n
    return found

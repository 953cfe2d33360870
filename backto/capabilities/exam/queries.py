"""Reads of the exam: each test's results over time, grouped the way they may be compared; the
allodynia area and the painful regions over time, for one episode or (caseload, outcomes) for
many in one query."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet

from backto.access.patients.respondents import Respondent
from backto.capabilities.exam.models import FunctionalTest, PainMap, SensoryExam, SensoryFinding
from backto.clinical.functional_tests import TESTS
from backto.clinical.sensory_exam import (
    AreasAtOneAge,
    allodynia_areas_at_one_age,
    allodynia_regions,
)
from backto.core.fixed_sql import fixed_query


@dataclass(frozen=True)
class Measure:
    """One number a test gives: its key in the result's `values`, its name and unit."""

    key: str
    label: str
    unit: str
    higher_is_better: bool = True


# What each test shows, in the order of TESTS. The TUG is the one where less is better.
MEASURES: dict[str, tuple[Measure, ...]] = {
    "6mwt": (Measure("distance_m", "Distance", "m"),),
    "30s-sts": (Measure("repetitions", "Stands", "stands"),),
    "tug": (Measure("seconds", "Time", "s", higher_is_better=False),),
    "single-leg-stance": (Measure("left_s", "Left leg", "s"), Measure("right_s", "Right leg", "s")),
    "grip": (Measure("left_kg", "Left hand", "kg"), Measure("right_kg", "Right hand", "kg")),
}


def variant(test_id: str, inputs: dict[str, object]) -> str:
    """The protocol choices that make results of one test a different test, compared only with
    each other (docs/functional-tests.md): the TUG's pace, the single-leg stance's eyes and cap,
    the walk's course length (a shorter course means more turns and a shorter distance), and the
    grip's dynamometer and handle position. Results that did not record a choice are a series of
    their own (named without it): never assumed to match those that did."""
    if test_id == "6mwt":
        course = inputs.get("course_length_m")
        return f"{course} m course" if course is not None else ""
    if test_id == "grip":
        handle = inputs.get("handle_position")
        parts = [str(inputs.get("dynamometer") or ""), f"handle {handle}" if handle else ""]
        return ", ".join(p for p in parts if p)
    if test_id == "tug":
        return f"{inputs.get('pace', '')} pace"
    if test_id == "single-leg-stance":
        return f"eyes {inputs.get('eyes', 'open')}, {inputs.get('cap_s', 30)} s cap"
    return ""


def how_tested(test_id: str, inputs: dict[str, object]) -> str:
    """The protocol details a reader needs to judge a comparison, in words."""
    parts: list[str] = []
    if test_id == "6mwt":
        if "course_length_m" in inputs:
            parts.append(f"{inputs['course_length_m']} m course")
        if "rests" in inputs:
            parts.append(f"{inputs['rests']} rest{'' if inputs['rests'] == 1 else 's'}")
        if "height_cm" in inputs:
            parts.append(f"height {inputs['height_cm']} cm")
    elif test_id == "30s-sts" and "chair_height_cm" in inputs:
        parts.append(f"chair {inputs['chair_height_cm']} cm")
    elif test_id == "tug":
        parts.append(f"{inputs.get('pace')} pace")
    elif test_id == "single-leg-stance":
        parts.append(f"eyes {inputs.get('eyes', 'open')}, cap {inputs.get('cap_s', 30)} s")
    elif test_id == "grip":
        for hand in ("left_kg", "right_kg"):
            trials = inputs.get(hand)
            if isinstance(trials, list) and len(trials) > 1:
                side = hand.removesuffix("_kg")
                parts.append(f"{side} trials {', '.join(f'{t:g}' for t in trials)} kg")
        if "dynamometer" in inputs:
            parts.append(str(inputs["dynamometer"]))
        if "handle_position" in inputs:
            parts.append(f"handle {inputs['handle_position']}")
    return "; ".join(parts)


@dataclass(frozen=True)
class Row:
    """One result as the page shows it."""

    test: FunctionalTest
    values: tuple[Decimal | None, ...]  # in the order of the test's MEASURES
    how: str

    @property
    def result(self) -> dict[str, object]:
        return self.test.result

    @property
    def measured(self) -> list[tuple[Measure, Decimal]]:
        """The measures this result gives (a grip of one hand gives one), with their values."""
        measures = MEASURES[self.test.test_id]
        return [(m, v) for m, v in zip(measures, self.values, strict=True) if v is not None]


@dataclass(frozen=True)
class Change:
    measure: Measure
    first: Decimal
    latest: Decimal

    @property
    def amount(self) -> Decimal:
        return self.latest - self.first

    @property
    def better(self) -> bool | None:
        """Did it move the way that is better (None when it did not move)?"""
        if self.amount == 0:
            return None
        return (self.amount > 0) == self.measure.higher_is_better


@dataclass(frozen=True)
class FunctionalSeries:
    """One test (one variant of it) over time, oldest first."""

    test_id: str
    name: str
    variant: str
    measures: tuple[Measure, ...]
    rows: Sequence[Row] = field(default_factory=tuple)

    @property
    def title(self) -> str:
        return f"{self.name}, {self.variant}" if self.variant else self.name

    @property
    def anchor(self) -> str:
        return "results-" + "-".join([self.test_id, *self.variant.split()])

    @property
    def latest(self) -> Row:
        return self.rows[-1]

    @property
    def changes(self) -> tuple[Change, ...]:
        """For each measure with a first and a latest value on different results, the change."""
        found = []
        for index, measure in enumerate(self.measures):
            given = [row.values[index] for row in self.rows if row.values[index] is not None]
            if len(given) >= 2:
                first, latest = given[0], given[-1]
                assert first is not None and latest is not None
                found.append(Change(measure, first, latest))
        return tuple(found)

    def points(self, index: int) -> list[tuple[date, float]]:
        return [
            (row.test.day, float(value))
            for row in self.rows
            if (value := row.values[index]) is not None
        ]


def _value(raw: object) -> Decimal | None:
    if raw is None or isinstance(raw, bool):
        return None
    return Decimal(str(raw))


def series_of(tests: Iterable[FunctionalTest]) -> list[FunctionalSeries]:
    """The results grouped by test and variant, in the order of TESTS, each oldest first."""
    grouped: dict[tuple[str, str], list[Row]] = {}
    for test in sorted(tests, key=lambda t: (t.day, t.pk)):
        measures = MEASURES[test.test_id]
        values = test.result.get("values", {})
        row = Row(
            test,
            tuple(_value(values.get(m.key)) for m in measures),
            how_tested(test.test_id, test.inputs),
        )
        grouped.setdefault((test.test_id, variant(test.test_id, test.inputs)), []).append(row)
    order = {test_id: index for index, test_id in enumerate(TESTS)}
    return [
        FunctionalSeries(test_id, TESTS[test_id].name, name, MEASURES[test_id], tuple(rows))
        for (test_id, name), rows in sorted(
            grouped.items(), key=lambda kv: (order[kv[0][0]], kv[0][1])
        )
    ]


def functional_tests_of(episode_id: int) -> list[FunctionalTest]:
    """Every functional test of the episode with who recorded it, in one query."""
    return list(
        FunctionalTest.objects.filter(episode_id=episode_id)
        .select_related("recorded_by")
        .order_by("day", "id")
    )


def episode_series(episode_id: int) -> list[FunctionalSeries]:
    return series_of(functional_tests_of(episode_id))


# The tests the progress page and the reports lead with (issue #19): what the child can do,
# walking and standing up, each trended against its own first result.
PROGRESS_TESTS = ("6mwt", "30s-sts", "tug")


@fixed_query
def _progress_tests(*, episode_id: int, until: date) -> QuerySet[FunctionalTest]:
    return FunctionalTest.objects.filter(
        episode_id=episode_id, test_id__in=PROGRESS_TESTS, day__lte=until
    ).order_by("day", "id")


def progress_series(episode_id: int, *, until: date | None = None) -> list[FunctionalSeries]:
    """The progress tests of the episode (the timed up and go at each pace its own series), up
    to `until` when given (a discharge summary stops at the discharge): one query, however
    many results."""
    return series_of(
        _progress_tests(episode_id=episode_id, until=date.max if until is None else until)
    )


# --- The body map and the sensory exam over time (issue #19: "Where it shows") ----------------
#
# Which pain map is "the family's": at each questionnaire point (timepoint and label) the child's
# own map when the child marked one, else a parent's; a clinician's maps are a series of their
# own. So the family's line follows one point per visit and prefers the child's voice, and a
# clinician's marking is never mixed into it.


@dataclass(frozen=True)
class AreaPoint:
    """One sensory exam where allodynia was tested: the union of its allodynia territories as a
    percentage of body surface as recorded (Lund and Browder for the child's age on the day),
    and that union's regions, sorted, so that exams can be compared at one age
    (`areas_compared`)."""

    exam_id: int
    day: date
    age_years: Decimal
    percent: Decimal
    regions: tuple[str, ...] = ()


def areas_compared(points: Sequence[AreaPoint]) -> AreasAtOneAge | None:
    """The points' allodynia areas (oldest first) recomputed at the latest exam's age by the
    clinical core (`sensory_exam.allodynia_areas_at_one_age`), so that a change of Lund and
    Browder band is never read as a change of territory; None without a point."""
    return allodynia_areas_at_one_age([(p.regions, p.age_years) for p in points])


def area_points(exams: Iterable[SensoryExam]) -> list[AreaPoint]:
    """The exams that tested allodynia as area points, in the given order; each exam's findings
    must be prefetched (`sensory_queries.sensory_exams_of`), so no query here."""
    return [
        AreaPoint(
            e.pk,
            e.day,
            e.age_years,
            e.allodynia_percent,
            tuple(sorted(allodynia_regions(e.findings.all()))),
        )
        for e in exams
        if e.allodynia_percent is not None
    ]


@dataclass(frozen=True)
class MapPoint:
    """One pain map at one questionnaire point, with what the clinical core worked out."""

    map_id: int
    day: date
    timepoint: str
    label: str
    respondent: str
    regions: tuple[str, ...]
    painful_region_count: int
    wpi: int | None
    catalogue_version: str


@dataclass(frozen=True)
class PainMapSeries:
    """The family's maps (one per questionnaire point: the child's, else a parent's) and the
    clinicians' maps, each oldest first."""

    family: tuple[MapPoint, ...] = ()
    clinician: tuple[MapPoint, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.family or self.clinician)


@fixed_query
def _allodynia_findings(using: str, *, episode_ids: Any, until: date) -> QuerySet[SensoryFinding]:
    return (
        SensoryFinding.objects.using(using)
        .filter(
            exam__episode_id__in=episode_ids,
            exam__allodynia_percent__isnull=False,
            kind="allodynia",
            exam__day__lte=until,
        )
        .select_related("exam")
        .order_by("exam__episode_id", "exam__day", "exam_id", "id")
        .only(
            "kind",
            "regions",
            "exam__id",
            "exam__episode_id",
            "exam__day",
            "exam__age_years",
            "exam__allodynia_percent",
        )
    )


def allodynia_areas_for(
    episode_ids: Sequence[int] | QuerySet[Any, Any],
    *,
    until: date | None = None,
    using: str = "default",
) -> dict[int, list[AreaPoint]]:
    """Each episode's allodynia area at every sensory exam that tested it (an exam where
    allodynia was not tested, `allodynia_percent` null, is left out), oldest first, keyed by
    episode, with the union of the exam's allodynia territories (the clinical core's
    `allodynia_regions`); an episode without one is absent. One query for any number of
    episodes (the allodynia findings with their exams); `episode_ids` may be a subquery of the
    episodes' ids (the outcomes' cohort)."""
    by_exam: dict[int, list[SensoryFinding]] = {}
    for finding in _allodynia_findings(
        using, episode_ids=episode_ids, until=date.max if until is None else until
    ):
        by_exam.setdefault(finding.exam_id, []).append(finding)
    found: dict[int, list[AreaPoint]] = {}
    for territories in by_exam.values():
        exam = territories[0].exam
        assert exam.allodynia_percent is not None  # filtered above
        found.setdefault(exam.episode_id, []).append(
            AreaPoint(
                exam.pk,
                exam.day,
                exam.age_years,
                exam.allodynia_percent,
                tuple(sorted(allodynia_regions(territories))),
            )
        )
    return found


def allodynia_series(episode_id: int, *, until: date | None = None) -> list[AreaPoint]:
    """The episode's allodynia area over time, oldest first, up to `until`: one query."""
    return allodynia_areas_for([episode_id], until=until).get(episode_id, [])


def map_point(row: PainMap) -> MapPoint:
    """One stored map as a point of a series: the numbers its result kept, and who marked it."""
    wpi = row.result.get("wpi")
    return MapPoint(
        map_id=row.pk,
        day=row.day,
        timepoint=row.timepoint,
        label=row.label,
        respondent=row.respondent,
        regions=tuple(row.regions or ()),
        painful_region_count=row.painful_region_count,
        wpi=wpi if isinstance(wpi, int) and not isinstance(wpi, bool) else None,
        catalogue_version=str(row.result.get("catalogue_version", "")),
    )


def pain_map_series_of(maps: Iterable[PainMap]) -> PainMapSeries:
    """The rule above, on maps already read: per questionnaire point the child's map, else a
    parent's, for the family; the clinicians' apart."""
    family: dict[tuple[str, str], MapPoint] = {}
    clinician: list[MapPoint] = []
    for row in sorted(maps, key=lambda m: (m.day, m.pk)):
        point = map_point(row)
        if row.respondent == Respondent.CLINICIAN:
            clinician.append(point)
            continue
        key = (row.timepoint, row.label)
        if key not in family or (
            row.respondent == Respondent.CHILD and family[key].respondent != Respondent.CHILD
        ):
            family[key] = point
    return PainMapSeries(
        family=tuple(sorted(family.values(), key=lambda p: (p.day, p.map_id))),
        clinician=tuple(clinician),
    )


@fixed_query
def _pain_maps(using: str, *, episode_ids: Any, until: date) -> QuerySet[PainMap]:
    return (
        PainMap.objects.using(using)
        .filter(episode_id__in=episode_ids, day__lte=until)
        .order_by("episode_id", "day", "id")
        .only(
            "id",
            "episode_id",
            "day",
            "timepoint",
            "label",
            "respondent",
            "regions",
            "result",
            "painful_region_count",
        )
    )


def pain_maps_for(
    episode_ids: Sequence[int] | QuerySet[Any, Any],
    *,
    until: date | None = None,
    using: str = "default",
) -> dict[int, PainMapSeries]:
    """Each episode's pain map series (the rule above), keyed by episode; one query for any
    number of episodes."""
    by_episode: dict[int, list[PainMap]] = {}
    for row in _pain_maps(
        using, episode_ids=episode_ids, until=date.max if until is None else until
    ):
        by_episode.setdefault(row.episode_id, []).append(row)
    return {episode_id: pain_map_series_of(rows) for episode_id, rows in by_episode.items()}


def pain_map_series(episode_id: int, *, until: date | None = None) -> PainMapSeries:
    """The episode's painful regions and WPI over the questionnaire points: one query."""
    return pain_maps_for([episode_id], until=until).get(episode_id, PainMapSeries())


@dataclass(frozen=True)
class WalkPercent:
    """One 6-minute walk with its percent of predicted, when a reference equation applied."""

    day: date
    percent: Decimal | None


def walk_percents_for(
    episode_ids: Iterable[int] | QuerySet[Any, Any],
    *,
    until: date | None = None,
    using: str = "default",
) -> dict[int, list[WalkPercent]]:
    """Each episode's 6-minute walks, oldest first, with the stored result's percent of
    predicted (None where no reference applied: no height, an age or sex outside the
    reference). One query for any number of episodes."""
    walks = FunctionalTest.objects.using(using).filter(episode_id__in=episode_ids, test_id="6mwt")
    if until is not None:
        walks = walks.filter(day__lte=until)
    found: dict[int, list[WalkPercent]] = {}
    for episode_id, day, result in walks.order_by("episode_id", "day", "id").values_list(
        "episode_id", "day", "result"
    ):
        found.setdefault(episode_id, []).append(
            WalkPercent(day, _value((result or {}).get("percent_predicted")))
        )
    return found

"""What the intake reads from the exam (issue #19): the baseline body map, which gives the intake
its painful-region count (localized or diffuse), the ACR widespread pain index and the 2016
criteria's regions with pain; and the intake's sensory exam, which gives the Budapest tally its
signs and measured temperature difference. The intake imports this module; the exam never imports the
intake. Each read is one query and answers plain values with the row's id and day, so that the
intake never reads the exam's JSON itself and every number it shows can be traced to its row.

Which body map counts (a project rule, in docs/program.md): of the maps marked at the baseline
point, a clinician's first (marked with the family at the visit and reviewed), then the child's
own (self-report is the standard for where pain is, and the widespread pain index is a
self-reported index), then a parent's; of that respondent's baseline maps, the latest by day.

Which sensory exam belongs to the intake (docs/program.md): the first exam of the episode on or
before the program's start (its first move to active, as a clinic day), else the episode's first
exam. An exam at week 6 or at follow-up never rewrites the intake's signs, so a letter printed
later still shows the signs the intake was screened with.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import OuterRef, Subquery
from django.utils import timezone

from backto.access.patients.lifecycle import EpisodeState
from backto.access.patients.models import EpisodeTransition
from backto.access.patients.respondents import Respondent
from backto.capabilities.exam.models import PainMap, SensoryExam
from backto.clinical.body_map import generalized_pain_regions, widespread_pain_index
from backto.clinical.criteria_tallies import BUDAPEST_FEATURES
from backto.clinical.screening import Tri

# The measures' baseline timepoint (the questionnaire point at intake); the exam keeps timepoints
# as the measures name them without importing the measures.
BASELINE = "baseline"
# Whose baseline map counts, first to last (see the module's docstring).
RESPONDENT_ORDER = (Respondent.CLINICIAN, Respondent.CHILD, Respondent.PARENT)
MARKED_BY = {
    Respondent.CHILD: "the child",
    Respondent.PARENT: "a parent",
    Respondent.CLINICIAN: "a clinician",
}
# A temperature asymmetry is a Budapest sign only through the measured difference, which the exam
# gives apart (`temperature_difference_c`); the clinical core refuses it among the signs.
SIGN_FEATURES = tuple(f for f in BUDAPEST_FEATURES if f != "temperature_asymmetry")


@dataclass(frozen=True)
class BaselinePainMap:
    """The body map that counts at baseline and what the clinical core worked out from it."""

    pain_map_id: int
    day: date
    respondent: str
    painful_region_count: int
    wpi: int
    generalized_regions: int  # of the ACR 2016 criteria's 5 regions, those with pain
    catalogue_version: str

    @property
    def marked_by(self) -> str:
        """Who marked it, in words: "the child", "a parent" or "a clinician"."""
        return MARKED_BY[Respondent(self.respondent)]


@dataclass(frozen=True)
class ExamSigns:
    """The Budapest signs seen at a sensory exam, and its measured temperature difference."""

    exam_id: int
    day: date
    signs: Mapping[str, Tri]
    temperature_difference_c: Decimal | None
    # The day the episode's program started (its first move to active), None before it has.
    program_start: date | None = None

    def answered(self, feature: str) -> bool:
        """Whether the exam answered this sign yes or no (an unknown leaves it to the intake)."""
        return self.signs.get(feature) in ("yes", "no")

    @property
    def after_program_start(self) -> bool:
        """Whether the exam was done after the program started (the episode had no exam before:
        the intake's tally then takes its first exam, and says so)."""
        return self.program_start is not None and self.day > self.program_start


def _whole(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


@dataclass(frozen=True)
class BaselineMaps:
    """The baseline map that counts, and the latest baseline map of each other respondent, which
    the intake shows beside it without counting it (a parent's 4 areas beside the child's
    "nowhere right now"), in `RESPONDENT_ORDER`."""

    counting: BaselinePainMap | None = None
    others: tuple[BaselinePainMap, ...] = ()


def _baseline(row: PainMap) -> BaselinePainMap:
    result = row.result or {}
    wpi = _whole(result.get("wpi"))
    return BaselinePainMap(
        pain_map_id=row.pk,
        day=row.day,
        respondent=row.respondent,
        painful_region_count=row.painful_region_count,
        wpi=widespread_pain_index(row.regions) if wpi is None else wpi,
        generalized_regions=len(generalized_pain_regions(row.regions)),
        catalogue_version=str(result.get("catalogue_version", "")),
    )


def baseline_pain_maps(episode_id: int) -> BaselineMaps:
    """The episode's baseline body map that counts (see the module's docstring) and the other
    respondents' latest baseline maps. One query, of at most one row per respondent (the latest
    by day, then the later recorded), however many maps there are.

    The index and the count are the ones stored with the map (computed when it was marked, with
    its catalogue version; the index is worked out from the regions only for a result without
    it); the 2016 regions with pain, which the stored result does not hold, are always worked out
    from the map's regions by `backto.clinical.body_map` (`generalized_pain_regions`)."""
    latest_of_respondent = (
        PainMap.objects.filter(
            episode_id=OuterRef("episode_id"), timepoint=BASELINE, respondent=OuterRef("respondent")
        )
        .order_by("-day", "-id")
        .values("id")[:1]
    )
    rows = PainMap.objects.filter(
        episode_id=episode_id,
        timepoint=BASELINE,
        respondent__in=RESPONDENT_ORDER,
        id=Subquery(latest_of_respondent),
    ).only("id", "day", "respondent", "regions", "result", "painful_region_count")
    maps = sorted(
        (_baseline(row) for row in rows), key=lambda m: RESPONDENT_ORDER.index(m.respondent)
    )
    return BaselineMaps(counting=maps[0], others=tuple(maps[1:])) if maps else BaselineMaps()


def baseline_pain_map(episode_id: int) -> BaselinePainMap | None:
    """The episode's baseline body map that counts, or None (`baseline_pain_maps`). One query."""
    return baseline_pain_maps(episode_id).counting


def intake_sensory_exam(episode_id: int) -> ExamSigns | None:
    """The sensory exam that belongs to the episode's intake, or None. One query.

    The rule (docs/program.md): the first exam of the episode on or before the program's start
    (the day of its first move to active, in the clinic's time zone), else the episode's first
    exam. The first exam of the episode is on or before the start whenever any exam is, so both
    arms take the episode's first exam by day (then the earlier recorded); the start is read in
    the same query so that the intake can say when its exam came after the program started.
    Signs the exam did not give are left out (the tally counts them as unknown)."""
    started_at = Subquery(
        EpisodeTransition.objects.filter(
            episode_id=OuterRef("episode_id"), target=EpisodeState.ACTIVE
        )
        .order_by("at")
        .values("at")[:1]
    )
    exam = (
        SensoryExam.objects.filter(episode_id=episode_id)
        .annotate(started_at=started_at)
        .order_by("day", "id")
        .only("id", "day", "result")
        .first()
    )
    if exam is None:
        return None
    given = exam.result.get("budapest_signs") or {}
    difference = exam.result.get("temperature_difference_c")
    started: Any = getattr(exam, "started_at", None)
    return ExamSigns(
        exam_id=exam.pk,
        day=exam.day,
        signs={feature: given[feature] for feature in SIGN_FEATURES if feature in given},
        temperature_difference_c=Decimal(str(difference)) if difference is not None else None,
        program_start=timezone.localdate(started) if started is not None else None,
    )

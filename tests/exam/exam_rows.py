"""Body maps and sensory exams built straight from the models, with the clinical core's own
numbers (`backto.clinical.body_map`), for the tests of the pages that read them."""

import uuid
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from backto.capabilities.exam.models import PainMap, SensoryExam, SensoryFinding
from backto.clinical.body_map import (
    body_map_catalogue,
    generalized_pain,
    pain_distribution,
    painful_region_count,
    territory_percent,
    widespread_pain_index,
)

# A 12-year-old's right lower leg and foot: 6 + 3.5 = 9.5 % (CLINICAL.md's worked example).
RIGHT_LOWER_LEG_AND_FOOT = (
    "ankle-right-back",
    "ankle-right-front",
    "foot-right-back",
    "foot-right-front",
    "knee-right-back",
    "knee-right-front",
    "lower-leg-right-back",
    "lower-leg-right-front",
    "toes-right-front",
)
RIGHT_FOOT = ("foot-right-back", "foot-right-front", "toes-right-front")
# Both legs drawn whole: 32.9 % of body surface at 9 years, 34.8 % at 10 (a Lund and Browder band).
BOTH_LEGS = [
    f"{part}-{side}-{face}"
    for part in ("thigh", "knee", "lower-leg", "foot")
    for side in ("left", "right")
    for face in ("front", "back")
] + ["toes-left-front", "toes-right-front"]


def pain_map(
    episode: Any,
    by: Any,
    day: date,
    regions: Sequence[str],
    *,
    respondent: str = "child",
    timepoint: str = "baseline",
    label: str = "Baseline",
) -> PainMap:
    """A pain map as the recording action would keep it: the regions and the core's result."""
    marked = sorted(regions)
    return PainMap.objects.create(
        episode=episode,
        respondent=respondent,
        timepoint=timepoint,
        label=label,
        day=day,
        regions=marked,
        result={
            "wpi": widespread_pain_index(marked),
            "painful_region_count": painful_region_count(marked),
            "distribution": pain_distribution(marked),
            "generalized_pain": generalized_pain(marked),
            "wpi_areas": [],
            "catalogue_version": body_map_catalogue().version,
        },
        painful_region_count=painful_region_count(marked),
        submission_key=uuid.uuid4(),
        recorded_by=by,
    )


def sensory_exam(
    episode: Any,
    by: Any,
    day: date,
    regions: Sequence[str] | None,
    *,
    age: Decimal = Decimal("12.50"),
) -> SensoryExam:
    """A sensory exam with one allodynia finding (light brush) over `regions`, its area by Lund
    and Browder for `age`; `regions=None`: allodynia not tested (no area)."""
    percent = None if regions is None else territory_percent(list(regions), age)
    exam = SensoryExam.objects.create(
        episode=episode,
        day=day,
        age_years=age,
        allodynia_percent=percent,
        submission_key=uuid.uuid4(),
        recorded_by=by,
    )
    if regions is not None and percent is not None:
        SensoryFinding.objects.create(
            exam=exam,
            kind="allodynia",
            stimulus="brush",
            regions=sorted(regions),
            percent=percent,
        )
    return exam

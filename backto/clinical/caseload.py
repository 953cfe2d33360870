"""The caseload's clinical flags: when a child's program reads as off track (DESIGN.md, "who is off
track"). Plain values in, a yes or no out, so that the rules are read and tested apart from the
queries that gather their inputs.

The thresholds that are the instruments' own (reliable change, the catastrophizing bands) come
from the instrument files (CLINICAL.md); the three that are the clinic's reading of a program
(`NO_IMPROVEMENT_WEEKS`, `ACTIVITY_DROP`, `ALLODYNIA_GROWTH_POINTS`) are project choices, named
here once.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal

from backto.clinical.instruments import Instrument
from backto.clinical.reliable_change import Classification, Number, instrument_reliable_change
from backto.clinical.sensory_exam import allodynia_areas_at_one_age

# Six weeks is when an intensive interdisciplinary program expects a reliable FDI gain; a child
# still without one is worth a look at the care team's meeting (project choice).
NO_IMPROVEMENT_WEEKS = 6
# A fall of the diary's activity rating (0-4) by this much, from one fortnight's average to the
# next, reads as function falling (project choice: three quarters of one step of the scale).
ACTIVITY_DROP = 0.75
# The allodynia area (the union of the allodynia territories as a percentage of body surface,
# Lund and Browder for the age: docs/body-map.md) grown by more than this many percentage points
# reads as the territory spreading (project choice: about one palm of the child's own hand with
# the fingers, the burn-care "rule of palm" of roughly 1 % of body surface, and ten times the
# 0.1 the area is rounded to, so that a border drawn a little differently does not flag).
ALLODYNIA_GROWTH_POINTS = Decimal("1.0")


def fdi_change(fdi: Instrument | None, scores: Sequence[Number]) -> Classification | None:
    """The reliable-change classification of the child's FDI from the first score to the last
    (Jacobson & Truax 1991, with the SD and r of the instrument file: CLINICAL.md, "Change that
    matters"); None without the instrument or with fewer than two scores."""
    if fdi is None or len(scores) < 2:
        return None
    return instrument_reliable_change(fdi, scores[0], scores[-1]).classification


def no_reliable_improvement(
    *, active: bool, days_in_program: int | None, change: Classification | None
) -> bool:
    """ "No reliable FDI improvement after NO_IMPROVEMENT_WEEKS weeks": an active program of at
    least that many whole weeks whose FDI has not reliably improved — including a child with no
    second FDI yet, since a missing follow-up is itself something to act on."""
    weeks = (days_in_program or 0) // 7
    return active and weeks >= NO_IMPROVEMENT_WEEKS and change != "reliably improved"


def activity_dropped(now: float | None, before: float | None) -> bool:
    """The diary's mean activity (0-4) fell by ACTIVITY_DROP or more from the fortnight before to
    the last fortnight; False when either fortnight has no rating."""
    return now is not None and before is not None and before - now >= ACTIVITY_DROP


def function_falling(
    *,
    active: bool,
    change: Classification | None = None,
    activity_now: float | None = None,
    activity_before: float | None = None,
) -> bool:
    """ "Function falling" in an active program: the FDI reliably worse than at baseline
    (Jacobson & Truax 1991), or the diary's activity down (`activity_dropped`). Either is enough,
    so each may be judged from its own source: the questionnaires and the diary."""
    return active and (
        change == "reliably worse" or activity_dropped(activity_now, activity_before)
    )


def top_band(instrument: Instrument | None) -> str | None:
    """The label of the instrument's top band (the one without an upper bound: the worst, for the
    catastrophizing scales), as its file defines it; None without bands."""
    scoring = instrument.scoring if instrument is not None else None
    if scoring is None:
        return None
    return next((band.label for band in scoring.bands if band.upper is None), None)


def catastrophizing_high(band: str | None, *, top: str | None) -> bool:
    """ "Pain catastrophizing high": the latest score falls in the instrument's top band — for the
    PCS-C "high", 26 and above (Pielech et al., Pain 2014); for the PCS-P 23 and above, as a
    pediatric registry uses it (CLINICAL.md's instrument table; configurable in the file). The
    band comes from the instrument file, never a threshold of the caseload's own."""
    return bool(band) and band == top


def allodynia_area_growing(*, active: bool, areas: Sequence[Number]) -> bool:
    """ "Allodynia area growing" in an active program: the latest exam's area (body-surface %,
    oldest first in `areas`) is more than ALLODYNIA_GROWTH_POINTS larger than the exam before
    it (a spread since the last look) or than the first exam's (a slow creep that no single step
    shows). Fewer than two exams: no flag.

    Worked examples (percent of body surface): 3.5 then 9.5 (the foot's territory spread to the
    whole lower leg of a 12-year-old) flags; 9.5 then 3.5 does not; 3.5, 4.0, 4.5, 5.0 flags on
    the creep (1.5 over the first, though each step is 0.5); 5.0 then 6.0 (exactly 1.0) does
    not; 9.5, 2.0, 3.5 flags (1.5 over the exam before: it grew back)."""
    if not active or len(areas) < 2:
        return False
    latest = Decimal(str(areas[-1]))
    return any(
        latest - Decimal(str(earlier)) > ALLODYNIA_GROWTH_POINTS
        for earlier in (areas[-2], areas[0])
    )


def allodynia_territory_growing(
    *, active: bool, exams: Sequence[tuple[Iterable[str], Decimal | int]]
) -> bool:
    """ "Allodynia area growing" judged on the territories themselves: each exam's union of
    allodynia regions with the child's age on its day (oldest first), every one recomputed at the
    latest exam's age (`sensory_exam.allodynia_areas_at_one_age`) before `allodynia_area_growing`
    compares them. So the same territory never flags when the child moves into the next Lund and
    Browder band: both legs read 32.9 % at 9 and 34.8 % at 10, both 34.8 % compared at 10."""
    compared = allodynia_areas_at_one_age(exams)
    return compared is not None and allodynia_area_growing(active=active, areas=compared.percents)

"""The raw rows the oracle (`bench.oracle`) reads for both the caseload and the outcomes: completed
administrations scored again from their answers, in course order, and the sensory exams' allodynia
territories made from their findings."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from backto.capabilities.exam.models import SensoryExam, SensoryFinding
from backto.capabilities.measures.models import Timepoint
from backto.clinical.instrument_registry import instrument_registry
from backto.clinical.scoring import score
from backto.clinical.sensory_exam import allodynia_regions

CHUNK = 500  # ids per IN list (SQLite's limit on variables is far above)


def chunks(ids: Sequence[int]) -> Iterator[list[int]]:
    for n in range(0, len(ids), CHUNK):
        yield list(ids[n : n + CHUNK])


# --- Scores, from the answers -------------------------------------------------------------------


@dataclass(frozen=True)
class Scored:
    """One completed administration, scored again from its answers."""

    pk: int
    instrument_id: str
    timepoint: str
    due_on: date
    completed_at: Any
    total: Decimal | None
    band: str
    subscales: dict[str, Decimal | None]


def scored_again(row: dict[str, Any], problems: list[str]) -> Scored:
    registry = instrument_registry()
    instrument = registry.find(row["instrument_id"], row["instrument_version"] or None)
    if instrument is None:
        problems.append(f"administration {row['pk']}: instrument version unknown")
        total, band, subscales = None, "", {}
    else:
        result = score(instrument, row["answers"] or {})
        total, band, subscales = result.total, result.band or "", dict(result.subscales)
    stored = row["score_total"]
    if (None if stored is None else Decimal(stored)) != total:
        problems.append(
            f"administration {row['pk']}: stored total {stored}, its answers score {total}"
        )
    return Scored(
        row["pk"],
        row["instrument_id"],
        row["timepoint"],
        row["due_on"],
        row["completed_at"],
        total,
        band,
        subscales,
    )


ADMIN_FIELDS = (
    "pk",
    "episode_id",
    "instrument_id",
    "instrument_version",
    "timepoint",
    "due_on",
    "state",
    "answers",
    "score_total",
    "completed_at",
)


def in_course_order(scored: Iterable[Scored]) -> list[Scored]:
    """Due day first (a paper baseline typed in late is still first), then time point, then as
    created."""
    order = list(Timepoint.values)
    return sorted(scored, key=lambda s: (s.due_on, order.index(s.timepoint), s.pk))


def first_and_latest(scored: list[Scored]) -> tuple[Decimal, ...]:
    """The baseline's total (else the first's) and the latest other one, of scores that have a
    total, in course order."""
    with_total = [s for s in scored if s.total is not None]
    if not with_total:
        return ()
    baselines = [s for s in with_total if s.timepoint == Timepoint.BASELINE]
    first = baselines[0] if baselines else with_total[0]
    others = [s for s in with_total if s.pk != first.pk]
    return tuple(s.total for s in [first, *others[-1:]] if s.total is not None)


def allodynia_exams(
    episode_id: int, until: date, using: str
) -> list[tuple[date, Decimal, frozenset[str]]]:
    """The episode's sensory exams that tested allodynia, up to `until`, oldest first: (day,
    age, the union of the allodynia territories)."""
    exams = {
        pk: (day, age)
        for pk, day, age in SensoryExam.objects.using(using)
        .filter(episode_id=episode_id, day__lte=until)
        .values_list("pk", "day", "age_years")
    }
    findings: dict[int, list[SensoryFinding]] = defaultdict(list)
    for finding in SensoryFinding.objects.using(using).filter(exam_id__in=list(exams)):
        findings[finding.exam_id].append(finding)
    tested = [
        (exams[pk][0], pk, exams[pk][1], allodynia_regions(found))
        for pk, found in findings.items()
        if any(f.kind == "allodynia" for f in found)
    ]
    return [(day, age, regions) for day, _pk, age, regions in sorted(tested)]

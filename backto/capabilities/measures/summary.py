"""Each episode's measure summary (EpisodeMeasureSummary), computed from its administrations.

`measure_summary_values` is the one rule (the caseload's and the outcomes' reading of the scores,
as they were computed per request before); `measure_summaries_refresh` applies it to a set of
episodes inside the transaction of whatever action changed them (core/derived_rows.py). The
refresh takes the models as arguments, so that the migration that first fills the table runs
the same code.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from decimal import Decimal
from typing import Any, TypeVar

from backto.access.patients.models import Episode
from backto.capabilities.measures.models import (
    Administration,
    AdminState,
    EpisodeMeasureSummary,
    Timepoint,
)
from backto.core.derived_rows import rebuild_derived, refresh_derived

T = TypeVar("T")

# The instrument whose scores each outcome field holds, and the time points it is read at.
OUTCOME_FIELDS = {"fdi-child": "fdi", "nrs-pain": "pain", "school": "school"}
OUTCOME_TIMEPOINTS = ("baseline", "discharge", "follow_up")
BAND_FIELDS = {"pcs-c": "pcs_c_band", "pcs-p": "pcs_p_band"}
ROW = ("due_on", "pk", "instrument_id", "timepoint", "score_total", "score_band")
Row = tuple[date, int, str, str, Decimal | None, str]
VALUE_FIELDS = (
    "fdi_first",
    "fdi_last",
    *BAND_FIELDS.values(),
    *(
        f"{name}_{timepoint}"
        for name in OUTCOME_FIELDS.values()
        for timepoint in OUTCOME_TIMEPOINTS
    ),
)


def course_order(due_on: date, timepoint: str, pk: int) -> tuple[date, int, int]:
    """The order of a measure's scores over a course: by due day (a paper baseline typed in late
    is still first), then time point, then as created."""
    return due_on, Timepoint.values.index(timepoint), pk


def baseline_and_latest(
    scored: Sequence[T], timepoint: Callable[[Any], str]
) -> tuple[T | None, T | None]:
    """Of one measure's scores in course order: the baseline administration's (or, without
    one, the first, a substitute), and the latest other one (None until there are two). The
    one rule behind the results pages, the caseload and the outcomes."""
    baseline = next((s for s in scored if timepoint(s) == Timepoint.BASELINE), None)
    if baseline is None and scored:
        baseline = scored[0]
    later = [s for s in scored if s is not baseline]
    return baseline, (later[-1] if later else None)


def _timepoint(row: Row) -> str:
    return row[3]


def measure_summary_values(rows: Sequence[Row]) -> dict[str, Any]:
    """The summary of one episode from its completed administrations as `ROW` tuples, in any
    order (they are taken in course order, `course_order`)."""
    values: dict[str, Any] = dict.fromkeys(VALUE_FIELDS)
    values.update(dict.fromkeys(BAND_FIELDS.values(), ""))
    fdi: list[Row] = []
    for row in sorted(rows, key=lambda r: course_order(r[0], r[3], r[1])):
        _due_on, _pk, instrument_id, timepoint, total, band = row
        if instrument_id in BAND_FIELDS:
            values[BAND_FIELDS[instrument_id]] = band  # the latest wins
        if total is None:
            continue
        if instrument_id == "fdi-child":
            fdi.append(row)
        if instrument_id in OUTCOME_FIELDS and timepoint in OUTCOME_TIMEPOINTS:
            values[f"{OUTCOME_FIELDS[instrument_id]}_{timepoint}"] = total  # the latest wins
    first, last = baseline_and_latest(fdi, _timepoint)
    values["fdi_first"] = None if first is None else first[4]
    values["fdi_last"] = None if last is None else last[4]
    return values


def measure_summaries_refresh(
    episode_ids: Iterable[int],
    *,
    administrations: Any = Administration,
    summaries: Any = EpisodeMeasureSummary,
) -> int:
    """Recompute the summaries of these episodes, inside the caller's transaction (one read of
    their administrations, see core/derived_rows.py). Returns how many."""

    def compute(ids: list[int]) -> dict[int, dict[str, Any]]:
        rows: dict[int, list[Row]] = defaultdict(list)
        # Led by the episode (the state is checked here, not in SQL, so that the database walks
        # the episode index rather than every completed questionnaire).
        for episode_id, state, *row in (
            administrations.objects.filter(episode_id__in=ids)
            .order_by()
            .values_list("episode_id", "state", *ROW)
        ):
            if state == AdminState.COMPLETED:
                rows[episode_id].append(tuple(row))
        return {pk: measure_summary_values(rows[pk]) for pk in ids}

    return refresh_derived(summaries, episode_ids, compute, VALUE_FIELDS)


def measure_summaries_rebuild_all(
    *,
    progress: Any = None,
    episodes: Any = Episode,
    administrations: Any = Administration,
    summaries: Any = EpisodeMeasureSummary,
) -> int:
    """Recompute every episode's summary; `progress` is called with the number done after each
    chunk. Returns how many."""
    return rebuild_derived(
        episodes,
        lambda ids: measure_summaries_refresh(
            ids, administrations=administrations, summaries=summaries
        ),
        progress,
    )

"""The measure plan: which questionnaires, who answers, and when. Plain date arithmetic.

Default template (issue 6): pain NRS, FDI child and parent, PCS-C and PCS-P, FOPQ-C-SF and school
attendance at baseline and discharge; the pain NRS, both FDIs and school every two weeks during
the program and at each follow-up (1, 3, 6 and 12 months after discharge).
"""

from dataclasses import dataclass
from datetime import date, timedelta

FULL_SET = (
    ("nrs-pain", "child"),
    ("fdi-child", "child"),
    ("fdi-parent", "parent"),
    ("pcs-c", "child"),
    ("pcs-p", "parent"),
    ("fopq-c-sf", "child"),
    ("school", "parent"),
)
REPEATED_SET = (
    ("nrs-pain", "child"),
    ("fdi-child", "child"),
    ("fdi-parent", "parent"),
    ("school", "parent"),
)
EVERY_WEEKS = 2


@dataclass(frozen=True)
class Planned:
    instrument_id: str
    respondent: str
    timepoint: str
    label: str
    due_on: date


def program_schedule(start: date, weeks: int, *, every: int = EVERY_WEEKS) -> list[Planned]:
    """Baseline on the first day; then the repeated set every `every` weeks while the program
    runs (not on the last day: discharge measures cover it)."""
    if every < 1 or weeks < 1:
        raise ValueError("weeks and every must be at least 1")
    planned = [Planned(i, r, "baseline", "Baseline", start) for i, r in FULL_SET]
    for week in range(every, weeks, every):
        day = start + timedelta(weeks=week)
        planned += [Planned(i, r, "program", f"Week {week}", day) for i, r in REPEATED_SET]
    return planned


def discharge_schedule(discharged_on: date, follow_ups: list[tuple[int, date]]) -> list[Planned]:
    """The full set at discharge, the repeated set at each follow-up point (months, due date)."""
    planned = [Planned(i, r, "discharge", "Discharge", discharged_on) for i, r in FULL_SET]
    for months, due_on in follow_ups:
        label = "1 month" if months == 1 else f"{months} months"
        planned += [Planned(i, r, "follow_up", label, due_on) for i, r in REPEATED_SET]
    return planned

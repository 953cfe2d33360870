"""The measure plan: which questionnaires, who answers, and when. Plain date arithmetic.

A clinic's template is a list of rows (instrument, respondent, every N weeks). Every row is asked
at baseline (the day the program starts; not a question about change since then, such as a
global impression of change) and at discharge; a row with `every_weeks` > 0 is also
asked every N weeks while the program runs and at each follow-up (1, 3, 6 and 12 months after
discharge); a row `at_follow_up` is asked at each follow-up without being repeated during the
program (a questionnaire about the time since it was last asked: healthcare use, issue 25).
The default template (issue 6): pain NRS, FDI child and parent, PCS-C and PCS-P, FOPQ-C-SF and
school attendance, with the pain NRS, both FDIs and school every two weeks; and (issue 25) the
parent's healthcare-use questionnaire at baseline, discharge and each follow-up.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

EVERY_WEEKS = 2


@dataclass(frozen=True)
class TemplateRow:
    instrument_id: str
    respondent: str
    every_weeks: int = 0  # 0: baseline and discharge only
    at_baseline: bool = True  # false for a question about change (global impression of change)
    # true: also asked at each follow-up though not during the program (every_weeks 0); set
    # from the instrument (Instrument.covers_time_since_last_asked)
    at_follow_up: bool = False

    @property
    def follows_up(self) -> bool:
        """Whether the row is asked at each follow-up point."""
        return self.every_weeks > 0 or self.at_follow_up


DEFAULT_TEMPLATE = (
    TemplateRow("nrs-pain", "child", EVERY_WEEKS),
    TemplateRow("fdi-child", "child", EVERY_WEEKS),
    TemplateRow("fdi-parent", "parent", EVERY_WEEKS),
    TemplateRow("pcs-c", "child"),
    TemplateRow("pcs-p", "parent"),
    TemplateRow("fopq-c-sf", "child"),
    TemplateRow("school", "parent", EVERY_WEEKS),
    TemplateRow("healthcare-use", "parent", at_follow_up=True),
)


@dataclass(frozen=True)
class Planned:
    instrument_id: str
    respondent: str
    timepoint: str
    label: str
    due_on: date


def program_schedule(
    start: date, weeks: int, template: Sequence[TemplateRow] = DEFAULT_TEMPLATE
) -> list[Planned]:
    """Every row on the first day, but for a question about change; then each repeated row every
    N weeks while the program runs (not on the last day: discharge measures cover it)."""
    if weeks < 1:
        raise ValueError("a program lasts at least 1 week")
    planned = [
        Planned(r.instrument_id, r.respondent, "baseline", "Baseline", start)
        for r in template
        if r.at_baseline
    ]
    for row in template:
        if row.every_weeks < 0:
            raise ValueError(f"every_weeks must be 0 or more, not {row.every_weeks}")
        for week in range(row.every_weeks, weeks, row.every_weeks) if row.every_weeks else ():
            day = start + timedelta(weeks=week)
            planned.append(
                Planned(row.instrument_id, row.respondent, "program", f"Week {week}", day)
            )
    return sorted(planned, key=lambda p: (p.due_on, p.instrument_id, p.respondent))


def discharge_schedule(
    discharged_on: date,
    follow_ups: Sequence[tuple[int, date]],
    template: Sequence[TemplateRow] = DEFAULT_TEMPLATE,
) -> list[Planned]:
    """Every row at discharge; the repeated rows, and those asked at follow-ups only, at each
    follow-up point (months, due date)."""
    planned = [
        Planned(r.instrument_id, r.respondent, "discharge", "Discharge", discharged_on)
        for r in template
    ]
    for months, due_on in follow_ups:
        label = "1 month" if months == 1 else f"{months} months"
        planned += [
            Planned(r.instrument_id, r.respondent, "follow_up", label, due_on)
            for r in template
            if r.follows_up
        ]
    return planned

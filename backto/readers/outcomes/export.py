"""The de-identified per-episode export of a cohort: no names, ids or dates; rare values of the
columns that could single a child out (age band, sex, setting, care team) generalized, and the
rows that stay rare withheld, so that every combination of those columns is shared by at least
SMALL_CELL rows. The download is a zip of the CSV and a text that explains it."""

import csv
import hashlib
import io
import zipfile
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings

from backto.access.patients.models import therapy_choices
from backto.readers.outcomes.queries import SMALL_CELL, EpisodeOutcome

QUASI_IDENTIFIERS = ("age_band", "sex", "setting", "care_team")  # what could single a child out
SUPPRESSED = "suppressed"


class TooFewToExport(Exception):
    pass


@dataclass(frozen=True)
class Export:
    records: list[dict[str, str]]
    withheld: int  # rows left out because their combination stayed rare after generalizing
    generalized: tuple[str, ...]  # the columns generalized, in the order they were


def _n(value: object) -> str:
    return "" if value is None else str(value)


def _refuse(why: str) -> TooFewToExport:
    return TooFewToExport(
        f"{why}: it is not exported, so that no child can be recognized. "
        "Choose a longer period or fewer filters."
    )


def _record(row: EpisodeOutcome, disciplines: list[str]) -> dict[str, str]:
    weeks = (row.discharged_on - row.started_on).days // 7 if row.discharged_on else None
    return {
        "age_band": row.age_band,
        "sex": row.sex,
        "setting": row.setting,
        "care_team": "+".join(sorted(row.disciplines)),
        "weeks_in_program": _n(weeks),
        "fdi_admission": _n(row.fdi.get("baseline")),
        "fdi_discharge": _n(row.fdi.get("discharge")),
        "fdi_follow_up": _n(row.fdi.get("follow_up")),
        "fdi_reliable_change": _n(row.change),
        "fdi_recovered": _n(row.recovered),
        "pain_admission": _n(row.pain.get("baseline")),
        "pain_discharge": _n(row.pain.get("discharge")),
        "school_percent_discharge": _n(row.school.get("discharge")),
        "gas_t_discharge": _n(row.gas_discharge),
        "dose_days": str(row.dose_days),
        **{f"dose_hours_{d}": _n(row.dose_hours.get(d)) for d in disciplines},
        "relapse": "yes" if row.relapse else "no",
        "walk_percent_predicted_change": _n(row.walk_percent_change),
        "allodynia_area_change": _n(row.allodynia_change),
        **{
            f"{name}_per_3_months_{when}": _n(pair[index] if pair else None)
            for name, pair in (
                ("medical_visits", row.visits),
                ("emergency_visits", row.emergency),
                ("parent_work_days_missed", row.work_days),
            )
            for index, when in enumerate(("before", "after"))
        },
        "medicines_at_start": _n(row.medicines_at_start if row.discharged_on else None),
        "medicines_stopped_by_discharge": _n(row.medicines_stopped if row.discharged_on else None),
    }


def _combination(record: dict[str, str]) -> tuple[str, ...]:
    return tuple(record[c] for c in QUASI_IDENTIFIERS)


def _rare(records: list[dict[str, str]]) -> list[dict[str, str]]:
    counts = Counter(_combination(r) for r in records)
    return [r for r in records if counts[_combination(r)] < SMALL_CELL]


def k_anonymous(records: list[dict[str, str]], *, unit: str = "patients") -> Export:
    """k-anonymity over the quasi-identifiers together (k = SMALL_CELL): a rare combination of
    common values still singles a child out. Generalize one column at a time, the most varied
    first, for the records still rare; withhold the records that stay rare after every column,
    since blanking them all would leave a small group of its own. Refuse when fewer than
    SMALL_CELL records would remain. `records` are changed in place; `unit` words the refusal
    (an episode is a patient here, a child in the research export). The research export uses it
    too, for one record per child."""
    if len(records) < SMALL_CELL:
        raise _refuse(f"The cohort has fewer than {SMALL_CELL} {unit}")
    generalized = []
    for column in sorted(QUASI_IDENTIFIERS, key=lambda c: -len({r[c] for r in records})):
        rare = _rare(records)
        if not rare:
            break
        generalized.append(column)
        for record in rare:
            record[column] = SUPPRESSED
    withheld = {id(r) for r in _rare(records)}
    kept = [r for r in records if id(r) not in withheld]
    if len(kept) < SMALL_CELL:
        raise _refuse(f"Fewer than {SMALL_CELL} {unit} would remain once rare ones are withheld")
    return Export(records=kept, withheld=len(withheld), generalized=tuple(generalized))


def de_identify(rows: Sequence[EpisodeOutcome]) -> Export:
    """The outcomes rows, one per episode, without ids and k-anonymous (k_anonymous)."""
    if len(rows) < SMALL_CELL:
        raise _refuse(f"The cohort has fewer than {SMALL_CELL} patients")
    disciplines = [value for value, _ in therapy_choices()]
    # A stable order that says nothing about ids or dates: a keyed hash of the episode.
    key = settings.SECRET_KEY.encode()[:64]
    ordered = sorted(
        rows, key=lambda r: hashlib.blake2b(str(r.episode_id).encode(), key=key).hexdigest()
    )
    return k_anonymous([_record(row, disciplines) for row in ordered])


def export_rows(rows: Sequence[EpisodeOutcome]) -> list[dict[str, str]]:
    return de_identify(rows).records


def _csv(records: list[dict[str, str]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(records[0]))
    writer.writeheader()
    writer.writerows(records)
    return out.getvalue()


def companion_text(export: Export, *, cohort_size: int, period: str) -> str:
    generalized = ", ".join(export.generalized) or "none"
    return (
        "BackTo program outcomes: de-identified rows\n"
        f"Period: {period}\n"
        f"Episodes in the cohort: {cohort_size}\n"
        f"Rows in outcomes.csv: {len(export.records)}\n"
        f"Rows withheld: {export.withheld}\n\n"
        "One row per episode of care, with no names, ids or dates (weeks in the program instead),\n"
        "in an order keyed on the server's secret so that it cannot be linked back.\n\n"
        "The columns that could single a child out together (age_band, sex, setting, care_team)\n"
        f"are shared by at least {SMALL_CELL} rows in every combination. To get there, values of\n"
        f'rare rows were replaced by "{SUPPRESSED}", one column at a time (here: {generalized});\n'
        "the rows whose combination was still shared by fewer than "
        f"{SMALL_CELL} rows after that\n"
        "were withheld, because even fully blanked they would form a small group of their own.\n"
        "Withheld rows are counted in the summary on the outcomes page but are not in this file.\n\n"
        "walk_percent_predicted_change: the 6-minute walk's percent of predicted at the episode's\n"
        "latest walk minus its first, up to discharge, in percentage points; empty with fewer than\n"
        "two walks or when the first or latest has no percent (no checked reference applied).\n"
        "allodynia_area_change: the allodynia area (the allodynia territories together as a\n"
        "percentage of body surface, Lund and Browder chart) at the latest sensory exam that\n"
        "tested it minus the first, up to discharge, in percentage points, both territories at\n"
        "the latest exam's age (so that a new age band is not a change of territory); empty\n"
        "with fewer than two such exams. Below zero: the area got smaller.\n"
        "medical_visits, emergency_visits and parent_work_days_missed per_3_months before and\n"
        "after: from the healthcare-use questionnaire (counts x 3 / the months the answers cover),\n"
        "the baseline form about the 3 months before the program and the latest form after it\n"
        "(discharge or a follow-up); medical visits are emergency, urgent-care and specialist\n"
        "visits; empty without both forms.\n"
        "medicines_at_start, medicines_stopped_by_discharge: for a discharged episode, the\n"
        "medicines on the child's list taken when the program started (started by then or start\n"
        "unknown, not stopped before), and how many of them were stopped by the discharge.\n"
    )


def export_zip(rows: Sequence[EpisodeOutcome], *, period: str) -> bytes:
    """The CSV and its companion text, in one zip."""
    export = de_identify(rows)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("outcomes.csv", _csv(export.records))
        archive.writestr("README.txt", companion_text(export, cohort_size=len(rows), period=period))
    return out.getvalue()

"""The research export of a cohort for a study: a zip of one CSV per table, the data dictionary
and a README.txt that says what was withheld and why; one audit event per export (the study, the
cohort's filters and the counts, never a name). Shared by the page and `backto research_export`."""

import csv
import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from backto.audit.log import audit
from backto.audit.models import Action
from backto.readers.research import dictionary
from backto.readers.research.deidentify import QUASI_IDENTIFIERS, SMALL_CELL
from backto.readers.research.models import ResearchStudy
from backto.readers.research.pseudonyms import SHIFT_DAYS
from backto.readers.research.queries import CohortFilter, cohort_records, no_progress
from backto.readers.research.tables import Tables, build_tables

STEPS = 6  # how many times `progress` is called with 1: the cohort, four parts, the zip


@dataclass(frozen=True)
class ResearchExport:
    archive: bytes
    cohort_children: int
    participants: int
    withheld: int
    rows: dict[str, int]


def _csv(columns: tuple[str, ...] | list[str], rows: list[dict[str, str]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(columns), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def readme(study: ResearchStudy, cohort_filter: CohortFilter, tables: Tables) -> str:
    p = tables.participants
    generalized = ", ".join(p.generalized) or "none"
    counts = "\n".join(f"  {name}.csv: {len(rows)} rows" for name, rows in tables.rows.items())
    left_out = (
        "\n".join(f"  {what}: {n}" for what, n in sorted(tables.left_out.items()) if n) or "  none"
    )
    cohort = f"programs started {cohort_filter.start} to {cohort_filter.end}" + (
        ", discharged only" if cohort_filter.discharged_only else ""
    )
    return f"""BackTo research export
Study: {study.code}
Cohort: {cohort} (real dates; the dates in the files are shifted)
Children in the cohort: {tables.cohort_children}
Children exported: {len(p.records)}
Children withheld: {p.withheld}

Files
{counts}
  data_dictionary.csv: every column of every table: meaning, type, allowed values, units
  item_dictionary.csv: every questionnaire and diary item: linkId, label, type, answers, exported
  scoring_rules.csv: every instrument version's scoring rule, as the scoring engine states it

Study ids
Each child is a study id ("S-" and 12 hexadecimal digits): a keyed hash (HMAC-SHA256) of the
record id under this study's own random key, which is kept by the clinic and never exported. The
same child has the same study id in every export of study {study.code}, and another one in every
other study. No record id, name, birth date or contact detail is in any file.

Dates
Every date of a child is moved by the same number of days, between -{SHIFT_DAYS} and +{SHIFT_DAYS} and never 0,
worked out from the study's key and the child (so the same in every export of this study).
Intervals within a child (days in the program, days between questionnaires) are kept; calendar
dates, weekdays and the days between two children are not. Ages are whole years at the start of
the child's first program in the cohort, from the real dates, in the outcomes export's bands.

Small cells and k-anonymity (the outcomes export's rules)
The columns that could single a child out together ({", ".join(QUASI_IDENTIFIERS)}) are shared
by at least {SMALL_CELL} children in every combination in participants.csv. To get there, values of
rare children were replaced by "suppressed", one column at a time (here: {generalized});
the children whose combination was still shared by fewer than {SMALL_CELL} after that were
withheld: none of their rows is in any file. A cohort with fewer than {SMALL_CELL} children left is
not exported.

Left out, always
- Names, record ids, birth dates, exact ages, schools, addresses, contact details.
- Free text: questionnaire and diary answers written in words ("what I did", "my win"), notes
  of tests and exams, the joints typed at an exam, and a functional test's age, sex and height
  (they are in participants.csv, generalized).
- A teen's diary answers kept from their guardians (mood, what they did, their win): only the
  care team reads them, and they are never exported. Whether a diary raised a safety alert is not
  exported either (it would tell a private answer).
- Diary days outside every program of the child in the cohort.
Counted in this export:
{left_out}
"""


def research_export(
    *,
    by: Any,
    study: ResearchStudy,
    cohort_filter: CohortFilter,
    progress: Callable[[int], object] = no_progress,
) -> ResearchExport:
    """The zip for this study and cohort, audited once. Raises TooFewToExport (nothing
    audited, nothing written) when the small-cell rules refuse it."""
    records = cohort_records(study.clinic, cohort_filter)
    progress(1)
    tables = build_tables(records, study.key, progress=progress)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, table in tables.rows.items():
            with archive.open(f"{name}.csv", "w") as member:  # piece by piece: no second copy
                for chunk in table.chunks():
                    member.write(chunk.encode())
        archive.writestr(
            "data_dictionary.csv", _csv(dictionary.DICTIONARY_COLUMNS, dictionary.column_rows())
        )
        archive.writestr(
            "item_dictionary.csv", _csv(dictionary.ITEM_COLUMNS, dictionary.item_rows())
        )
        archive.writestr("scoring_rules.csv", _csv(dictionary.RULE_COLUMNS, dictionary.rule_rows()))
        archive.writestr("README.txt", readme(study, cohort_filter, tables))
    progress(1)
    counts = {name: len(rows) for name, rows in tables.rows.items()}
    audit(
        by=by,
        action=Action.EXPORT,
        obj=study,
        detail=(
            f"research {study.code} {cohort_filter}: {tables.cohort_children} children, "
            f"{len(tables.participants.records)} exported, {tables.participants.withheld} "
            f"withheld; {counts['questionnaire_answers']} answers, "
            f"{counts['diary_answers']} diary, {counts['functional_tests']} tests"
        ),
    )
    return ResearchExport(
        archive=out.getvalue(),
        cohort_children=tables.cohort_children,
        participants=len(tables.participants.records),
        withheld=tables.participants.withheld,
        rows=counts,
    )

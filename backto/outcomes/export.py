"""The de-identified per-episode export of a cohort: no names, ids or dates; rare values of the
columns that could single a child out (age band, sex, setting, care team) suppressed."""

import csv
import hashlib
import io
from collections import Counter
from collections.abc import Sequence

from django.conf import settings

from backto.outcomes.queries import SMALL_CELL, EpisodeOutcome
from backto.patients.models import TherapyDiscipline

QUASI_IDENTIFIERS = ("age_band", "sex", "setting", "care_team")  # what could single a child out
SUPPRESSED = "suppressed"


class TooFewToExport(Exception):
    pass


def _n(value: object) -> str:
    return "" if value is None else str(value)


def export_rows(rows: Sequence[EpisodeOutcome]) -> list[dict[str, str]]:
    if len(rows) < SMALL_CELL:
        raise TooFewToExport(
            f"The cohort has fewer than {SMALL_CELL} patients: it is not exported, so that no "
            "child can be recognized. Choose a longer period or fewer filters."
        )
    disciplines = [value for value, _ in TherapyDiscipline.choices]
    records = []
    # A stable order that says nothing about ids or dates: a keyed hash of the episode.
    key = settings.SECRET_KEY.encode()
    for row in sorted(
        rows, key=lambda r: hashlib.blake2b(str(r.episode_id).encode(), key=key[:64]).hexdigest()
    ):
        weeks = (row.discharged_on - row.started_on).days // 7 if row.discharged_on else None
        record = {
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
        }
        records.append(record)

    # k-anonymity over the columns together: a rare combination of common values still
    # singles a child out. Generalize one column at a time, the most varied first, until every
    # combination is shared by at least SMALL_CELL rows.
    def rare() -> list[dict[str, str]]:
        counts = Counter(tuple(r[c] for c in QUASI_IDENTIFIERS) for r in records)
        return [r for r in records if counts[tuple(r[c] for c in QUASI_IDENTIFIERS)] < SMALL_CELL]

    columns = sorted(QUASI_IDENTIFIERS, key=lambda c: -len({r[c] for r in records}))
    for column in columns:
        if not rare():
            break
        for record in rare():
            record[column] = SUPPRESSED
    for record in rare():  # what still stands out after every column: nothing identifying left
        for column in QUASI_IDENTIFIERS:
            record[column] = SUPPRESSED
    return records


def export_csv(rows: Sequence[EpisodeOutcome]) -> str:
    records = export_rows(rows)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(records[0]))
    writer.writeheader()
    writer.writerows(records)
    return out.getvalue()

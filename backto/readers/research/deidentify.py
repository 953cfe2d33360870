"""k-anonymity for the research export's participants, by the outcomes export's rule and with
its pieces (`backto.readers.outcomes.export`): the same quasi-identifiers (age band, sex, setting,
care team), the same k (SMALL_CELL, 5), the same "suppressed" value, the same test of a rare row
and the same refusal. Here a row is a child rather than an episode, and it carries the child's
study id so that the child's other tables follow what happens to their row."""

from dataclasses import dataclass

from backto.readers.outcomes.export import (
    QUASI_IDENTIFIERS,
    SUPPRESSED,
    TooFewToExport,
    _rare,
    _refuse,
)
from backto.readers.outcomes.queries import SMALL_CELL

__all__ = ["QUASI_IDENTIFIERS", "SMALL_CELL", "Participants", "TooFewToExport", "de_identify"]


@dataclass(frozen=True)
class Participants:
    records: list[dict[str, str]]  # kept: the study id and the quasi-identifiers
    withheld: int  # children left out because their combination stayed rare
    generalized: tuple[str, ...]  # the columns generalized, in the order they were


def de_identify(records: list[dict[str, str]]) -> Participants:
    """Generalize one quasi-identifier at a time, the most varied first, for the children whose
    combination is shared by fewer than SMALL_CELL children; withhold those still rare after
    every column; refuse when fewer than SMALL_CELL children would remain. `records` are
    changed in place."""
    if len(records) < SMALL_CELL:
        raise _refuse(f"The cohort has fewer than {SMALL_CELL} children")
    generalized = []
    for column in sorted(QUASI_IDENTIFIERS, key=lambda c: (-len({r[c] for r in records}), c)):
        rare = _rare(records)
        if not rare:
            break
        generalized.append(column)
        for record in rare:
            record[column] = SUPPRESSED
    withheld = {r["study_id"] for r in _rare(records)}
    kept = [r for r in records if r["study_id"] not in withheld]
    if len(kept) < SMALL_CELL:
        raise _refuse(f"Fewer than {SMALL_CELL} children would remain once rare ones are withheld")
    return Participants(records=kept, withheld=len(withheld), generalized=tuple(generalized))

"""k-anonymity for the research export's participants, by the outcomes export's rule and with
its pieces (`backto.readers.outcomes.export`): the same quasi-identifiers (age band, sex, setting,
care team), the same k (SMALL_CELL, 5), the same "suppressed" value, the same test of a rare row
and the same refusal. Here a row is a child rather than an episode, and it carries the child's
study id so that the child's other tables follow what happens to their row."""

from dataclasses import dataclass

from backto.readers.outcomes.export import QUASI_IDENTIFIERS, TooFewToExport, k_anonymous
from backto.readers.outcomes.queries import SMALL_CELL

__all__ = ["QUASI_IDENTIFIERS", "SMALL_CELL", "Participants", "TooFewToExport", "de_identify"]


@dataclass(frozen=True)
class Participants:
    records: list[dict[str, str]]  # kept: the study id and the quasi-identifiers
    withheld: int  # children left out because their combination stayed rare
    generalized: tuple[str, ...]  # the columns generalized, in the order they were


def de_identify(records: list[dict[str, str]]) -> Participants:
    """The outcomes export's k-anonymity (`k_anonymous`), one record per child: generalize,
    withhold the children still rare, refuse when fewer than SMALL_CELL would remain. `records`
    are changed in place."""
    done = k_anonymous(records, unit="children")
    return Participants(records=done.records, withheld=done.withheld, generalized=done.generalized)

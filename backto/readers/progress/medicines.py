"""A child's medicines in the letters (issue 25): the list as the family and the care team keep
it (backto/capabilities/medicines), the medicines stopped while the program ran, and how much of
the list a physician has confirmed. Names, purposes and dates only: BackTo records no dose and
gives no advice about a medicine."""

from dataclasses import dataclass
from datetime import date

from backto.access.patients.models import Episode
from backto.capabilities.medicines.models import Medicine
from backto.capabilities.medicines.queries import stopped_between, taken_on


@dataclass(frozen=True)
class LetterMedicines:
    current: list[Medicine]  # not stopped by the letter's day
    stopped_in_program: list[Medicine]  # stopped between the program's start and that day
    reduced_in_program: list[Medicine]  # of the current ones, those cut down in that time
    unconfirmed: int  # entries of those two no physician has confirmed as they read now

    @property
    def any(self) -> bool:
        return bool(self.current or self.stopped_in_program)


def letter_medicines(episode: Episode, *, start: date, until: date) -> LetterMedicines:
    """One query. The list as it stood on `until` (a discharge summary printed later still reads
    as on the discharge): taken that day, and stopped or cut down from `start` to that day."""
    entries = list(
        Medicine.objects.filter(patient_id=episode.patient_id).order_by("name", "started_on", "pk")
    )
    current = taken_on(entries, until)
    stopped = stopped_between(entries, start, until)
    return LetterMedicines(
        current=current,
        stopped_in_program=stopped,
        reduced_in_program=[
            m for m in current if m.reduced_on is not None and start <= m.reduced_on <= until
        ],
        unconfirmed=sum(1 for m in current + stopped if m.confirmed_at is None),
    )

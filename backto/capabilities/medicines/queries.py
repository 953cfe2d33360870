"""Reads of the medicine lists: a child's list for its page and the dashboards, and the clinic's
names for the form's picker."""

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from backto.access.accounts.models import Clinic
from backto.access.patients.models import Patient
from backto.capabilities.medicines.models import Medicine, MedicineName
from backto.capabilities.medicines.vocabulary import STARTER_NAMES


def medicines_of(patient: Patient) -> list[Medicine]:
    """The child's whole list, current ones first (by name), then the stopped ones."""
    entries = Medicine.objects.filter(patient=patient).select_related(
        "added_by", "changed_by", "confirmed_by"
    )
    return sorted(entries, key=lambda m: (m.stopped, m.name.casefold(), m.pk))


def list_token(entries: Iterable[Medicine]) -> str:
    """Names the list exactly as a physician is shown it, so that a confirmation is of that
    list only (any entry added or changed since gives another token)."""
    text = "\0".join(
        f"{m.pk}:{m.updated_at.isoformat()}" for m in sorted(entries, key=lambda m: m.pk)
    )
    return hashlib.sha256(text.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class ListState:
    """Where a child's list stands: how many entries, how many still wait for a physician's
    confirmation, and the last confirmation (who, when) of the others."""

    current: int
    stopped: int
    waiting: int
    confirmed_by: str
    confirmed_at: datetime | None


def list_state(entries: list[Medicine]) -> ListState:
    confirmed = sorted(
        (m for m in entries if m.confirmed_at is not None),
        key=lambda m: (m.confirmed_at, m.pk),
    )
    last = confirmed[-1] if confirmed else None
    return ListState(
        current=sum(1 for m in entries if not m.stopped),
        stopped=sum(1 for m in entries if m.stopped),
        waiting=len(entries) - len(confirmed),
        confirmed_by=last.confirmed_by.name if last and last.confirmed_by else "",
        confirmed_at=last.confirmed_at if last else None,
    )


def clinic_keeps_own_names(clinic: Clinic) -> bool:
    return MedicineName.objects.filter(clinic=clinic).exists()


def names_offered(clinic: Clinic) -> list[str]:
    """The names the add form offers: the clinic's active ones, or the starter names while the
    clinic keeps no list of its own."""
    rows = list(MedicineName.objects.filter(clinic=clinic).values_list("name", "active"))
    if not rows:
        return sorted(STARTER_NAMES, key=str.casefold)
    return sorted((name for name, active in rows if active), key=str.casefold)


# --- For the readers (physician letter, discharge summary, outcomes) -----------------------------


def taken_on(entries: Iterable[Medicine], day: date) -> list[Medicine]:
    """The entries taken on `day`: started by then (or when it started is not known) and not yet
    stopped. A month-only date counts from the month's first day."""
    return [
        m
        for m in entries
        if (m.started_on is None or m.started_on <= day)
        and (m.stopped_on is None or m.stopped_on > day)
    ]


def stopped_between(entries: Iterable[Medicine], start: date, end: date) -> list[Medicine]:
    """The entries stopped from `start` to `end`, both included (an episode's program): what a
    letter reports as "stopped by discharge". Never a judgement of the medicine."""
    return [m for m in entries if m.stopped_on is not None and start <= m.stopped_on <= end]

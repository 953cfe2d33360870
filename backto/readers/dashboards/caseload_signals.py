"""What the caseload shows and flags for each child: the days in the program (the access layer's
one definition, `patients.program.days_in_program`), and what each capability says of the child
(`backto.core.dashboard.CaseloadSignal`: the diary's last day, the questionnaires due, the FDI,
flags and what needs doing). One query here for the program, and one or two per capability, for
the whole list.

The flags and their rules live with their sources: a safety answer not yet acknowledged
(alerts), no diary for a few days (diary), and the clinical ones — no reliable FDI improvement,
function falling, pain catastrophizing high — in `backto.clinical.caseload`, called by the
measures and the diary.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from backto.access.patients.models import Episode
from backto.access.patients.program import days_in_program, program_end_day, program_started_at
from backto.core.dashboard import CaseloadChild, dashboards
from backto.core.fixed_sql import fixed_query


def flag_labels() -> dict[str, str]:
    """Flag key -> label, in order: every flag a capability may raise."""
    return dashboards.caseload_flags()


@dataclass
class Signals:
    program_start: date | None = None
    program_end: date | None = None
    days_in_program: int | None = None
    last_diary: date | None = None  # the child's or a parent's
    due: int = 0
    overdue: int = 0
    fdi: list[Decimal] = field(default_factory=list)  # the child's FDI: baseline, latest
    flags: list[str] = field(default_factory=list)  # keys of flag_labels(), in order
    todo: list[str] = field(default_factory=list)  # what the capabilities say needs doing

    @property
    def fdi_change(self) -> Decimal | None:
        return self.fdi[-1] - self.fdi[0] if len(self.fdi) >= 2 else None

    @property
    def flag_labels(self) -> list[str]:
        labels = flag_labels()
        return [labels[f] for f in self.flags]


@fixed_query
def _program(*, episode_ids: list[int]) -> QuerySet[Any]:
    return (
        Episode.objects.filter(pk__in=episode_ids)
        .annotate(started_at=program_started_at())
        .values_list("pk", "state", "state_changed_at", "discharge__discharged_on", "started_at")
    )


def caseload_signals(
    rows: Sequence[tuple[int, int | None, bool]], today: date, *, viewer: Any
) -> dict[int, Signals]:
    """For (patient id, latest episode id, episode active) rows. The program's days are read
    here; the rest comes from the capabilities' sources, each asked once for every row. The
    viewer goes with them: the safety flag counts only the alerts the viewer may know of."""
    signals = {pid: Signals() for pid, _episode_id, _active in rows}
    by_episode = {episode_id: pid for pid, episode_id, _active in rows if episode_id is not None}
    for episode_id, state, changed_at, discharged_on, started_at in _program(
        episode_ids=list(by_episode)
    ):
        s = signals[by_episode[episode_id]]
        s.program_start = None if started_at is None else timezone.localdate(started_at)
        s.program_end = program_end_day(state, changed_at, discharged_on)
        s.days_in_program = days_in_program(s.program_start, ended=s.program_end, today=today)
    children = [
        CaseloadChild(pid, episode_id, active, signals[pid].days_in_program)
        for pid, episode_id, active in rows
    ]
    for pid, said in dashboards.signals_for(children, today, viewer).items():
        s = signals[pid]
        s.flags = dashboards.flag_order(f for one in said for f in one.flags)
        s.todo = [line for one in said for line in one.todo]
        s.last_diary = max((one.last_diary for one in said if one.last_diary), default=None)
        s.due = sum(one.due for one in said)
        s.overdue = sum(one.overdue for one in said)
        s.fdi = next((list(one.fdi) for one in said if one.fdi), [])
    return signals

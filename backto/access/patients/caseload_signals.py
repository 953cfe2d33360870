"""What the caseload flags for each child, read in a fixed number of queries for the whole list:
the days in the program and the last diary day (each by its one definition:
`patients.program.days_in_program`, `diary.queries.last_diary_days`), the questionnaires due and
overdue, the FDI from baseline to the latest, the diary's activity in the last two fortnights,
and open safety alerts.

Flags (CLINICAL.md's reading of a program that is off track):
- a safety answer not yet acknowledged;
- no diary (the child's or a parent's) for NO_DIARY_DAYS days while the program runs;
- no reliable improvement of the child's FDI after NO_IMPROVEMENT_WEEKS weeks in the program;
- function falling: the FDI reliably worse than at baseline, or the diary's activity down by
  ACTIVITY_DROP points (0-4) from one fortnight to the next;
- pain catastrophizing high: the child's latest PCS-C in the instrument's top band ("high", 26
  and above: Pielech et al., Pain 2014);
- parent's pain catastrophizing high: the latest PCS-P in its top band ("high", 23 and above, as
  a pediatric registry uses it; configurable in the instrument file).
Each follows the band its own instrument file defines, never a threshold of its own.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Avg, Count, FloatField, OuterRef, Q, Subquery
from django.db.models.fields.json import KT
from django.db.models.functions import Cast
from django.utils import timezone

from backto.access.patients.models import Episode
from backto.access.patients.program import days_in_program, program_end_day, program_started_at
from backto.capabilities.alerts.models import SafetyAlert
from backto.capabilities.diary.models import DiaryEntry, Respondent
from backto.capabilities.diary.queries import last_diary_days
from backto.capabilities.measures.models import (
    ANSWERABLE_STATES,
    OVERDUE_AFTER_DAYS,
    Administration,
)
from backto.clinical.instrument_registry import instrument_registry
from backto.clinical.reliable_change import instrument_reliable_change

NO_DIARY_DAYS = 3
NO_IMPROVEMENT_WEEKS = 6
ACTIVITY_DROP = 0.75

FLAG_LABELS = {
    "safety": "Safety answer",
    "no_diary": f"No diary for {NO_DIARY_DAYS}+ days",
    "no_improvement": f"No reliable FDI improvement after {NO_IMPROVEMENT_WEEKS} weeks",
    "function_falling": "Function falling",
    "catastrophizing": "Pain catastrophizing high",
    "parent_catastrophizing": "Parent's pain catastrophizing high",
}
CATASTROPHIZING = {"pcs-c": "catastrophizing", "pcs-p": "parent_catastrophizing"}


def top_band(instrument_id: str) -> str | None:
    """The label of the instrument's top band (the one without an upper bound: the worst, for
    these scales), as its file defines it; None without bands."""
    instrument = instrument_registry().find(instrument_id)
    scoring = instrument.scoring if instrument is not None else None
    if scoring is None:
        return None
    return next((band.label for band in scoring.bands if band.upper is None), None)


@dataclass
class Signals:
    program_start: date | None = None
    program_end: date | None = None
    days_in_program: int | None = None
    last_diary: date | None = None  # the child's or a parent's
    due: int = 0
    overdue: int = 0
    fdi: list[Decimal] = field(default_factory=list)  # the child's FDI: baseline, latest
    flags: list[str] = field(default_factory=list)  # keys of FLAG_LABELS

    @property
    def fdi_change(self) -> Decimal | None:
        return self.fdi[-1] - self.fdi[0] if len(self.fdi) >= 2 else None

    @property
    def flag_labels(self) -> list[str]:
        return [FLAG_LABELS[f] for f in self.flags]


def caseload_signals(
    rows: Sequence[tuple[int, int | None, bool]], today: date, *, viewer: Any
) -> dict[int, Signals]:
    """For (patient id, latest episode id, episode active) rows: four queries in all. The
    scores come from each episode's measure summary; the program's days, the questionnaires
    due, the diary and the alerts are read as they stand today. The safety flag counts only the
    alerts the viewer may know of (one raised from a teen's private answer: the care team)."""
    patient_ids = [r[0] for r in rows]
    episode_ids = [r[1] for r in rows if r[1] is not None]
    signals = {pid: Signals() for pid in patient_ids}
    by_episode = {r[1]: r[0] for r in rows if r[1] is not None}
    # Each episode's program start, questionnaires due (the state is a condition of the count,
    # not of the query, so that the database walks the episode index rather than every due one)
    # and measure summary, in one query.
    overdue_before = today - timedelta(days=OVERDUE_AFTER_DAYS)
    answerable = Q(state__in=ANSWERABLE_STATES)
    bands: dict[int, dict[str, str]] = {}  # the latest PCS-C and PCS-P bands
    for (
        episode_id,
        state,
        changed_at,
        discharged_on,
        started_at,
        due,
        overdue,
        first,
        last,
        pcs_c,
        pcs_p,
    ) in (
        Episode.objects.filter(pk__in=episode_ids)
        .annotate(
            started_at=program_started_at(),
            due=_count_administrations(answerable),
            overdue=_count_administrations(answerable & Q(due_on__lt=overdue_before)),
        )
        .values_list(
            "pk",
            "state",
            "state_changed_at",
            "discharge__discharged_on",
            "started_at",
            "due",
            "overdue",
            "measure_summary__fdi_first",
            "measure_summary__fdi_last",
            "measure_summary__pcs_c_band",
            "measure_summary__pcs_p_band",
        )
    ):
        s = signals[by_episode[episode_id]]
        s.program_start = None if started_at is None else timezone.localdate(started_at)
        s.program_end = program_end_day(state, changed_at, discharged_on)
        s.days_in_program = days_in_program(s.program_start, ended=s.program_end, today=today)
        s.due, s.overdue = due or 0, overdue or 0
        s.fdi = [v for v in (first, last) if v is not None]
        bands[by_episode[episode_id]] = {"pcs-c": pcs_c or "", "pcs-p": pcs_p or ""}

    fortnight = today - timedelta(days=14)
    activity = Cast(KT("answers__activity"), FloatField())
    recent: dict[int, tuple[float | None, float | None]] = {}
    for pid, now, before in (
        DiaryEntry.objects.filter(
            patient_id__in=patient_ids,
            respondent=Respondent.CHILD,
            day__gt=today - timedelta(days=28),
        )
        .values("patient_id")
        .annotate(
            now=Avg(activity, filter=Q(day__gt=fortnight)),
            before=Avg(activity, filter=Q(day__lte=fortnight)),
        )
        .values_list("patient_id", "now", "before")
    ):
        recent[pid] = (now, before)
    for pid, last_day in last_diary_days(patient_ids).items():
        signals[pid].last_diary = last_day
    alerted = set(
        SafetyAlert.objects.open()
        .filter(patient_id__in=patient_ids)
        .visible_to(viewer)
        .values_list("patient_id", flat=True)
    )

    fdi_child = instrument_registry().find("fdi-child")
    high = {instrument_id: top_band(instrument_id) for instrument_id in CATASTROPHIZING}
    for pid, _episode_id, active in rows:
        s = signals[pid]
        days = s.days_in_program or 0
        if pid in alerted:
            s.flags.append("safety")
        quiet = s.last_diary is None or (today - s.last_diary).days >= NO_DIARY_DAYS
        if active and days >= NO_DIARY_DAYS and quiet:
            s.flags.append("no_diary")
        change = None
        if fdi_child is not None and len(s.fdi) >= 2:
            change = instrument_reliable_change(fdi_child, s.fdi[0], s.fdi[-1]).classification
        weeks = days // 7
        if active and weeks >= NO_IMPROVEMENT_WEEKS and change != "reliably improved":
            s.flags.append("no_improvement")
        now, before = recent.get(pid, (None, None))
        dropped = now is not None and before is not None and before - now >= ACTIVITY_DROP
        if active and (change == "reliably worse" or dropped):
            s.flags.append("function_falling")
        for instrument_id, flag in CATASTROPHIZING.items():
            band = bands.get(pid, {}).get(instrument_id)
            if band and band == high[instrument_id]:
                s.flags.append(flag)
    return signals


def _count_administrations(condition: Q) -> Subquery:
    """How many of the episode's questionnaires meet the condition (None for none at all)."""
    return Subquery(
        Administration.objects.filter(episode=OuterRef("pk"))
        .order_by()
        .values("episode")
        .annotate(n=Count("pk", filter=condition))
        .values("n")
    )

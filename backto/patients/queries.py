"""Reads for the caseload and the family home, with a fixed number of queries per page."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Prefetch
from django.utils import timezone

from backto.accounts.models import User
from backto.patients.access import patients_for
from backto.patients.caseload_signals import Signals, caseload_signals
from backto.patients.lifecycle import OPEN_STATES, EpisodeState
from backto.patients.models import CareTeamMember, Episode, Patient


@dataclass
class CaseloadRow:
    patient: Patient
    episode: Episode | None
    lead: CareTeamMember | None
    on_my_team: bool
    signals: Signals
    todo: list[str] = field(default_factory=list)

    @property
    def days_in_program(self) -> int | None:
        start = self.signals.program_start
        return None if start is None else (timezone.localdate() - start).days

    @property
    def days_in_state(self) -> int | None:
        if self.episode is None:
            return None
        return (timezone.localdate() - timezone.localdate(self.episode.state_changed_at)).days


def _todo(episode: Episode | None, lead: CareTeamMember | None) -> list[str]:
    if episode is None or not episode.is_open:
        return []
    todo = []
    if episode.state == EpisodeState.REFERRED:
        todo.append("Start intake")
    if episode.state == EpisodeState.INTAKE:
        todo.append("Finish intake and start the program")
    if lead is None:
        todo.append("Choose a care team lead")
    if episode.state == EpisodeState.DISCHARGED:
        todo.append("Begin follow-up")
    return todo


def _overdue(count: int) -> list[str]:
    if not count:
        return []
    return [f"{count} questionnaire{'s' if count > 1 else ''} overdue"]


def latest_episodes_prefetch() -> Prefetch:
    return Prefetch(
        "episodes",
        queryset=Episode.objects.order_by("-referral_date", "-id").prefetch_related(
            Prefetch(
                "care_team",
                queryset=CareTeamMember.objects.select_related("clinician"),
            )
        ),
        to_attr="episode_list",
    )


SORT_LABELS = {
    "name": "Name",
    "days": "Longest in the program",
    "diary": "Longest without a diary",
    "flags": "Most flags",
}
PAGE_SIZE = 50


@dataclass(frozen=True)
class _Entry:
    """What sorting and filtering need, for every child on the caseload: no model objects."""

    patient_id: int
    name: str
    episode_id: int | None
    state: str | None
    signals: Signals


def _sort_key(sort: str, today: date) -> Callable[[_Entry], tuple[object, ...]]:
    def days(entry: _Entry) -> int:
        start = entry.signals.program_start
        return (today - start).days if start else -1

    def quiet(entry: _Entry) -> int:
        since = entry.signals.days_since_diary
        return since if since is not None else 10**6

    keys: dict[str, Callable[[_Entry], tuple[object, ...]]] = {
        "name": lambda e: (e.name, e.patient_id),
        "days": lambda e: (-days(e), e.name, e.patient_id),
        "diary": lambda e: (-quiet(e), e.name, e.patient_id),
        "flags": lambda e: (-len(e.signals.flags), e.name, e.patient_id),
    }
    return keys.get(sort, keys["name"])


SORTS = frozenset(SORT_LABELS)


@dataclass
class Caseload:
    rows: list[CaseloadRow]  # this page's
    total: int  # children matching the filters
    page: int
    pages: int


def caseload(
    user: User,
    *,
    everyone: bool = False,
    state: str = "",
    flag: str = "",
    sort: str = "name",
    page: int = 1,
) -> Caseload:
    """Children on this person's care teams (or the whole clinic with `everyone` for
    clinic-wide roles), with their latest episode and what the caseload flags (see
    caseload_signals), filtered, sorted and cut into pages of PAGE_SIZE. Filtering and sorting
    work on plain values for every child; model objects are loaded for one page only. The same
    number of queries however many children."""
    patients = patients_for(user)
    if not everyone:
        patients = patients.filter(episodes__care_team__clinician=user).distinct()
    names = dict(patients.values_list("pk", "legal_name"))
    latest: dict[int, tuple[int | None, str | None]] = {}
    for pk, patient_id, episode_state in (
        Episode.objects.filter(patient_id__in=list(names))
        .order_by("patient_id", "-referral_date", "-id")
        .values_list("pk", "patient_id", "state")
    ):
        latest.setdefault(patient_id, (pk, episode_state))
    today = timezone.localdate()

    def read_signals(ids: list[int]) -> dict[int, Signals]:
        return caseload_signals(
            [
                (
                    pid,
                    latest[pid][0] if pid in latest else None,
                    latest.get(pid, (0, ""))[1] == EpisodeState.ACTIVE,
                )
                for pid in ids
            ],
            today,
        )

    # A flag filter, or a sort by what the flags measure, needs every child's signals; the
    # default view (by name) needs them only for the page shown.
    everyone_signals = read_signals(list(names)) if flag or sort != "name" else {}
    entries = []
    for pid, name in names.items():
        episode_id, current_state = latest.get(pid, (None, None))
        entries.append(
            _Entry(pid, name, episode_id, current_state, everyone_signals.get(pid, Signals()))
        )
    if state == "open":
        entries = [e for e in entries if e.state in OPEN_STATES]
    elif state:
        entries = [e for e in entries if e.state == state]
    if flag:
        entries = [e for e in entries if flag in e.signals.flags]
    entries.sort(key=_sort_key(sort, today))
    pages = max(1, -(-len(entries) // PAGE_SIZE))
    page = min(max(1, page), pages)
    shown = entries[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    signals = everyone_signals or read_signals([e.patient_id for e in shown])
    objects = Patient.objects.prefetch_related(latest_episodes_prefetch()).in_bulk(
        [e.patient_id for e in shown]
    )
    rows = []
    for entry in shown:
        patient = objects[entry.patient_id]
        episode = patient.episode_list[0] if patient.episode_list else None  # type: ignore[attr-defined]
        team = list(episode.care_team.all()) if episode else []
        lead = next((m for m in team if m.is_lead), None)
        found = signals[entry.patient_id]
        rows.append(
            CaseloadRow(
                patient=patient,
                episode=episode,
                lead=lead,
                on_my_team=any(m.clinician_id == user.pk for m in team),
                signals=found,
                todo=_todo(episode, lead) + _overdue(found.overdue),
            )
        )
    return Caseload(rows=rows, total=len(entries), page=page, pages=pages)

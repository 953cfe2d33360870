"""Reads for the caseload and the family home, with a fixed number of queries per page."""

from dataclasses import dataclass, field

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
SORTS = {
    "name": lambda row: (row.patient.legal_name, row.patient.pk),
    "days": lambda row: (-(row.days_in_program or -1), row.patient.legal_name),
    "diary": lambda row: (
        -(row.signals.days_since_diary if row.signals.days_since_diary is not None else 10**6),
        row.patient.legal_name,
    ),
    "flags": lambda row: (-len(row.signals.flags), row.patient.legal_name),
}


def caseload(
    user: User, *, everyone: bool = False, state: str = "", flag: str = "", sort: str = "name"
) -> list[CaseloadRow]:
    """Children on this person's care teams (or the whole clinic with `everyone` for
    clinic-wide roles), with their latest episode and what the caseload flags (see
    caseload_signals), filtered by a flag and sorted. Eleven queries however many children."""
    patients = patients_for(user)
    if not everyone:
        patients = patients.filter(episodes__care_team__clinician=user).distinct()
    listed = list(patients.prefetch_related(latest_episodes_prefetch()).order_by("legal_name"))
    today = timezone.localdate()
    signals = caseload_signals(
        [
            (
                p.pk,
                p.episode_list[0].pk if p.episode_list else None,  # type: ignore[attr-defined]
                bool(p.episode_list) and p.episode_list[0].state == EpisodeState.ACTIVE,  # type: ignore[attr-defined]
            )
            for p in listed
        ],
        today,
    )
    rows = []
    for patient in listed:
        episode = patient.episode_list[0] if patient.episode_list else None  # type: ignore[attr-defined]
        team = list(episode.care_team.all()) if episode else []
        if state == "open" and (episode is None or episode.state not in OPEN_STATES):
            continue
        if state and state != "open" and (episode is None or episode.state != state):
            continue
        lead = next((m for m in team if m.is_lead), None)
        rows.append(
            CaseloadRow(
                patient=patient,
                episode=episode,
                lead=lead,
                on_my_team=any(m.clinician_id == user.pk for m in team),
                signals=signals[patient.pk],
                todo=_todo(episode, lead) + _overdue(signals[patient.pk].overdue),
            )
        )
    if flag:
        rows = [row for row in rows if flag in row.signals.flags]
    return sorted(rows, key=SORTS.get(sort, SORTS["name"]))

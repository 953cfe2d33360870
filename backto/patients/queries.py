"""Reads for the caseload and the family home, with a fixed number of queries per page."""

from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils import timezone

from backto.accounts.models import User
from backto.patients.access import patients_for
from backto.patients.lifecycle import OPEN_STATES, EpisodeState
from backto.patients.models import CareTeamMember, Episode, Patient


@dataclass
class CaseloadRow:
    patient: Patient
    episode: Episode | None
    lead: CareTeamMember | None
    on_my_team: bool
    todo: list[str] = field(default_factory=list)

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


def caseload(user: User, *, everyone: bool = False, state: str = "") -> list[CaseloadRow]:
    """Children on this person's care teams (or the whole clinic with `everyone` for
    clinic-wide roles), with their latest episode. Four queries however many children."""
    patients = patients_for(user)
    if not everyone:
        patients = patients.filter(episodes__care_team__clinician=user).distinct()
    rows = []
    for patient in patients.prefetch_related(latest_episodes_prefetch()).order_by("legal_name"):
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
                todo=_todo(episode, lead),
            )
        )
    return rows

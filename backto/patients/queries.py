"""Reads for the caseload and the family home, with a fixed number of queries per page."""

from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils import timezone

from backto.accounts.models import User
from backto.alerts.models import SafetyAlert
from backto.measures.queries import overdue_counts
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


def caseload(user: User, *, everyone: bool = False, state: str = "") -> list[CaseloadRow]:
    """Children on this person's care teams (or the whole clinic with `everyone` for
    clinic-wide roles), with their latest episode, overdue questionnaires and open safety alerts. Six queries
    however many children."""
    patients = patients_for(user)
    if not everyone:
        patients = patients.filter(episodes__care_team__clinician=user).distinct()
    listed = list(patients.prefetch_related(latest_episodes_prefetch()).order_by("legal_name"))
    latest = [p.episode_list[0].pk for p in listed if p.episode_list]  # type: ignore[attr-defined]
    overdue = overdue_counts(latest)
    alerted = set(
        SafetyAlert.objects.open()
        .filter(patient_id__in=[p.pk for p in listed])
        .values_list("patient_id", flat=True)
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
                todo=(["Safety alert to acknowledge"] if patient.pk in alerted else [])
                + _todo(episode, lead)
                + _overdue(overdue.get(episode.pk, 0) if episode else 0),
            )
        )
    return rows

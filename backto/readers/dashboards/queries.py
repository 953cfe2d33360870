"""Reads for the caseload and the family home, with a fixed number of queries per page."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, NamedTuple

from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone

from backto.access.accounts.models import User, person_name
from backto.access.patients.access import Reach, care_team_patients, patients_for, reach_of
from backto.access.patients.lifecycle import OPEN_STATES, EpisodeState
from backto.access.patients.models import CareTeamMember, Episode, Patient, age_on, goes_by
from backto.core.dashboard import FamilyChild
from backto.core.fixed_sql import fixed_query
from backto.readers.dashboards.caseload_signals import Signals, caseload_signals


@dataclass
class CaseloadRow:
    """One child of the caseload's page, as plain values worked out once for the day the page is
    drawn (the table shows several of them twice or more): no model objects."""

    patient_id: int
    name: str  # the name the child goes by (Patient.name)
    age: int
    family_language: str
    episode_id: int | None  # the latest episode
    state: str  # its state ("" without one)
    returning: bool  # the latest episode follows an earlier one (Episode.is_relapse)
    lead: str  # the care team lead's name ("" without one)
    signals: Signals
    todo: list[str] = field(default_factory=list)
    days_in_program: int | None = None
    days_in_state: int | None = None
    days_since_diary: int | None = None
    # The choices' words, looked up once per page (get_FOO_display hashes every choice per call).
    state_label: str = ""
    language_label: str = ""


def _todo(state: str, has_lead: bool) -> list[str]:
    """What the latest episode needs (its state, "" without one)."""
    if state not in OPEN_STATES:
        return []
    todo = []
    if state == EpisodeState.REFERRED:
        todo.append("Start intake")
    if state == EpisodeState.INTAKE:
        todo.append("Finish intake and start the program")
    if not has_lead:
        todo.append("Choose a care team lead")
    if state == EpisodeState.DISCHARGED:
        todo.append("Begin follow-up")
    return todo


@fixed_query
def _family_children(reach: Reach, *, user_id: int, clinic_id: int) -> QuerySet[Patient]:
    return patients_for(reach.stand_in(user_id, clinic_id)).order_by("date_of_birth")


@fixed_query
def _episodes_of(*, patient_ids: list[int]) -> QuerySet[Episode]:
    return Episode.objects.filter(patient_id__in=patient_ids)  # the latest first


@fixed_query
def _care_teams(*, episode_ids: list[int]) -> QuerySet[CareTeamMember]:
    return CareTeamMember.objects.filter(episode_id__in=episode_ids).select_related("clinician")


def family_children(user: User) -> tuple[list[FamilyChild], dict[int, list[CareTeamMember]]]:
    """The children this person sees, youngest last, each with the latest episode, and the care
    team of each latest episode (lead first), by episode: three queries."""
    patients = _family_children(reach_of(user), user_id=user.pk, clinic_id=user.clinic_id)
    latest: dict[int, Episode] = {}
    for episode in _episodes_of(patient_ids=[p.pk for p in patients]):
        latest.setdefault(episode.patient_id, episode)
    teams: dict[int, list[CareTeamMember]] = {}
    for member in _care_teams(episode_ids=[e.pk for e in latest.values()]):
        teams.setdefault(member.episode_id, []).append(member)
    return [FamilyChild(patient=p, episode=latest.get(p.pk)) for p in patients], teams


SORT_LABELS = {
    "name": "Name",
    "days": "Longest in the program",
    "diary": "Longest without a diary",
    "flags": "Most flags",
}
PAGE_SIZE = 50


class _Entry(NamedTuple):
    """What sorting and filtering need, and what the table shows of the child, for every child
    on the caseload: no model objects."""

    patient_id: int
    name: str  # the legal name, which the list is sorted by
    preferred_name: str
    date_of_birth: date
    family_language: str
    episode_id: int | None  # the latest episode
    state: str | None


def _sort_key(
    sort: str, today: date, signals: dict[int, Signals]
) -> Callable[[_Entry], tuple[object, ...]]:
    def days(entry: _Entry) -> int:
        found = signals[entry.patient_id].days_in_program
        return -1 if found is None else found

    def quiet(entry: _Entry) -> int:
        last = signals[entry.patient_id].last_diary
        return (today - last).days if last is not None else 10**6

    keys: dict[str, Callable[[_Entry], tuple[object, ...]]] = {
        "name": lambda e: (e.name, e.patient_id),
        "days": lambda e: (-days(e), e.name, e.patient_id),
        "diary": lambda e: (-quiet(e), e.name, e.patient_id),
        "flags": lambda e: (-len(signals[e.patient_id].flags), e.name, e.patient_id),
    }
    return keys.get(sort, keys["name"])


SORTS = frozenset(SORT_LABELS)


@dataclass
class Caseload:
    rows: list[CaseloadRow]  # this page's
    total: int  # children matching the filters
    page: int
    pages: int


@fixed_query
def _entries(reach: Reach, everyone: bool, *, user_id: int, clinic_id: int) -> QuerySet[Any]:
    user = reach.stand_in(user_id, clinic_id)
    patients = patients_for(user) if everyone else care_team_patients(user)
    latest = Episode.objects.filter(patient=OuterRef("pk")).order_by("-referral_date", "-id")
    return (
        patients.annotate(
            episode_id=Subquery(latest.values("pk")[:1]),
            state=Subquery(latest.values("state")[:1]),
        )
        .order_by()
        .values_list(
            "pk",
            "legal_name",
            "preferred_name",
            "date_of_birth",
            "family_language",
            "episode_id",
            "state",
        )
    )


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
    work on plain values for every child, and the page's rows are plain values too (no model
    objects). The same number of queries however many children."""
    entries = [
        _Entry(*row)
        for row in _entries(reach_of(user), everyone, user_id=user.pk, clinic_id=user.clinic_id)
    ]
    today = timezone.localdate()

    def read_signals(chosen: list[_Entry]) -> dict[int, Signals]:
        return caseload_signals(
            [(e.patient_id, e.episode_id, e.state == EpisodeState.ACTIVE) for e in chosen],
            today,
            viewer=user,
        )

    if state == "open":
        entries = [e for e in entries if e.state in OPEN_STATES]
    elif state:
        entries = [e for e in entries if e.state == state]
    # A flag filter, or a sort by what the flags measure, needs every child's signals; the
    # default view (by name) needs them only for the page shown.
    everyone_signals = read_signals(entries) if flag or sort != "name" else {}
    if flag:
        entries = [e for e in entries if flag in everyone_signals[e.patient_id].flags]
    entries.sort(key=_sort_key(sort, today, everyone_signals))
    pages = max(1, -(-len(entries) // PAGE_SIZE))
    page = min(max(1, page), pages)
    shown = entries[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    signals = everyone_signals or read_signals(shown)
    return Caseload(rows=_rows(shown, signals, today), total=len(entries), page=page, pages=pages)


@fixed_query
def _row_episodes(*, episode_ids: list[int]) -> QuerySet[Any]:
    return (
        Episode.objects.filter(pk__in=episode_ids)
        .order_by()
        .values_list("pk", "state", "state_changed_at", "previous_episode_id")
    )


@fixed_query
def _leads(*, episode_ids: list[int]) -> QuerySet[Any]:
    return (
        CareTeamMember.objects.filter(episode_id__in=episode_ids, is_lead=True)
        .order_by()
        .values_list("episode_id", *(f"clinician__{f}" for f in User.NAME_FIELDS))
    )


def _rows(shown: list[_Entry], signals: dict[int, Signals], today: date) -> list[CaseloadRow]:
    """The rows of one page: their latest episodes and, of each care team, only the lead's name
    (two queries of plain values)."""
    episode_ids = [e.episode_id for e in shown if e.episode_id is not None]
    episodes = {
        pk: (state, changed_at, previous_id)
        for pk, state, changed_at, previous_id in _row_episodes(episode_ids=episode_ids)
    }
    leads = {
        episode_id: person_name(*names) for episode_id, *names in _leads(episode_ids=episode_ids)
    }
    states = {value: str(label) for value, label in EpisodeState.choices}
    languages = dict(Patient._meta.get_field("family_language").flatchoices)
    rows = []
    for entry in shown:
        found = signals[entry.patient_id]
        episode = None if entry.episode_id is None else episodes.get(entry.episode_id)
        state, changed_at, previous_id = episode if episode else ("", None, None)
        has_lead = entry.episode_id in leads
        rows.append(
            CaseloadRow(
                patient_id=entry.patient_id,
                name=goes_by(entry.name, entry.preferred_name),
                age=age_on(entry.date_of_birth, today),
                family_language=entry.family_language,
                episode_id=entry.episode_id if episode else None,
                state=state,
                returning=previous_id is not None,
                lead=leads[entry.episode_id] if has_lead else "",
                signals=found,
                todo=_todo(state, has_lead) + found.todo,
                days_in_program=found.days_in_program,
                days_in_state=None
                if changed_at is None
                else (today - timezone.localdate(changed_at)).days,
                days_since_diary=None
                if found.last_diary is None
                else (today - found.last_diary).days,
                state_label=states.get(state, state),
                language_label=languages.get(entry.family_language, entry.family_language),
            )
        )
    return rows

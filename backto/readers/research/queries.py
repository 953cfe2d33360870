"""What a research export reads for a cohort: the outcomes' cohort of episodes (the program
started in the period; optionally discharged only), and for those episodes and their children the
completed questionnaires, the diary, and the exam (functional tests, body maps, sensory exams with
their findings). A fixed number of queries however many children: each table is read once for the
whole cohort, by the cohort's condition in SQL rather than a list of ids."""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from backto.access.accounts.models import Clinic
from backto.access.patients.models import Episode
from backto.capabilities.diary.models import DiaryEntry
from backto.capabilities.exam.models import FunctionalTest, PainMap, SensoryExam, SensoryFinding
from backto.capabilities.measures.models import Administration, AdminState
from backto.readers.outcomes.queries import EpisodeOutcome, _cohort_episodes, cohort, db


@dataclass(frozen=True)
class CohortFilter:
    start: date
    end: date
    discharged_only: bool = False

    def __str__(self) -> str:
        return f"{self.start}..{self.end}" + (" discharged only" if self.discharged_only else "")


@dataclass
class Child:
    """One child of the cohort: the record id (internal only: never exported) and their episodes
    in the cohort, oldest first."""

    patient_id: int
    episodes: list[EpisodeOutcome] = field(default_factory=list)

    def episode_number(self, episode_id: int) -> int:
        return next(n for n, e in enumerate(self.episodes, 1) if e.episode_id == episode_id)

    def episode_on(self, day: date) -> int | None:
        """The number of the cohort episode whose program ran on this day (from its start to its
        discharge, or on from its start while it runs), None outside every one."""
        for number, episode in reversed(list(enumerate(self.episodes, 1))):
            if episode.started_on <= day <= (episode.discharged_on or date.max):
                return number
        return None


@dataclass
class CohortRecords:
    children: dict[int, Child]  # by record id
    episode_child: dict[int, int]  # episode id -> record id
    administrations: list[dict[str, Any]]
    diary: list[dict[str, Any]]
    functional_tests: list[dict[str, Any]]
    pain_maps: list[dict[str, Any]]
    sensory_exams: list[dict[str, Any]]
    findings: list[dict[str, Any]]


def no_progress(steps: int) -> None:
    """Progress reported to no one (the page); the command passes its progress bar's update."""


def _episodes(clinic: Clinic, cohort_filter: CohortFilter) -> QuerySet[Episode]:
    episodes = _cohort_episodes(clinic, cohort_filter.start, cohort_filter.end, "", "")
    if cohort_filter.discharged_only:
        episodes = episodes.filter(discharge__isnull=False)
    return episodes


def cohort_records(
    clinic: Clinic, cohort_filter: CohortFilter, *, progress: Callable[[int], object] = no_progress
) -> CohortRecords:
    """Everything the export needs, read in a fixed number of queries."""
    rows = cohort(clinic, cohort_filter.start, cohort_filter.end)
    if cohort_filter.discharged_only:
        rows = [r for r in rows if r.discharged_on is not None]
    episodes = _episodes(clinic, cohort_filter)
    in_cohort = episodes.values("pk")
    owner = dict(episodes.values_list("pk", "patient_id"))
    children: dict[int, Child] = {}
    for row in sorted(rows, key=lambda r: (r.started_on, r.episode_id)):
        children.setdefault(owner[row.episode_id], Child(owner[row.episode_id])).episodes.append(
            row
        )
    progress(1)
    zone = timezone.get_current_timezone()
    administrations = _rows(
        Administration.objects.using(db())
        .filter(episode__in=in_cohort, state=AdminState.COMPLETED)
        .order_by("completed_at", "instrument_id", "respondent", "id")
        .values(
            "episode_id",
            "instrument_id",
            "instrument_version",
            "engine_version",
            "respondent",
            "timepoint",
            "completed_at",
            "answers",
            "result",
        )
    )
    for administration in administrations:
        at = administration.pop("completed_at")
        administration["day"] = at.astimezone(zone).date() if at else None
    progress(1)
    diary = _rows(
        DiaryEntry.objects.using(db())
        .filter(patient__in=episodes.values("patient_id"))
        .order_by("patient_id", "day", "respondent", "id")
        .values(
            "patient_id",
            "day",
            "respondent",
            "instrument_id",
            "instrument_version",
            "answers",
            "private_fields",
        )
    )
    progress(1)
    functional_tests = _rows(
        FunctionalTest.objects.using(db())
        .filter(episode__in=in_cohort)
        .order_by("day", "id")
        .values("episode_id", "test_id", "day", "inputs", "result")
    )
    pain_maps = _rows(
        PainMap.objects.using(db())
        .filter(episode__in=in_cohort)
        .order_by("day", "id")
        .values("episode_id", "respondent", "timepoint", "day", "regions", "result")
    )
    sensory_exams = _rows(
        SensoryExam.objects.using(db())
        .filter(episode__in=in_cohort)
        .order_by("day", "id")
        .values("id", "episode_id", "day", "signs", "result", "allodynia_percent")
    )
    findings = _rows(
        SensoryFinding.objects.using(db())
        .filter(exam__episode__in=in_cohort)
        .order_by("exam_id", "id")
        .values(
            "exam_id", "kind", "stimulus", "monofilament_g", "regions", "evoked_pain", "percent"
        )
    )
    progress(1)
    return CohortRecords(
        children=children,
        episode_child={e.episode_id: pid for pid, c in children.items() for e in c.episodes},
        administrations=administrations,
        diary=diary,
        functional_tests=functional_tests,
        pain_maps=pain_maps,
        sensory_exams=sensory_exams,
        findings=findings,
    )


def _rows(rows: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    return [dict(row) for row in rows]

"""What a research export reads for a cohort: the outcomes' cohort of episodes (the program
started in the period; optionally discharged only), and for those episodes and their children the
completed questionnaires, the diary, and the exam (functional tests, body maps, sensory exams with
their findings). A fixed number of queries however many children: each table is read once for the
whole cohort, by the cohort's condition in SQL rather than a list of ids. Every one reads the
reporting replica when it answers, else the main database (`backto.core.reporting`, asked once
per export); the export's own writes (the study, the audit event) go to the main database."""

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import QuerySet

from backto.access.accounts.models import Clinic
from backto.access.patients.models import Episode
from backto.capabilities.diary.models import DiaryEntry
from backto.capabilities.exam.models import FunctionalTest, PainMap, SensoryExam, SensoryFinding
from backto.capabilities.measures.models import Administration, AdminState
from backto.core.reporting import reporting_source
from backto.readers.outcomes.queries import EpisodeOutcome, cohort, cohort_episodes


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


# A table's source: a query read in chunks as it is written (`each`), or a list in tests.
Source = QuerySet[Any, Any] | list[dict[str, Any]]
CHUNK = 2000  # rows fetched at a time: memory stays flat however many rows a table has


def each(source: Source) -> Iterator[dict[str, Any]]:
    """A source's rows, a chunk at a time from the database (one query each)."""
    return source.iterator(chunk_size=CHUNK) if isinstance(source, QuerySet) else iter(source)


@dataclass
class CohortRecords:
    """The cohort's children (read at once: one small row per episode) and, for the tables,
    queries that are read one chunk at a time while the zip is written. Each table is ordered
    child by child, so that a child's rows arrive together."""

    children: dict[int, Child]  # by record id
    episode_child: dict[int, int]  # episode id -> record id
    administrations: Source
    diary: Source
    functional_tests: Source
    pain_maps: Source
    sensory_exams: Source
    findings: Source


def no_progress(steps: int) -> None:
    """Progress reported to no one (the page); the command passes its progress bar's update."""


def _episodes(clinic: Clinic, cohort_filter: CohortFilter, using: str) -> QuerySet[Episode]:
    episodes = cohort_episodes(clinic, cohort_filter.start, cohort_filter.end, "", "", using=using)
    if cohort_filter.discharged_only:
        episodes = episodes.filter(discharge__isnull=False)
    return episodes


def cohort_records(clinic: Clinic, cohort_filter: CohortFilter) -> CohortRecords:
    """The cohort's children now, and the queries of its tables (each run once, later), all
    from one database: the one `reporting_source()` names now."""
    using = reporting_source().alias
    outcomes = cohort(clinic, cohort_filter.start, cohort_filter.end, using=using)
    if cohort_filter.discharged_only:
        outcomes = [r for r in outcomes if r.discharged_on is not None]
    episodes = _episodes(clinic, cohort_filter, using)
    in_cohort = episodes.values("pk")
    owner = dict(episodes.values_list("pk", "patient_id"))
    children: dict[int, Child] = {}
    for row in sorted(outcomes, key=lambda r: (r.started_on, r.episode_id)):
        pid = owner[row.episode_id]
        children.setdefault(pid, Child(pid)).episodes.append(row)
    return CohortRecords(
        children=children,
        episode_child={e.episode_id: pid for pid, c in children.items() for e in c.episodes},
        administrations=Administration.objects.using(using)
        .filter(episode__in=in_cohort, state=AdminState.COMPLETED)
        .order_by("episode__patient_id", "completed_at", "instrument_id", "respondent", "id")
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
        ),
        diary=DiaryEntry.objects.using(using)
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
        ),
        functional_tests=FunctionalTest.objects.using(using)
        .filter(episode__in=in_cohort)
        .order_by("episode__patient_id", "day", "id")
        .values("episode_id", "test_id", "day", "inputs", "result"),
        pain_maps=PainMap.objects.using(using)
        .filter(episode__in=in_cohort)
        .order_by("episode__patient_id", "day", "id")
        .values("episode_id", "respondent", "timepoint", "day", "regions", "result"),
        sensory_exams=SensoryExam.objects.using(using)
        .filter(episode__in=in_cohort)
        .order_by("episode__patient_id", "day", "id")
        .values("id", "episode_id", "day", "signs", "result", "allodynia_percent"),
        findings=SensoryFinding.objects.using(using)
        .filter(exam__episode__in=in_cohort)
        .order_by("exam__episode__patient_id", "exam__day", "exam_id", "id")
        .values(
            "exam_id", "kind", "stimulus", "monofilament_g", "regions", "evoked_pain", "percent"
        ),
    )

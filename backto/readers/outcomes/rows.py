"""Keeping the outcome rows (models.OutcomeRow) true to the records they derive from.

Every record an outcome row reads is watched here, so that no capability has to know about
program outcomes: a save or delete of one marks its episodes' rows not fresh inside the same
transaction (so a reader, the replica included, never sees the change without the mark), and
once that transaction commits their rows are computed again from the records
(`outcome_rows_refresh`, the way of core/derived_rows.py). A row left not fresh, because the
process stopped in between or the change came from outside the actions (a bulk load), is
computed from the records by every outcomes read until the next change or
`backto outcomes_rebuild` refreshes it.

What a row reads: the episode (its child; a returning episode that follows it), its
transitions (the program's start), care plans (the setting), care team, discharge, goals and
their ratings, 6-minute walks and sensory exams, healthcare-use forms, and the child's
medicines. The measure summary and the session dose are read with the row, not kept in it.
"""

import threading
from collections.abc import Callable, Iterable
from typing import Any

from django.db import DEFAULT_DB_ALIAS, transaction
from django.db.models.signals import post_delete, post_save

from backto.access.patients.models import CareTeamMember, Episode, EpisodeTransition, Patient
from backto.capabilities.careplan.models import CarePlan, Discharge, EpisodeDose
from backto.capabilities.exam.models import FunctionalTest, SensoryExam, SensoryFinding
from backto.capabilities.goals.models import Goal, GoalRating
from backto.capabilities.measures.healthcare import HEALTHCARE_USE
from backto.capabilities.measures.models import Administration, EpisodeMeasureSummary
from backto.capabilities.medicines.models import Medicine
from backto.core.derived_rows import (
    REBUILD_CHUNK,
    derived_rows_refreshed,
    rebuild_derived,
    refresh_derived,
)
from backto.readers.outcomes.models import OutcomeRow
from backto.readers.outcomes.queries import (
    EPISODE_COLUMNS,
    STORED_COLUMNS,
    STORED_FIGURES,
    annotated,
    computed_rows,
    stored_figures,
)

FIELDS = (
    "fresh",
    "clinic",
    *STORED_COLUMNS,
    "started_at",
    "setting",
    "disciplines",
    "relapse",
    *STORED_FIGURES,
)


# Episodes marked in this thread's transaction and not yet refreshed: one refresh for all of
# them when it commits, however many records the action saved.
_marked = threading.local()


def _pending() -> set[int]:
    return _marked.__dict__.setdefault("ids", set())


def outcome_rows_refresh(episode_ids: Iterable[int]) -> int:
    """Compute these episodes' outcome rows from their records and mark them fresh, each
    episode's row locked meanwhile (core/derived_rows.py). Episodes gone since are skipped.
    Returns how many."""
    ids = list(Episode.objects.filter(pk__in=set(episode_ids)).values_list("pk", flat=True))

    def compute(ids: list[int]) -> dict[int, dict[str, Any]]:
        episodes = annotated(Episode.objects.filter(pk__in=ids))
        copied = {
            pk: {
                "fresh": True,
                "started_at": started_at,
                "clinic_id": clinic_id,
                **dict(zip(STORED_COLUMNS, columns, strict=True)),
            }
            for pk, started_at, clinic_id, *columns in episodes.values_list(
                "pk", "started_at", "patient__clinic_id", *EPISODE_COLUMNS
            )
        }
        # Rows for the episodes whose program has started (no cohort holds the others).
        rows = computed_rows(episodes.filter(started_at__isnull=False), DEFAULT_DB_ALIAS)
        values: dict[int, dict[str, Any]] = {}
        for pk in ids:
            row = rows.get(pk)
            values[pk] = copied[pk]
            if row is not None:
                values[pk] |= {
                    "setting": row.setting,
                    "disciplines": " ".join(sorted(row.disciplines)),
                    "relapse": row.relapse,
                    **stored_figures(row),
                }
        return values

    with transaction.atomic():
        count = refresh_derived(OutcomeRow, ids, compute, FIELDS)
    # Fresh now: no need to refresh them again when the transaction commits (a later change
    # in it marks them again).
    _pending().difference_update(ids)
    return count


def outcome_rows_rebuild(progress: Callable[[int], object] | None = None) -> int:
    """Every episode's outcome row, a chunk (one transaction) at a time. Returns how many."""
    return rebuild_derived(Episode, outcome_rows_refresh, progress)


def outcome_rows_changed(episode_ids: Iterable[int | None]) -> None:
    """Mark these episodes' rows not fresh in the current transaction; refresh them once it
    commits (nothing is refreshed if it rolls back)."""
    ids = {pk for pk in episode_ids if pk is not None}
    if not ids:
        return
    OutcomeRow.objects.filter(pk__in=ids, fresh=True).update(fresh=False)
    _pending().update(ids)
    # Each mark asks for a refresh, and the first to run takes every id marked so far, so a
    # callback dropped with a rolled-back savepoint loses nothing. robust: the action has
    # committed; a failed refresh leaves the rows not fresh (read from the records) rather
    # than failing it.
    transaction.on_commit(_refresh_marked, robust=True)


def _refresh_marked() -> None:
    ids = sorted(_pending())
    _pending().clear()
    # A chunk a transaction: rebuilding every measure summary marks every row.
    for start in range(0, len(ids), REBUILD_CHUNK):
        outcome_rows_refresh(ids[start : start + REBUILD_CHUNK])


# The episodes whose rows a saved or deleted record changes.
def _of_episode(record: Any) -> list[int | None]:
    return [record.episode_id]


def _of_patient(record: Any) -> list[int | None]:
    patient_id = record.pk if isinstance(record, Patient) else record.patient_id
    return list(Episode.objects.filter(patient_id=patient_id).values_list("pk", flat=True))


def _of_itself(episode: Episode) -> list[int | None]:
    # A returning episode changes whether the one before it relapsed.
    return [episode.pk, episode.previous_episode_id]


def _of_goal(rating: GoalRating) -> list[int | None]:
    return list(Goal.objects.filter(pk=rating.goal_id).values_list("episode_id", flat=True))


def _of_exam(finding: SensoryFinding) -> list[int | None]:
    return list(SensoryExam.objects.filter(pk=finding.exam_id).values_list("episode_id", flat=True))


def _of_healthcare_form(form: Administration) -> list[int | None]:
    return [form.episode_id] if form.instrument_id == HEALTHCARE_USE else []


WATCHED: dict[Any, Callable[[Any], list[int | None]]] = {
    Patient: _of_patient,
    Episode: _of_itself,
    EpisodeTransition: _of_episode,
    CarePlan: _of_episode,
    CareTeamMember: _of_episode,
    Discharge: _of_episode,
    Goal: _of_episode,
    GoalRating: _of_goal,
    FunctionalTest: _of_episode,
    SensoryExam: _of_episode,
    SensoryFinding: _of_exam,
    Administration: _of_healthcare_form,
    Medicine: _of_patient,
}


def _changed(sender: type, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    if raw:  # loading a fixture: the rows are rebuilt after it
        return
    outcome_rows_changed(WATCHED[sender](instance))


def _copied_refreshed(sender: type, episode_ids: list[int], **kwargs: Any) -> None:
    outcome_rows_changed(episode_ids)


def connect() -> None:
    # The measure summary and session dose a row copies are written by core/derived_rows.py,
    # which says so (the migrations that fill them send their historical models: not these).
    for model in (EpisodeMeasureSummary, EpisodeDose):
        derived_rows_refreshed.connect(
            _copied_refreshed, sender=model, dispatch_uid=f"outcome-rows-{model._meta.label}"
        )
    for model in WATCHED:
        uid = f"outcome-rows-{model._meta.label}"
        post_save.connect(_changed, sender=model, dispatch_uid=uid + "-save")
        post_delete.connect(_changed, sender=model, dispatch_uid=uid + "-delete")

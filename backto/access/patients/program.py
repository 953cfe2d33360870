"""When an episode's program started and ended, and how many days a child has been in it: the
one definition the caseload, the child's page, the progress page, the reports and the outcomes
all use.

- The program starts on its first move to active, as a day in the clinic's time zone.
- It ends on the discharge date, or, for an episode that left without a discharge (withdrawn),
  on the day it changed state; it runs while the episode is referred, in intake or active.
- Days in the program count from the start to today, or to the end once it has ended.
"""

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from django.db.models import Min, OuterRef, QuerySet, Subquery
from django.utils import timezone

from backto.access.patients.lifecycle import EpisodeState
from backto.access.patients.models import Episode, EpisodeTransition
from backto.core.fixed_sql import fixed_query

# While an episode is in one of these states its program has not ended.
RUNNING_STATES = frozenset({EpisodeState.REFERRED, EpisodeState.INTAKE, EpisodeState.ACTIVE})


@fixed_query
def _first_active(*, episode_ids: list[int]) -> QuerySet[Any]:
    return (
        EpisodeTransition.objects.filter(episode_id__in=episode_ids, target=EpisodeState.ACTIVE)
        .values("episode_id")
        .annotate(first=Min("at"))
        .values_list("episode_id", "first")
    )


def program_starts(episode_ids: Iterable[int]) -> dict[int, date]:
    """Episode id -> the day its program started, for those that have started. One query."""
    return {
        episode_id: timezone.localdate(at)
        for episode_id, at in _first_active(episode_ids=list(episode_ids))
    }


def program_started_at() -> Subquery:
    """The same as an expression on an Episode query: the time of its first move to active
    (None before), answered from the transitions' (episode, target, at) index."""
    return Subquery(
        EpisodeTransition.objects.filter(episode=OuterRef("pk"), target=EpisodeState.ACTIVE)
        .order_by("at")
        .values("at")[:1]
    )


def program_start_in(transitions: Iterable[EpisodeTransition]) -> date | None:
    """The same start, from an episode's transitions (prefetched: no query)."""
    moves = [t.at for t in transitions if t.target == EpisodeState.ACTIVE]
    return timezone.localdate(min(moves)) if moves else None


def program_end_day(
    state: str, state_changed_at: datetime | None, discharged_on: date | None
) -> date | None:
    """The day the program ended: the discharge date, else (withdrawn without a discharge) the
    day the episode last changed state. None while it runs. No query: the caller reads the
    episode's state and its discharge date (`discharge__discharged_on`)."""
    if state in RUNNING_STATES:
        return None
    if discharged_on is not None:
        return discharged_on
    return timezone.localdate(state_changed_at) if state_changed_at is not None else None


def days_in_program(start: date | None, *, ended: date | None, today: date) -> int | None:
    """Days in the program: from its start to today, or to the day it ended. None before it
    has started."""
    if start is None:
        return None
    last = min(today, ended) if ended is not None else today
    return max(0, (last - start).days)


def episode_days_in_program(
    episode: Episode, *, today: date
) -> tuple[date | None, date | None, int | None]:
    """(start, end, days in the program) of one episode, from its transitions (prefetched, or
    one query) and, once it has ended, its discharge date (one query)."""
    start = program_start_in(episode.transitions.all())
    if start is None:
        return None, None, None
    discharged_on = None
    if episode.state not in RUNNING_STATES:
        discharged_on = (
            Episode.objects.filter(pk=episode.pk)
            .values_list("discharge__discharged_on", flat=True)
            .first()
        )
    ended = program_end_day(episode.state, episode.state_changed_at, discharged_on)
    return start, ended, days_in_program(start, ended=ended, today=today)

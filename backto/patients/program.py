"""When an episode's program started: its first move to active, as a day in the clinic's time
zone. The caseload, the progress page, the reports and the outcomes all ask this module."""

from collections.abc import Iterable
from datetime import date

from django.db.models import Min, OuterRef, Subquery
from django.utils import timezone

from backto.patients.lifecycle import EpisodeState
from backto.patients.models import EpisodeTransition


def program_starts(episode_ids: Iterable[int]) -> dict[int, date]:
    """Episode id -> the day its program started, for those that have started. One query."""
    return {
        episode_id: timezone.localdate(at)
        for episode_id, at in EpisodeTransition.objects.filter(
            episode_id__in=list(episode_ids), target=EpisodeState.ACTIVE
        )
        .values("episode_id")
        .annotate(first=Min("at"))
        .values_list("episode_id", "first")
    }


def program_started_at() -> Subquery:
    """The same as an expression on an Episode query: the time of its first move to active
    (None before), answered from the transitions' (episode, target, at) index."""
    return Subquery(
        EpisodeTransition.objects.filter(episode=OuterRef("pk"), target=EpisodeState.ACTIVE)
        .order_by("at")
        .values("at")[:1]
    )

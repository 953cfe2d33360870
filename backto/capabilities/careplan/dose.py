"""The program dose of episodes, from their sessions: one set of aggregates for the progress
page (one episode, read as it stands) and for each episode's stored dose (EpisodeDose), which
the session actions refresh in their transaction (core/derived_rows.py) and program outcomes
read."""

from typing import Any

from django.db.models import Aggregate, Count, Q, Sum

from backto.access.patients.models import THERAPIES, Episode
from backto.capabilities.careplan.models import EpisodeDose, TherapySession
from backto.core.derived_rows import rebuild_derived, refresh_derived

DISCIPLINES = [d.value for d in THERAPIES]
DOSE_FIELDS = (
    "days",
    "sessions_attended",
    "sessions_missed",
    *(f"{d}_minutes" for d in DISCIPLINES),
)


def dose_aggregates() -> dict[str, Aggregate]:
    """Days with an attended session, sessions attended and missed, attended minutes per
    discipline: named as EpisodeDose's fields."""
    attended = Q(attended=True)
    return {
        "days": Count("date", distinct=True, filter=attended),
        "sessions_attended": Count("id", filter=attended),
        "sessions_missed": Count("id", filter=Q(attended=False)),
        **{f"{d}_minutes": Sum("minutes", filter=attended & Q(discipline=d)) for d in DISCIPLINES},
    }


def session_doses_refresh(
    episode_ids: Any, *, sessions: Any = TherapySession, doses: Any = EpisodeDose
) -> int:
    """Recompute the stored dose of these episodes, inside the caller's transaction."""

    def compute(ids: list[int]) -> dict[int, dict[str, Any]]:
        values: dict[int, dict[str, Any]] = {pk: dict.fromkeys(DOSE_FIELDS, 0) for pk in ids}
        for row in (
            sessions.objects.filter(episode_id__in=ids)
            .values("episode_id")
            .annotate(**dose_aggregates())
            .values("episode_id", *DOSE_FIELDS)
        ):
            episode_id = row.pop("episode_id")
            values[episode_id] = {name: value or 0 for name, value in row.items()}
        return values

    return refresh_derived(doses, episode_ids, compute, DOSE_FIELDS)


def session_doses_rebuild_all(
    *,
    progress: Any = None,
    episodes: Any = Episode,
    sessions: Any = TherapySession,
    doses: Any = EpisodeDose,
) -> int:
    """Recompute every episode's stored dose; returns how many."""
    return rebuild_derived(
        episodes, lambda ids: session_doses_refresh(ids, sessions=sessions, doses=doses), progress
    )

"""GAS over time: the T-score on every review day, from each goal's latest rating by then."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet

from backto.access.patients.models import Episode
from backto.capabilities.goals.models import Goal, GoalRating, GoalStatus, GoalStep, RaterKind
from backto.clinical.gas import GasError, gas_t_score
from backto.core.fixed_sql import fixed_query, prefetched


@dataclass(frozen=True)
class GasPoint:
    day: date
    t_score: Decimal
    goals: int
    levels: dict[int, int]  # goal id -> level used that day


def gas_history(goals: list[Goal], *, rater_kind: str = RaterKind.CLINICIAN) -> list[GasPoint]:
    """One point per review day. A goal not yet rated counts at its baseline level, so the first
    point shows where the child started; goals set aside are left out. Expects the goals'
    ratings prefetched (no queries here)."""
    scored = [g for g in goals if g.status != GoalStatus.STOPPED]
    ratings: list[GoalRating] = sorted(
        (r for g in scored for r in g.ratings.all() if r.rater_kind == rater_kind),
        key=lambda r: (r.rated_on, r.id),
    )
    if not scored or not ratings:
        return []
    current = {g.id: g.baseline_level for g in scored}
    by_id = {g.id: g for g in scored}
    points: list[GasPoint] = []
    days = sorted({r.rated_on for r in ratings})
    index = 0
    for day in days:
        while index < len(ratings) and ratings[index].rated_on <= day:
            current[ratings[index].goal_id] = ratings[index].level
            index += 1
        try:
            result = gas_t_score([by_id[gid].gas_goal(level) for gid, level in current.items()])
        except GasError:
            continue  # every weight zero: no T-score that day
        points.append(
            GasPoint(day=day, t_score=result.rounded, goals=result.goals, levels=dict(current))
        )
    return points


@fixed_query
def _goals_of(*, episode_id: int) -> QuerySet[Goal]:
    return Goal.objects.filter(episode_id=episode_id)


@fixed_query
def _ratings_of(*, goal_ids: list[int]) -> QuerySet[GoalRating]:
    return GoalRating.objects.filter(goal_id__in=goal_ids)


@fixed_query
def _steps_of(*, goal_ids: list[int]) -> QuerySet[GoalStep]:
    return GoalStep.objects.filter(goal_id__in=goal_ids)


def episode_goals(episode_id: int, *, steps: bool = False) -> list[Goal]:
    """An episode's goals with their ratings (and steps) prefetched: two or three queries."""
    goals = _goals_of(episode_id=episode_id)
    ids = [goal.pk for goal in goals]
    prefetched(goals, "ratings", _ratings_of(goal_ids=ids) if ids else [])
    if steps:
        prefetched(goals, "steps", _steps_of(goal_ids=ids) if ids else [])
    return goals


@fixed_query
def _active_goals(*, episode_ids: list[int]) -> QuerySet[Goal]:
    return Goal.objects.filter(episode_id__in=episode_ids, status=GoalStatus.ACTIVE)


@fixed_query
def _steps_to_do(*, goal_ids: list[int]) -> QuerySet[Any]:
    """The steps not yet done, in their order."""
    return GoalStep.objects.filter(goal_id__in=goal_ids, done_on__isnull=True).values_list(
        "goal_id", "text"
    )


def goals_for_family(episodes: list[Episode]) -> dict[int, list[tuple[Goal, str]]]:
    """Each open episode's goals in progress with their next step (the first not yet done, ""
    when all are): two queries in all."""
    goals = _active_goals(episode_ids=[e.pk for e in episodes if e.is_open])
    first_steps: dict[int, str] = {}
    for goal_id, text in _steps_to_do(goal_ids=[g.pk for g in goals]):
        first_steps.setdefault(goal_id, text)
    result: dict[int, list[tuple[Goal, str]]] = {}
    for goal in goals:
        result.setdefault(goal.episode_id, []).append((goal, first_steps.get(goal.pk, "")))
    return result

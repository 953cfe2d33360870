"""Goal Attainment Scaling (GAS): levels, weights and the T-score.

Each goal is rated on five levels, -2 much less than expected ... +2 much more than expected, with 0
the expected outcome. The baseline is usually set at -1 (Turner-Stokes, Clin Rehabil 2009); the
convention is stored per goal. The summary T-score (Kiresuk & Sherman 1968) is

    T = 50 + 10 * sum(w_i * x_i) / sqrt((1 - rho) * sum(w_i^2) + rho * (sum(w_i))^2),  rho = 0.3

with weights 1 by default, or importance x difficulty (each rated 0-3). Worked, unweighted
(CLINICAL.md): 3 goals all at 0 -> 50.0; all at +1 -> 63.7; all at -1 -> 36.3; all at -2 -> 22.6;
5 goals all at +1 -> 65.1. GAS is used instead of the COPM, which is sold under licence.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Final

from backto.clinical.scoring import round_half_away_from_zero

GAS_LEVELS: Final[Mapping[int, str]] = {
    -2: "much less than expected",
    -1: "somewhat less than expected",
    0: "expected outcome",
    1: "somewhat more than expected",
    2: "much more than expected",
}
DEFAULT_RHO: Final = 0.3
DEFAULT_BASELINE_LEVEL: Final = -1  # Turner-Stokes: the baseline is usually -1
BASELINE_LEVELS: Final = (-1, -2)  # -2 when the baseline is already the worst plausible outcome
WEIGHT_FACTOR_RANGE: Final = range(0, 4)  # importance and difficulty are each rated 0-3


class GasError(ValueError):
    """Goals that cannot be scored; the message says which goal and what is allowed."""


@dataclass(frozen=True)
class GasGoal:
    """One goal's attainment: its level now, its weight and its baseline convention."""

    level: int
    weight: float = 1
    baseline_level: int = DEFAULT_BASELINE_LEVEL
    label: str = ""


@dataclass(frozen=True)
class GasTScore:
    t_score: float  # full precision
    rounded: Decimal  # one decimal, half away from zero: what reports show
    goals: int
    rho: float
    weighted_sum: float
    formula: str = "T = 50 + 10*sum(w*x) / sqrt((1-rho)*sum(w^2) + rho*(sum w)^2)"


def level_label(level: int) -> str:
    """The words for a GAS level: -1 -> 'somewhat less than expected'."""
    _check_level(level, "level")
    return GAS_LEVELS[level]


def goal_weight(importance: int, difficulty: int) -> int:
    """Optional weight of a goal: importance x difficulty, each rated 0-3."""
    for name, value in (("importance", importance), ("difficulty", difficulty)):
        if (
            isinstance(value, bool)
            or not isinstance(value, int)
            or value not in WEIGHT_FACTOR_RANGE
        ):
            raise GasError(f"{name} must be a whole number from 0 to 3, not {value!r}")
    return importance * difficulty


def _check_level(level: object, where: str) -> None:
    if isinstance(level, bool) or not isinstance(level, int) or level not in GAS_LEVELS:
        raise GasError(f"{where} must be one of -2, -1, 0, 1, 2, not {level!r}")


def gas_t_score(goals: Sequence[GasGoal | int], *, rho: float = DEFAULT_RHO) -> GasTScore:
    """The GAS T-score of a set of goals (plain ints are unweighted levels)."""
    if not goals:
        raise GasError("no goals: GAS needs at least one goal")
    if not 0 <= rho < 1:
        raise GasError(f"rho must be at least 0 and below 1, not {rho!r}")
    levels: list[int] = []
    weights: list[float] = []
    for number, goal in enumerate(goals, start=1):
        if not isinstance(goal, GasGoal):
            goal = GasGoal(level=goal)
        _check_level(goal.level, f"goal {number}: level")
        weight = goal.weight
        if (
            isinstance(weight, bool)
            or not isinstance(weight, int | float)
            or not math.isfinite(weight)
        ):
            raise GasError(f"goal {number}: weight must be a number, not {weight!r}")
        if weight < 0:
            raise GasError(f"goal {number}: weight must not be negative, got {weight}")
        if goal.baseline_level not in BASELINE_LEVELS:
            raise GasError(
                f"goal {number}: baseline_level must be -1 or -2, not {goal.baseline_level!r}"
            )
        levels.append(goal.level)
        weights.append(weight)
    total_weight = sum(weights)
    if total_weight == 0:
        raise GasError("all goal weights are zero: at least one goal needs a weight above 0")
    weighted_sum = sum(w * x for w, x in zip(weights, levels, strict=True))
    denominator = math.sqrt((1 - rho) * sum(w * w for w in weights) + rho * total_weight**2)
    t = 50 + 10 * weighted_sum / denominator
    rounded = round_half_away_from_zero(Decimal(repr(t)))
    return GasTScore(
        t_score=t, rounded=rounded, goals=len(levels), rho=rho, weighted_sum=weighted_sum
    )

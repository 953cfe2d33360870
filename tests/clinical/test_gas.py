"""Goal Attainment Scaling T-scores: the worked examples of CLINICAL.md and the rules around them."""

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backto.clinical.gas import (
    GAS_LEVELS,
    GasError,
    GasGoal,
    gas_t_score,
    goal_weight,
    level_label,
)


@pytest.mark.parametrize(
    ("levels", "expected"),
    [
        ([0, 0, 0], "50.0"),
        ([1, 1, 1], "63.7"),
        ([-1, -1, -1], "36.3"),
        ([-2, -2, -2], "22.6"),
        ([1, 1, 1, 1, 1], "65.1"),
    ],
)
def test_it_reproduces_the_worked_examples(levels: list[int], expected: str) -> None:
    assert gas_t_score(levels).rounded == Decimal(expected)


def test_it_uses_rho_of_three_tenths_by_default() -> None:
    result = gas_t_score([1, 1, 1])
    assert result.rho == 0.3
    assert result.t_score == pytest.approx(50 + 10 * 3 / (0.7 * 3 + 0.3 * 9) ** 0.5)


def test_weights_change_the_score() -> None:
    unweighted = gas_t_score([2, -1])
    weighted = gas_t_score(
        [GasGoal(level=2, weight=goal_weight(3, 3)), GasGoal(level=-1, weight=1)]
    )
    assert weighted.t_score > unweighted.t_score


def test_a_zero_weight_goal_does_not_count() -> None:
    assert gas_t_score([GasGoal(1), GasGoal(-2, weight=0)]).t_score == gas_t_score([1]).t_score


def test_goal_weight_is_importance_times_difficulty() -> None:
    assert goal_weight(2, 3) == 6
    with pytest.raises(GasError, match="importance must be a whole number from 0 to 3"):
        goal_weight(4, 1)


@pytest.mark.parametrize("level", [3, -3, 1.5, True, None])
def test_it_rejects_levels_outside_minus_two_to_plus_two(level: object) -> None:
    with pytest.raises(GasError, match=r"goal 2: level must be one of -2, -1, 0, 1, 2"):
        gas_t_score([0, level])  # type: ignore[list-item]


def test_it_rejects_negative_weights() -> None:
    with pytest.raises(GasError, match="goal 1: weight must not be negative"):
        gas_t_score([GasGoal(1, weight=-1)])


def test_it_rejects_no_goals() -> None:
    with pytest.raises(GasError, match="no goals"):
        gas_t_score([])


def test_it_rejects_all_zero_weights() -> None:
    with pytest.raises(GasError, match="all goal weights are zero"):
        gas_t_score([GasGoal(1, weight=0), GasGoal(2, weight=0)])


def test_the_baseline_convention_is_minus_one_or_minus_two() -> None:
    assert GasGoal(0).baseline_level == -1
    gas_t_score([GasGoal(0, baseline_level=-2)])
    with pytest.raises(GasError, match="baseline_level must be -1 or -2"):
        gas_t_score([GasGoal(0, baseline_level=0)])


def test_levels_have_words() -> None:
    assert [level_label(level) for level in sorted(GAS_LEVELS)] == [
        "much less than expected",
        "somewhat less than expected",
        "expected outcome",
        "somewhat more than expected",
        "much more than expected",
    ]


goals = st.lists(
    st.builds(
        GasGoal,
        level=st.integers(-2, 2),
        weight=st.integers(0, 9),
    ),
    min_size=1,
    max_size=8,
).filter(lambda gs: any(goal.weight for goal in gs))


@settings(max_examples=80, deadline=None)
@given(goals)
def test_negating_every_level_mirrors_the_t_score_around_fifty(gs: list[GasGoal]) -> None:
    mirrored = [GasGoal(-goal.level, goal.weight) for goal in gs]
    assert gas_t_score(gs).t_score - 50 == pytest.approx(50 - gas_t_score(mirrored).t_score)


@settings(max_examples=80, deadline=None)
@given(goals, st.randoms(use_true_random=False))
def test_the_order_of_goals_does_not_matter(gs: list[GasGoal], shuffler: object) -> None:
    shuffled = list(gs)
    shuffler.shuffle(shuffled)  # type: ignore[attr-defined]
    assert gas_t_score(shuffled).rounded == gas_t_score(gs).rounded

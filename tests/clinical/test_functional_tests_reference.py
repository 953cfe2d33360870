"""The 6-minute walk's percent of predicted (issue #19): the machinery a checked equation plugs into.

No pediatric equation ships (the search and why: backto/clinical/functional_tests.py). These tests
pin the arithmetic, the rounding, the sample's ages, heights and sexes, and the refusal to
extrapolate with ILLUSTRATIVE, made-up coefficients (round numbers, no clinical meaning), and check
that `backto score` carries the percent and its source through once an equation is installed.
"""

import io
import json
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest
from django.core.management import call_command
from hypothesis import given, settings
from hypothesis import strategies as st

from backto.clinical import functional_tests
from backto.clinical.functional_tests import (
    NO_6MWT_EQUATION,
    ReferenceEquation,
    SexCoefficients,
    SixMinuteWalkInputs,
    six_minute_walk,
)
from backto.clinical.scoring import round_half_away_from_zero

FAST = settings(max_examples=80, deadline=None)

# Made-up coefficients for the arithmetic only: never a clinical reference.
ILLUSTRATIVE = ReferenceEquation(
    name="Illustrative equation (tests only)",
    citation="none: made-up coefficients",
    sample="none: no children were measured",
    source="nothing: invented for the tests",
    min_age=Decimal(3),
    max_age=Decimal(18),
    min_height_cm=Decimal(90),
    max_height_cm=Decimal(200),
    by_sex={
        "female": SexCoefficients(Decimal(200), Decimal(40), Decimal("-1.5"), Decimal(100)),
        "male": SexCoefficients(Decimal(180), Decimal(45), Decimal("-1.5"), Decimal(120)),
    },
)


def walk(equation: ReferenceEquation | None = None, **data: Any) -> Any:
    return six_minute_walk(SixMinuteWalkInputs.model_validate(data), equation=equation)


def refused(why: str) -> str:
    return f"{why}, so no percent of predicted (never extrapolated); the distance is trended on its own"


# --- worked examples (by hand) -------------------------------------------------------------------


def test_percent_of_predicted_worked_example() -> None:
    # female, age 12.5, height 152 cm (1.52 m), distance 480 m:
    #   200 + 40 × 12.5 − 1.5 × 12.5² + 100 × 1.52
    #   = 200 + 500 − 1.5 × 156.25 + 152 = 200 + 500 − 234.375 + 152 = 617.625 → 617.6 m
    #   percent = 480 ÷ 617.6 × 100 = 77.7202… → 77.7
    result = walk(ILLUSTRATIVE, distance_m=480, age_years=12.5, sex="female", height_cm=152)
    assert result.predicted == Decimal("617.6")
    assert result.percent_predicted == Decimal("77.7")
    assert result.reference == ILLUSTRATIVE.name and result.citation == ILLUSTRATIVE.citation
    assert result.no_reference is None and result.notes == ()
    assert result.rule.startswith("predicted 6MWD (m, female) = 200 + 40·age + (-1.5)·age²")
    assert "valid ages 3–18 years, heights 90–200 cm" in result.rule
    assert "sample: none: no children were measured" in result.rule
    assert "coefficients checked against: nothing: invented for the tests" in result.rule
    assert "percent = distance ÷ predicted (to 0.1 m) × 100" in result.rule


def test_percent_of_predicted_second_worked_example() -> None:
    # male, age 9, height 134.5 cm (1.345 m), distance 560.4 m:
    #   180 + 45 × 9 − 1.5 × 81 + 120 × 1.345 = 180 + 405 − 121.5 + 161.4 = 624.9 m
    #   percent = 560.4 ÷ 624.9 × 100 = 89.678… → 89.7
    result = walk(ILLUSTRATIVE, distance_m=560.4, age_years=9, sex="male", height_cm=134.5)
    assert (result.predicted, result.percent_predicted) == (Decimal("624.9"), Decimal("89.7"))


def test_the_percent_is_taken_against_the_prediction_as_shown() -> None:
    # female, age 10, height 130.05 cm: 200 + 400 − 150 + 130.05 = 580.05 → 580.1 m (half away
    # from zero). 306 m is 306 ÷ 580.1 × 100 = 52.7495… → 52.7: the percent a clinician can redo
    # from the prediction on the screen, not 306 ÷ 580.05 × 100 = 52.754… → 52.8.
    result = walk(ILLUSTRATIVE, distance_m=306, age_years=10, sex="female", height_cm=130.05)
    assert (result.predicted, result.percent_predicted) == (Decimal("580.1"), Decimal("52.7"))


# --- where the equation does not apply: the reason, never an extrapolation ----------------------


@pytest.mark.parametrize("age", [2.9, 18.1, 25])
def test_outside_the_equations_age_range_there_is_no_percent(age: float) -> None:
    result = walk(ILLUSTRATIVE, distance_m=480, age_years=age, sex="female", height_cm=152)
    why = f"age {Decimal(repr(age))} is outside the equation's range of 3–18 years"
    assert result.values == {"distance_m": Decimal("480.0")}
    assert result.percent_predicted is None and result.predicted is None
    assert result.no_reference == refused(why)
    assert result.notes == (f"percent of predicted not computed: {why}",)
    assert result.reference == ILLUSTRATIVE.name  # which equation was considered, and its rule
    assert result.rule.startswith("predicted 6MWD (m, female)")


@pytest.mark.parametrize("height", [89.9, 200.5])
def test_outside_the_samples_heights_there_is_no_percent(height: float) -> None:
    result = walk(ILLUSTRATIVE, distance_m=480, age_years=12, sex="male", height_cm=height)
    assert result.percent_predicted is None and result.predicted is None
    assert result.no_reference == refused(
        f"height {Decimal(repr(height))} cm is outside the heights of the equation's sample, "
        "90–200 cm"
    )


def test_a_sex_the_equation_has_no_coefficients_for_gets_no_percent() -> None:
    girls_only = ReferenceEquation(
        **{**ILLUSTRATIVE.__dict__, "by_sex": {"female": ILLUSTRATIVE.by_sex["female"]}}
    )
    result = walk(girls_only, distance_m=480, age_years=12, sex="male", height_cm=150)
    assert result.percent_predicted is None
    assert result.no_reference == refused("the equation has no coefficients for sex male")
    assert result.rule.startswith("6MWD in metres; percent of predicted needs age, sex and height")


@pytest.mark.parametrize("age", [3, 18])
def test_the_age_range_is_inclusive(age: int) -> None:
    result = walk(ILLUSTRATIVE, distance_m=480, age_years=age, sex="male", height_cm=150)
    assert result.percent_predicted is not None and result.no_reference is None


def test_without_age_sex_or_height_there_is_no_percent() -> None:
    result = walk(ILLUSTRATIVE, distance_m=480, sex="female")
    assert result.percent_predicted is None
    assert result.no_reference == refused("age_years, height_cm not given")
    assert result.notes == ("percent of predicted not computed: age_years, height_cm not given",)


def test_a_non_positive_prediction_never_becomes_a_percent() -> None:
    broken = ReferenceEquation(
        **{
            **ILLUSTRATIVE.__dict__,
            "by_sex": {
                "female": SexCoefficients(Decimal(-2000), Decimal(1), Decimal(0), Decimal(1))
            },
        }
    )
    result = walk(broken, distance_m=480, age_years=10, sex="female", height_cm=140)
    assert result.percent_predicted is None
    assert result.no_reference == refused("the equation predicts -1988.6 m")


# --- properties -----------------------------------------------------------------------------------

ages = st.decimals(min_value=3, max_value=18, places=1)
heights = st.decimals(min_value=90, max_value=200, places=1)
distances = st.decimals(min_value=0, max_value=1200, places=2)
sexes = st.sampled_from(["female", "male"])


def tenth(value: Fraction) -> Fraction:
    """Half away from zero to 0.1, for a value that is not negative."""
    return Fraction(int(value * 10 + Fraction(1, 2)), 10)


@FAST
@given(ages, heights, sexes, distances)
def test_every_percent_can_be_recomputed_from_its_rule(
    age: Decimal, height: Decimal, sex: str, distance: Decimal
) -> None:
    # An independent recomputation with exact fractions from the published coefficients.
    c = ILLUSTRATIVE.by_sex[sex]
    a, h = Fraction(age), Fraction(height) / 100
    exact = Fraction(c.intercept) + Fraction(c.age) * a + Fraction(c.age_squared) * a * a
    predicted = tenth(exact + Fraction(c.height_m) * h)
    percent = tenth(tenth(Fraction(distance)) / predicted * 100)
    result = walk(ILLUSTRATIVE, distance_m=distance, age_years=age, sex=sex, height_cm=height)
    assert Fraction(result.predicted) == predicted
    assert Fraction(result.percent_predicted) == percent


@FAST
@given(ages, heights, sexes, distances, distances)
def test_percent_predicted_is_monotone_in_distance(
    age: Decimal, height: Decimal, sex: str, first: Decimal, second: Decimal
) -> None:
    low, high = sorted((first, second))
    below = walk(ILLUSTRATIVE, distance_m=low, age_years=age, sex=sex, height_cm=height)
    above = walk(ILLUSTRATIVE, distance_m=high, age_years=age, sex=sex, height_cm=height)
    assert below.predicted == above.predicted  # the prediction ignores the distance
    assert below.percent_predicted is not None and above.percent_predicted is not None
    assert below.percent_predicted <= above.percent_predicted
    if round(high, 1) - round(low, 1) >= 1:  # a metre more always shows (predicted < 1000 m)
        assert below.percent_predicted < above.percent_predicted


@FAST
@given(heights, sexes, distances, st.sampled_from([3, 18]))
def test_a_boundary_age_gives_the_same_result_however_it_is_written(
    height: Decimal, sex: str, distance: Decimal, boundary: int
) -> None:
    # 18, 18.0 and 18.00 are the same age: the same prediction and percent, never a refusal.
    written = [boundary, float(boundary), Decimal(f"{boundary}.00")]
    results = [
        walk(ILLUSTRATIVE, distance_m=distance, age_years=age, sex=sex, height_cm=height)
        for age in written
    ]
    assert all(r.no_reference is None and r.percent_predicted is not None for r in results)
    assert len({(r.predicted, r.percent_predicted, r.rule) for r in results}) == 1


outside_ages = st.one_of(
    st.decimals(min_value=2, max_value="2.99", places=2),
    st.decimals(min_value="18.01", max_value=25, places=2),
)
outside_heights = st.one_of(
    st.decimals(min_value=80, max_value="89.99", places=2),
    st.decimals(min_value="200.01", max_value=220, places=2),
)


@FAST
@given(outside_ages, heights, sexes, distances)
def test_an_age_outside_the_range_is_refused_never_extrapolated(
    age: Decimal, height: Decimal, sex: str, distance: Decimal
) -> None:
    result = walk(ILLUSTRATIVE, distance_m=distance, age_years=age, sex=sex, height_cm=height)
    assert result.predicted is None and result.percent_predicted is None
    assert result.no_reference is not None and f"age {age} is outside" in result.no_reference
    assert result.values == {"distance_m": round_half_away_from_zero(distance)}  # still shown


@FAST
@given(ages, outside_heights, sexes, distances)
def test_a_height_outside_the_sample_is_refused_never_extrapolated(
    age: Decimal, height: Decimal, sex: str, distance: Decimal
) -> None:
    result = walk(ILLUSTRATIVE, distance_m=distance, age_years=age, sex=sex, height_cm=height)
    assert result.predicted is None and result.percent_predicted is None
    assert result.no_reference is not None and f"height {height} cm" in result.no_reference


@FAST
@given(ages, heights, sexes)
def test_predicted_distance_is_positive_over_the_valid_range(
    age: Decimal, height: Decimal, sex: str
) -> None:
    result = walk(ILLUSTRATIVE, distance_m=500, age_years=age, sex=sex, height_cm=height)
    assert result.predicted is not None and result.predicted > 0
    assert result.percent_predicted is not None and result.percent_predicted > 0


# --- `backto score` carries the percent and its source ---------------------------------------------

LINE = {"id": "w1", "test": "6mwt", "distance_m": 480, "age_years": 12.5, "sex": "female"}


def score(line: dict[str, Any]) -> dict[str, Any]:
    out = io.StringIO()
    call_command("score", stdin=io.StringIO(json.dumps(line) + "\n"), stdout=out)
    [result] = [json.loads(text) for text in out.getvalue().splitlines()]
    return result


def test_backto_score_prints_the_percent_and_its_source_once_an_equation_is_installed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(functional_tests, "SIX_MINUTE_WALK_REFERENCE", ILLUSTRATIVE)
    result = score({**LINE, "height_cm": 152})
    assert result["values"] == {"distance_m": 480.0}
    assert (result["predicted"], result["percent_predicted"]) == (617.6, 77.7)
    assert result["reference"] == ILLUSTRATIVE.name
    assert result["citation"] == ILLUSTRATIVE.citation
    assert result["no_reference"] is None and result["error"] is None
    assert result["rule"].startswith("predicted 6MWD (m, female) = 200 + 40·age")
    # outside the equation's heights: the distance, the equation considered, and why no percent
    short = score({**LINE, "height_cm": 85})
    assert short["percent_predicted"] is None and short["reference"] == ILLUSTRATIVE.name
    assert short["no_reference"] == refused(
        "height 85 cm is outside the heights of the equation's sample, 90–200 cm"
    )


def test_backto_score_says_why_there_is_no_percent_as_shipped() -> None:
    result = score({**LINE, "height_cm": 152})
    assert result["percent_predicted"] is None and result["reference"] is None
    assert result["citation"] is None and result["no_reference"] == NO_6MWT_EQUATION

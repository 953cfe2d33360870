"""Budapest and ACR tallies: met, not met, or incomplete; symptoms and signs kept apart."""

from decimal import Decimal

import pytest

from backto.clinical.criteria_tallies import (
    BudapestInput,
    acr_2010_tally,
    acr_2016_tally,
    budapest_tally,
    temperature_difference,
)
from backto.clinical.screening import ScreeningError

THREE_SYMPTOM_CATEGORIES = {"allodynia": "yes", "colour_change": "yes", "swelling": "yes"}
TWO_SIGN_CATEGORIES = {"allodynia": "yes", "reduced_range_of_motion": "yes"}


def full(**changes: object) -> BudapestInput:
    values: dict[str, object] = {
        "disproportionate_pain": "yes",
        "symptoms": THREE_SYMPTOM_CATEGORIES,
        "signs": TWO_SIGN_CATEGORIES,
        "temperature_difference_c": 0.4,
        "no_better_explanation": "yes",
    }
    values.update(changes)
    return BudapestInput(**values)  # type: ignore[arg-type]


def test_budapest_is_met_with_all_four_criteria() -> None:
    tally = budapest_tally(full())
    assert tally.result == "met"
    assert tally.text == "Budapest clinical criteria tally: met"


def test_two_symptom_categories_are_not_enough() -> None:
    symptoms = {
        "allodynia": "yes",
        "colour_change": "yes",
        "swelling": "no",
        "sweating_change": "no",
    }
    symptoms |= dict.fromkeys(
        ("reduced_range_of_motion", "weakness", "tremor", "dystonia", "trophic_change"), "no"
    )
    tally = budapest_tally(full(symptoms=symptoms))
    assert tally.b_symptoms == "not met"
    assert tally.result == "not met"


def test_unknown_categories_that_could_still_count_make_it_incomplete() -> None:
    tally = budapest_tally(full(symptoms={"allodynia": "yes", "colour_change": "yes"}))
    assert tally.b_symptoms == "incomplete"
    assert tally.result == "incomplete"


def test_a_criterion_not_met_settles_the_result_despite_unknowns() -> None:
    tally = budapest_tally(full(symptoms={}, no_better_explanation="no"))
    assert tally.result == "not met"


def test_symptoms_and_signs_are_counted_separately() -> None:
    # Three reported categories but only one examined: C fails even though B holds.
    tally = budapest_tally(
        full(
            signs={"allodynia": "yes"}
            | dict.fromkeys(
                (
                    "colour_change",
                    "swelling",
                    "sweating_change",
                    "reduced_range_of_motion",
                    "weakness",
                    "tremor",
                    "dystonia",
                    "trophic_change",
                ),
                "no",
            ),
            temperature_difference_c=0.2,
        )
    )
    assert tally.b_symptoms == "met"
    assert tally.c_signs == "not met"


@pytest.mark.parametrize(
    ("difference", "sign"),
    [
        (1.0, "no"),
        (1.1, "yes"),
        (-1.1, "yes"),
        (33.1 - 32.1, "no"),
        (Decimal("1.05"), "yes"),
        (None, "unknown"),
    ],
)
def test_temperature_asymmetry_is_a_sign_only_above_one_degree(
    difference: object, sign: str
) -> None:
    tally = budapest_tally(full(temperature_difference_c=difference))
    assert tally.temperature_sign == sign


def test_temperature_differences_are_exact_decimals() -> None:
    assert temperature_difference(33.1, 32.1) == Decimal("1.0")


def test_temperature_can_only_be_a_sign_when_measured() -> None:
    with pytest.raises(ScreeningError, match="give temperature_difference_c"):
        budapest_tally(full(signs={"temperature_asymmetry": "yes"}))


def test_unknown_features_are_named_with_the_allowed_ones() -> None:
    with pytest.raises(
        ScreeningError, match="symptoms: unknown feature 'itch'; allowed: allodynia"
    ):
        budapest_tally(full(symptoms={"itch": "yes"}))


@pytest.mark.parametrize(
    ("wpi", "ss", "months", "result"),
    [
        (7, 5, 3, "met"),
        (6, 9, 3, "met"),
        (3, 9, 3, "met"),
        (2, 12, 3, "not met"),
        (6, 8, 3, "not met"),
        (7, 4, 3, "not met"),
        (7, 5, 2.9, "not met"),
        (7, 5, None, "incomplete"),
        (2, 5, None, "not met"),
    ],
)
def test_acr_2010(wpi: int, ss: int, months: float | None, result: str) -> None:
    assert acr_2010_tally(wpi=wpi, ss=ss, duration_months=months).result == result


@pytest.mark.parametrize(
    ("wpi", "ss", "regions", "result"),
    [
        (7, 5, 4, "met"),
        (4, 9, 5, "met"),
        (3, 9, 5, "not met"),  # 2016 needs WPI 4-6 with SSS 9
        (7, 5, 3, "not met"),  # generalized pain needs 4 of 5 regions
        (7, 5, None, "incomplete"),
    ],
)
def test_acr_2016(wpi: int, ss: int, regions: int | None, result: str) -> None:
    tally = acr_2016_tally(wpi=wpi, ss=ss, generalized_regions=regions, duration_months=4)
    assert tally.result == result


def test_acr_ranges_are_checked() -> None:
    with pytest.raises(ScreeningError, match="wpi must be a whole number from 0 to 19"):
        acr_2010_tally(wpi=20, ss=5, duration_months=3)
    with pytest.raises(ScreeningError, match="ss must be a whole number from 0 to 12"):
        acr_2016_tally(wpi=7, ss=13, generalized_regions=4, duration_months=3)
    with pytest.raises(
        ScreeningError, match="generalized_regions must be a whole number from 0 to 5"
    ):
        acr_2016_tally(wpi=7, ss=5, generalized_regions=6, duration_months=3)


def test_acr_wording_is_a_tally_not_a_diagnosis() -> None:
    text = acr_2010_tally(wpi=8, ss=6, duration_months=4).text
    assert text == "ACR 2010 criteria tally: met (WPI 8, SS 6)"
    assert "fibromyalgia" not in text.lower()

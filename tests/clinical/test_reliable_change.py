"""Reliable change (Jacobson & Truax 1991), responders, recovery and the pain NRS minimal change."""

import math

import pytest

from backto.clinical.instrument_registry import instrument_registry
from backto.clinical.reliable_change import (
    ChangeError,
    assess_change,
    classify_change,
    clinical_cutoff,
    instrument_minimal_change,
    instrument_reliable_change,
    pain_minimal_change,
    reliable_change_index,
    reliable_change_threshold,
    standard_error_of_measurement,
)

REGISTRY = instrument_registry()
FDI = REGISTRY.get("fdi-child")
PCS_C = REGISTRY.get("pcs-c")


def test_fdi_reliable_change_is_about_nine_point_six_points() -> None:
    assert standard_error_of_measurement(11, 0.9) == pytest.approx(11 * math.sqrt(0.1))
    assert round(reliable_change_threshold(11, 0.9), 1) == 9.6


def test_pcs_c_reliable_change_threshold_uses_sd_ten_and_r_point_eight_seven() -> None:
    assert reliable_change_threshold(10, 0.87) == pytest.approx(
        1.96 * math.sqrt(2) * 10 * math.sqrt(0.13)
    )


def test_a_fdi_drop_of_nine_point_six_is_not_reliable_but_nine_point_seven_is() -> None:
    assert instrument_reliable_change(FDI, 30, 20.4).classification == "no reliable change"
    assert instrument_reliable_change(FDI, 30, 20.3).classification == "reliably improved"


def test_rci_is_post_minus_pre_over_s_diff() -> None:
    assert reliable_change_index(30, 20, sd=11, r=0.9) == pytest.approx(
        -10 / (math.sqrt(2) * 11 * math.sqrt(0.1))
    )


def test_direction_decides_improved_or_worse() -> None:
    worse_is_higher = classify_change(10, 30, sd=11, r=0.9, direction="higher_is_worse")
    better_is_higher = classify_change(10, 30, sd=11, r=0.9, direction="higher_is_better")
    assert worse_is_higher.classification == "reliably worse"
    assert better_is_higher.classification == "reliably improved"


def test_the_sd_and_r_used_travel_with_the_result() -> None:
    change = instrument_reliable_change(PCS_C, 30, 15)
    assert (change.sd, change.r) == (10, 0.87)
    assert "0.87" in change.source


def test_an_instrument_without_parameters_cannot_give_reliable_change() -> None:
    with pytest.raises(ChangeError, match=r"fopq-c-sf 1\.0\.0 has no reliable-change parameters"):
        instrument_reliable_change(REGISTRY.get("fopq-c-sf"), 20, 5)


def test_a_reliable_fdi_improvement_to_below_thirteen_is_recovered_and_a_responder() -> None:
    assessment = assess_change(FDI, 25, 12)
    assert assessment.reliable_change.improved
    assert (assessment.band_before, assessment.band_after) == ("moderate", "none/minimal")
    assert assessment.responder is True
    assert assessment.recovered is True


def test_a_reliable_improvement_within_one_band_is_not_a_responder() -> None:
    assessment = assess_change(FDI, 60, 40)
    assert assessment.reliable_change.improved
    assert assessment.responder is False
    assert assessment.recovered is False


def test_a_band_change_without_reliable_change_is_not_a_responder() -> None:
    assessment = assess_change(FDI, 14, 12.9)
    assert assessment.band_after == "none/minimal"
    assert assessment.responder is False
    assert assessment.recovered is False


def test_pcs_c_has_no_recovery_rule() -> None:
    assessment = assess_change(PCS_C, 35, 10)
    assert assessment.responder is True
    assert assessment.recovered is None


def test_the_clinical_cut_off_weights_each_mean_by_the_other_sd() -> None:
    c = clinical_cutoff(functional_mean=5, functional_sd=5, clinical_mean=25, clinical_sd=10)
    assert c == pytest.approx((5 * 25 + 10 * 5) / 15)


def test_rc_parameters_are_checked() -> None:
    with pytest.raises(ChangeError, match="reliability r must lie between 0 and 1"):
        reliable_change_threshold(11, 1)


@pytest.mark.parametrize(
    ("pre", "post", "meaningful", "direction"),
    [
        (6, 5, True, "improved"),  # 1 point
        (6, 6, False, "no change"),
        (10, 9, True, "improved"),  # 1 point (10%): the points criterion suffices
        (4, 3.5, True, "improved"),  # 0.5 point but 12.5%
        (8, 7.5, False, "improved"),  # 0.5 point, 6.25%
        (3, 4, True, "worse"),
        (0, 0.5, False, "worse"),  # percent undefined from 0
    ],
)
def test_pain_minimal_change_is_one_point_or_twelve_and_a_half_percent(
    pre: float, post: float, meaningful: bool, direction: str
) -> None:
    change = pain_minimal_change(pre, post)
    assert change.meaningful is meaningful
    assert change.direction == direction


def test_both_criteria_are_reported_and_can_be_required_together() -> None:
    change = pain_minimal_change(10, 9, rule="both")
    assert change.meets_points is True
    assert change.meets_percent is False
    assert change.percent == pytest.approx(-10)
    assert change.meaningful is False


def test_exactly_twelve_and_a_half_percent_counts() -> None:
    assert pain_minimal_change(8, 7, rule="percent").meaningful is True  # 1/8 = 12.5% exactly


def test_pain_change_reads_its_thresholds_from_the_nrs_file() -> None:
    change = instrument_minimal_change(REGISTRY.get("nrs-pain"), 7, 2.5)
    assert (change.points_threshold, change.percent_threshold) == (1, 12.5)
    assert change.meaningful
    assert "Hirschfeld" in change.source


def test_pain_ratings_outside_zero_to_ten_are_rejected() -> None:
    with pytest.raises(ChangeError, match="post must be a pain rating from 0 to 10"):
        pain_minimal_change(5, 11)

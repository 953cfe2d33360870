"""The scoring engine against the worked rules of CLINICAL.md ("Missing items", bands)."""

from collections.abc import Sequence
from decimal import Decimal

import pytest

from backto.clinical import ENGINE_VERSION
from backto.clinical.instrument_registry import instrument_registry
from backto.clinical.scoring import band_for, round_half_away_from_zero, score
from tests.clinical.instrument_data import instrument_data, make_instrument

REGISTRY = instrument_registry()
FDI = REGISTRY.get("fdi-child")
PCS_C = REGISTRY.get("pcs-c")
FOPQ = REGISTRY.get("fopq-c-sf")


def answers(values: Sequence[float | None]) -> dict[str, float | None]:
    return {str(number): value for number, value in enumerate(values, start=1)}


def test_it_sums_a_complete_fdi() -> None:
    result = score(FDI, answers([2] * 10 + [1] * 5))
    assert result.total == Decimal("25.0")
    assert result.band == "moderate"
    assert (result.prorated, result.missing, result.errors) == (False, 0, ())


def test_it_prorates_fdi_with_three_missing() -> None:
    # 12 answered, sum 25: 25 / 12 x 15 = 31.25, rounded half away from zero -> 31.3
    result = score(FDI, answers([3, 3, 3, 2, 2, 2, 2, 2, 2, 2, 1, 1, None, None, None]))
    assert result.total == Decimal("31.3")
    assert result.prorated is True
    assert result.missing == 3
    assert result.band == "severe"
    assert "prorated from 12 answered of 15 items" in result.notes[0]


def test_it_leaves_fdi_null_with_four_missing_and_says_why() -> None:
    result = score(FDI, answers([2] * 11 + [None] * 4))
    assert result.total is None
    assert result.band is None
    assert result.prorated is False
    assert result.missing == 4
    assert result.errors == ()
    assert result.notes == (
        "total not computed: 4 of 15 items unanswered; at most 3 may be missing",
    )


def test_an_absent_answer_counts_as_missing_like_none() -> None:
    with_none = score(FDI, answers([2] * 12 + [None] * 3))
    without = score(FDI, answers([2] * 12))
    assert with_none == without


@pytest.mark.parametrize(
    ("instrument_id", "items", "allowed"),
    [
        ("fdi-child", 15, 3),
        ("pcs-c", 13, 2),
        ("pcs-p", 13, 2),
        ("fopq-c-sf", 10, 2),
        ("ppst", 9, 1),
    ],
)
def test_the_missing_limit_is_twenty_percent_rounded_down(
    instrument_id: str, items: int, allowed: int
) -> None:
    instrument = REGISTRY.get(instrument_id)
    assert instrument.scoring is not None
    assert instrument.scoring.missing.allowed(items) == allowed


def test_it_prorates_pcs_c_with_two_missing_but_not_three() -> None:
    two = score(PCS_C, answers([2] * 11 + [None] * 2))
    three = score(PCS_C, answers([2] * 10 + [None] * 3))
    assert (two.total, two.prorated) == (Decimal("26.0"), True)
    assert three.total is None


def test_subscales_apply_the_rule_to_their_own_items() -> None:
    # Item 13 missing: magnification (6, 7, 13) may miss floor(0.6) = 0 items -> null;
    # helplessness (1-5, 12) and rumination (8-11) are complete.
    result = score(PCS_C, answers([1] * 12 + [None]))
    assert result.total == Decimal("13.0")  # 12 / 12 x 13
    assert result.subscales == {
        "rumination": Decimal("4.0"),
        "magnification": None,
        "helplessness": Decimal("6.0"),
    }
    assert any("subscale magnification not computed" in note for note in result.notes)


def test_fopq_subscales_prorate_one_missing_of_five() -> None:
    result = score(FOPQ, answers([None, 1, 1, 2, 1, 1, 2, 2, 2, 2]))
    assert result.subscales == {"fear": Decimal("5.0"), "avoidance": Decimal("10.0")}
    assert result.total == Decimal("15.6")  # 14 / 9 x 10 = 15.555...


@pytest.mark.parametrize(
    ("total", "band"),
    [
        ("0", "none/minimal"),
        ("12.9", "none/minimal"),
        ("13", "moderate"),
        ("29.9", "moderate"),
        ("30", "severe"),
        ("60", "severe"),
    ],
)
def test_fdi_bands_are_half_open(total: str, band: str) -> None:
    assert band_for(FDI, Decimal(total)) == band


@pytest.mark.parametrize(
    ("total", "band"),
    [
        ("14.9", "low"),
        ("15", "moderate"),
        ("25.5", "moderate"),
        ("25.9", "moderate"),
        ("26", "high"),
    ],
)
def test_pcs_c_bands_are_half_open(total: str, band: str) -> None:
    assert band_for(PCS_C, Decimal(total)) == band


def test_a_prorated_fdi_of_twelve_point_nine_is_none_minimal() -> None:
    result = score(FDI, answers([1] * 12 + [0, 0, None]))  # 12 / 14 x 15 = 12.857 -> 12.9
    assert result.total == Decimal("12.9")
    assert result.band == "none/minimal"


def test_pcs_p_flags_twenty_three_and_above_as_high() -> None:
    pcs_p = REGISTRY.get("pcs-p")
    assert band_for(pcs_p, Decimal("22.9")) == "not flagged"
    assert band_for(pcs_p, Decimal("23")) == "high"


@pytest.mark.parametrize(
    ("rating", "band"),
    [
        (0, "none"),
        (1, "mild"),
        (3, "mild"),
        (4, "moderate"),
        (6, "moderate"),
        (7, "severe"),
        (10, "severe"),
    ],
)
def test_pain_nrs_bands_follow_the_convention(rating: int, band: str) -> None:
    result = score(REGISTRY.get("nrs-pain"), {"current": rating})
    assert result.band == band


def test_pain_nrs_reports_the_past_week_ratings_beside_pain_now() -> None:
    result = score(REGISTRY.get("nrs-pain"), {"current": 3, "usual_week": 5, "worst_week": 8})
    assert result.total == Decimal("3.0")
    assert result.subscales == {"usual_week": Decimal("5.0"), "worst_week": Decimal("8.0")}


def test_rounding_is_half_away_from_zero_not_bankers() -> None:
    assert round_half_away_from_zero(Decimal("31.25")) == Decimal("31.3")
    assert round_half_away_from_zero(Decimal("-31.25")) == Decimal("-31.3")
    assert round(31.25, 1) == 31.2  # what float rounding would have done


def test_an_unknown_linkid_is_an_error_naming_it_and_the_allowed_ones() -> None:
    result = score(FDI, {"16": 2})
    assert result.total is None
    assert result.errors == (
        "fdi-child has no item '16'; its linkIds are 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, "
        "14, 15",
    )


def test_a_value_outside_the_options_is_an_error_naming_the_allowed_values() -> None:
    result = score(FDI, answers([5] + [0] * 14))
    assert result.errors == (
        "item '1' of fdi-child: 5 is not one of its answers; allowed: 0, 1, 2, 3, 4",
    )


@pytest.mark.parametrize("bad", [True, "2", 2.5, [2]])
def test_only_numbers_among_the_options_are_answers(bad: object) -> None:
    result = score(FDI, {"1": bad})  # type: ignore[dict-item]
    assert not result.ok
    assert "allowed: 0, 1, 2, 3, 4" in result.errors[0]


def test_a_whole_number_written_as_a_decimal_is_accepted() -> None:
    assert score(FDI, answers([2.0] * 15)).total == Decimal("30.0")


def test_reverse_scored_items_count_from_the_other_end() -> None:
    data = instrument_data()
    data["items"][0]["reverse"] = True
    instrument = make_instrument(items=data["items"])
    result = score(instrument, {"1": 0, "2": 0, "3": 0, "4": 0, "5": 0})
    assert result.total == Decimal("4.0")
    assert result.subscales == {"first_two": Decimal("4.0")}


def test_a_disabled_instrument_is_not_scored_and_says_why() -> None:
    result = score(REGISTRY.get("ppst"), answers([1] * 9))
    assert result.total is None
    assert result.errors == (
        "instrument ppst is disabled: risk thresholds must be checked against the official "
        "scoring sheet before enabling",
    )


def test_results_carry_the_instrument_version_engine_version_and_rule() -> None:
    result = score(FDI, answers([0] * 15))
    assert (result.instrument_id, result.instrument_version) == ("fdi-child", "1.0.0")
    assert result.engine_version == ENGINE_VERSION == "1.0.0"
    assert "up to 3 unanswered items allowed" in result.rule
    assert "[0, 13) none/minimal" in result.rule


def test_school_attendance_is_the_percentage_of_school_days_attended() -> None:
    school = REGISTRY.get("school")
    # full, part (half), absent, no school (left out), full: (1 + 0.5 + 0 + 1) / 4 = 62.5%
    result = score(school, {"mon": 2, "tue": 1, "wed": 0, "thu": 9, "fri": 2, "missed_4wk": 3})
    assert result.total == Decimal("62.5")
    assert result.prorated is False
    assert result.subscales == {"days_missed_4wk": Decimal("3.0")}


def test_school_allows_one_unanswered_day_and_flags_it() -> None:
    result = score(REGISTRY.get("school"), {"mon": 2, "tue": 2, "wed": 2, "thu": 0})
    assert (result.total, result.prorated, result.missing) == (Decimal("75.0"), True, 1)


def test_a_week_without_school_has_no_percentage() -> None:
    result = score(REGISTRY.get("school"), dict.fromkeys(["mon", "tue", "wed", "thu", "fri"], 9))
    assert result.total is None
    assert "total not computed: no applicable answers" in result.notes


def test_the_diary_is_not_scored_but_checks_answers_and_raises_safety_alerts() -> None:
    diary = REGISTRY.get("daily-diary")
    good = score(
        diary, {"mood": 0, "win": "I went to art class", "coping": [1, 3], "sleep_hours": 8.5}
    )
    assert good.ok
    assert good.total is None
    assert good.alerts == ("mood",)
    bad = score(diary, {"sleep_hours": 30, "coping": [1, 1], "win": 3})
    assert bad.errors == (
        "item 'sleep_hours' of daily-diary: must be a number from 0 to 16, got 30",
        "item 'coping' of daily-diary: an answer is listed twice in [1, 1]",
        "item 'win' of daily-diary: must be text",
    )

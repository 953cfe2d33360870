"""Screening: red flags first, a feature tally, and never a diagnosis."""

import re
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backto.clinical.screening import (
    DEFAULT_RED_FLAGS,
    FEATURE_KEYS,
    SCREENING_ITEMS,
    ScreeningAnswer,
    ScreeningConfig,
    ScreeningError,
    add_months,
    classify_distribution,
    family_feature_sentence,
    pain_duration_answer,
    screening_config_from_data,
    summarize_screening,
)

DIAGNOSTIC = re.compile(
    r"\bAMPS\b|CRPS|fibromyalgia|diagnos|consistent with|meets criteria|has amplified|"
    r"your child has|you have",
    re.IGNORECASE,
)
YES = ScreeningAnswer("yes")
NO = ScreeningAnswer("no")


def all_no_red_flags() -> dict[str, ScreeningAnswer]:
    return {flag.key: NO for flag in DEFAULT_RED_FLAGS}


def test_there_are_thirteen_items_and_seven_default_red_flags() -> None:
    assert [item.number for item in SCREENING_ITEMS] == list(range(1, 14))
    assert len(FEATURE_KEYS) == 11
    assert [flag.key for flag in DEFAULT_RED_FLAGS] == [
        "fever",
        "weight_loss",
        "night_pain",
        "joint_swelling",
        "neurological_deficit",
        "abnormal_labs",
        "focal_bone_pain",
    ]


def test_the_family_reads_how_many_features_and_that_a_clinician_must_examine() -> None:
    summary = summarize_screening(
        {
            "allodynia": YES,
            "hyperalgesia": YES,
            "duration": YES,
            "pattern": ScreeningAnswer(value="constant"),
        },
        all_no_red_flags(),
    )
    assert summary.family_lines == (
        "3 features often seen in amplified pain — a clinician must examine your child.",
    )
    assert summary.route == "clinician_examination"
    assert summary.feature_count == 3
    assert summary.pattern == "constant"


def test_one_feature_is_singular() -> None:
    assert family_feature_sentence(1).startswith("1 feature often seen")


def test_red_flags_come_first_and_route_to_medical_evaluation() -> None:
    flags = all_no_red_flags() | {"fever": YES, "night_pain": YES}
    summary = summarize_screening({"allodynia": YES}, flags)
    assert summary.route == "medical_evaluation"
    assert summary.red_flags_present == ("Fever", "Night pain that wakes the child")
    assert summary.family_lines[0].startswith("Please arrange a medical evaluation first")
    assert "pain that wakes your child at night" in summary.family_lines[0]
    assert summary.family_lines[-1].startswith("1 feature often seen in amplified pain")
    assert summary.clinician_lines[0].startswith("Red flags present: Fever, Night pain")


def test_unchecked_red_flags_are_listed_before_the_features() -> None:
    summary = summarize_screening({}, {"fever": NO})
    assert summary.red_flags_unchecked[0] == "Unexplained weight loss"
    assert summary.family_lines[0].startswith("A doctor still needs to check")
    assert summary.clinician_lines[0].startswith("Red flags not yet checked")


def test_distribution_is_diffuse_at_five_regions() -> None:
    assert classify_distribution(4) == "localized"
    assert classify_distribution(5) == "diffuse"
    assert classify_distribution(1) == "localized"
    with pytest.raises(ScreeningError, match="1 or more"):
        classify_distribution(0)


def test_the_summary_describes_distribution_without_counting_it() -> None:
    summary = summarize_screening({"distribution": ScreeningAnswer(value=6)}, all_no_red_flags())
    assert summary.distribution == "diffuse"
    assert summary.feature_count == 0
    assert "Distribution: diffuse (6 painful regions)." in summary.clinician_lines


def test_unknown_items_and_bad_answers_are_named() -> None:
    with pytest.raises(ScreeningError, match="unknown screening item 'limping'; allowed: duration"):
        summarize_screening({"limping": YES}, {})
    with pytest.raises(ScreeningError, match="red flag 'fever': answer must be yes, no or unknown"):
        summarize_screening({}, {"fever": ScreeningAnswer("maybe")})  # type: ignore[arg-type]


def test_duration_uses_the_configured_months() -> None:
    onset = date(2025, 1, 31)
    assert pain_duration_answer(onset, date(2025, 4, 30)).answer == "yes"
    assert pain_duration_answer(onset, date(2025, 4, 29)).answer == "no"
    six = ScreeningConfig(min_duration_months=6)
    assert pain_duration_answer(onset, date(2025, 4, 30), six).answer == "no"
    assert pain_duration_answer(None, date(2025, 4, 30)).answer == "unknown"
    assert add_months(date(2024, 11, 30), 3) == date(2025, 2, 28)


def test_the_feature_label_shows_the_configured_duration() -> None:
    summary = summarize_screening({"duration": YES}, {}, ScreeningConfig(min_duration_months=6))
    assert "Pain for 6 months or more" in summary.features_present


def test_the_red_flag_list_and_duration_are_configurable_data() -> None:
    config = screening_config_from_data(
        {
            "min_duration_months": 6,
            "red_flags": [{"key": "rash", "label": "Rash", "family_label": "a rash"}],
        }
    )
    summary = summarize_screening({}, {"rash": YES}, config)
    assert summary.red_flags_present == ("Rash",)
    with pytest.raises(ScreeningError, match="unknown screening setting"):
        screening_config_from_data({"months": 6})


answers = st.dictionaries(
    st.sampled_from([item.key for item in SCREENING_ITEMS if item.kind == "feature"]),
    st.builds(ScreeningAnswer, st.sampled_from(["yes", "no", "unknown"]), st.text(max_size=5)),
)
flags = st.dictionaries(
    st.sampled_from([flag.key for flag in DEFAULT_RED_FLAGS]),
    st.builds(ScreeningAnswer, st.sampled_from(["yes", "no", "unknown"])),
)


@settings(max_examples=60, deadline=None)
@given(answers, flags, st.integers(1, 19), st.sampled_from(["constant", "intermittent"]))
def test_no_wording_ever_names_a_diagnosis(
    features: dict[str, ScreeningAnswer],
    red_flags: dict[str, ScreeningAnswer],
    regions: int,
    pattern: str,
) -> None:
    given_answers = features | {
        "distribution": ScreeningAnswer(value=regions),
        "pattern": ScreeningAnswer(value=pattern),
    }
    summary = summarize_screening(given_answers, red_flags)
    for line in summary.family_lines + summary.clinician_lines:
        assert not DIAGNOSTIC.search(line), line
    present = [key for key, answer in red_flags.items() if answer.answer == "yes"]
    assert (summary.route == "medical_evaluation") == bool(present)
    if present:
        assert summary.family_lines[0].startswith("Please arrange a medical evaluation first")
    assert summary.family_lines[-1].endswith("a clinician must examine your child.")

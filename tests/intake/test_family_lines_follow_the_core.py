"""The intake words the screening's family lines itself, so that they can be translated; in
English they must say exactly what the clinical core's rules say (backto/clinical/screening.py:
red flags first, then the feature count, never a diagnosis). A change to either fails here."""

from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from backto.capabilities.intake.summary import family_lines
from backto.clinical.screening import (
    DEFAULT_RED_FLAGS,
    FEATURE_KEYS,
    ScreeningAnswer,
    ScreeningConfig,
    summarize_screening,
)

ANSWER = st.sampled_from([None, "yes", "no", "unknown"])


def _answers(values: dict[str, str | None]) -> dict[str, ScreeningAnswer]:
    return {key: ScreeningAnswer(value=value) for key, value in values.items() if value}


@settings(max_examples=60, deadline=None)
@given(
    features=st.fixed_dictionaries(dict.fromkeys(FEATURE_KEYS, ANSWER)),
    flags=st.fixed_dictionaries({flag.key: ANSWER for flag in DEFAULT_RED_FLAGS}),
)
def test_the_intake_s_english_family_lines_are_the_core_s(features, flags):
    config = ScreeningConfig()
    summary = summarize_screening(_answers(features), _answers(flags), config)
    with translation.override("en"):
        assert family_lines(summary, config) == summary.family_lines

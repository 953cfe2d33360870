"""The caseload's clinical flags, on worked examples with the project's FDI (SD 11, r 0.90: a
reliable change is about 9.6 points) and the catastrophizing bands of the instrument files."""

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from backto.clinical.caseload import (
    ACTIVITY_DROP,
    NO_IMPROVEMENT_WEEKS,
    activity_dropped,
    catastrophizing_high,
    fdi_change,
    function_falling,
    no_reliable_improvement,
    top_band,
)
from backto.clinical.instrument_registry import instrument_registry

REGISTRY = instrument_registry()
FDI = REGISTRY.get("fdi-child")
SIX_WEEKS = 7 * NO_IMPROVEMENT_WEEKS


def test_the_fdi_change_is_read_from_the_first_score_to_the_last() -> None:
    assert fdi_change(FDI, [Decimal(30), Decimal(25), Decimal(15)]) == "reliably improved"
    assert fdi_change(FDI, [30, 35]) == "no reliable change"  # 5 points: within 9.6
    assert fdi_change(FDI, [20, 32]) == "reliably worse"
    assert fdi_change(FDI, [30]) is None
    assert fdi_change(None, [30, 10]) is None


def test_an_fdi_of_30_still_30_after_seven_weeks_is_no_reliable_improvement() -> None:
    change = fdi_change(FDI, [30, 30])
    assert no_reliable_improvement(active=True, days_in_program=49, change=change)


def test_no_improvement_waits_six_whole_weeks() -> None:
    assert not no_reliable_improvement(active=True, days_in_program=SIX_WEEKS - 1, change=None)
    assert no_reliable_improvement(active=True, days_in_program=SIX_WEEKS, change=None)
    assert not no_reliable_improvement(active=True, days_in_program=None, change=None)


def test_a_reliable_improvement_or_a_program_not_running_is_not_flagged() -> None:
    improved = fdi_change(FDI, [30, 15])
    assert not no_reliable_improvement(active=True, days_in_program=70, change=improved)
    assert not no_reliable_improvement(active=False, days_in_program=70, change=None)


def test_function_falls_with_a_reliably_worse_fdi_or_a_drop_in_activity() -> None:
    assert function_falling(active=True, change=fdi_change(FDI, [20, 32]))
    assert function_falling(active=True, activity_now=2.25, activity_before=3.0)  # exactly 0.75
    assert not function_falling(active=True, activity_now=2.5, activity_before=3.0)
    assert not function_falling(active=True, change="no reliable change")
    assert not function_falling(active=False, change="reliably worse")


def test_an_activity_drop_needs_both_fortnights() -> None:
    assert not activity_dropped(None, 4.0)
    assert not activity_dropped(0.0, None)


def test_catastrophizing_is_high_in_the_instruments_top_band() -> None:
    pcs_c, pcs_p = top_band(REGISTRY.get("pcs-c")), top_band(REGISTRY.get("pcs-p"))
    assert pcs_c == "high" and pcs_p == "high"  # PCS-C 26 and above; PCS-P 23 and above
    assert catastrophizing_high("high", top=pcs_c)
    assert not catastrophizing_high("moderate", top=pcs_c)
    assert not catastrophizing_high("not flagged", top=pcs_p)
    assert not catastrophizing_high("", top=None)
    assert not catastrophizing_high(None, top=pcs_c)
    assert top_band(None) is None


@given(
    active=st.booleans(),
    days=st.none() | st.integers(min_value=0, max_value=3650),
    change=st.sampled_from([None, "reliably improved", "no reliable change", "reliably worse"]),
    now=st.none() | st.floats(min_value=0, max_value=4),
    before=st.none() | st.floats(min_value=0, max_value=4),
)
def test_no_flag_is_raised_for_a_program_not_running(active, days, change, now, before) -> None:
    raised = no_reliable_improvement(
        active=active, days_in_program=days, change=change
    ) or function_falling(active=active, change=change, activity_now=now, activity_before=before)
    if not active:
        assert not raised


@given(
    now=st.floats(min_value=0, max_value=4),
    before=st.floats(min_value=0, max_value=4),
    lower=st.floats(min_value=0, max_value=4),
)
def test_a_lower_activity_never_undoes_a_drop(now, before, lower) -> None:
    if activity_dropped(now, before) and lower <= now:
        assert activity_dropped(lower, before)
    assert activity_dropped(now, before) == (before - now >= ACTIVITY_DROP)

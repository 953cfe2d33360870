"""The pain-cycle explainer's model: a loop that settles below gain one and persists above it."""

from dataclasses import replace
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backto.clinical.pain_cycle import (
    LEVERS,
    PRESETS,
    SLIDER_MAX,
    STEPS,
    STIMULUS_STEPS,
    Settings,
    describe,
    describe_beat,
    outcome,
    run,
    stage_gains,
)

slider = st.integers(min_value=0, max_value=SLIDER_MAX)
settings = st.builds(
    Settings,
    stimulus=slider,
    sensitivity=slider,
    movement=slider,
    desensitization=slider,
    coping=slider,
    sleep=slider,
)


def test_a_calm_alarm_has_a_gain_near_one_half_and_a_sensitive_one_above_one() -> None:
    assert stage_gains(PRESETS["normal"]).loop == pytest.approx(0.8 * 0.8 * 0.9 * 0.9)
    assert stage_gains(PRESETS["amplified"]).loop == pytest.approx(1.28 * 1.28 * 0.9 * 0.9)
    assert stage_gains(PRESETS["treated"]).loop < 1


def test_the_normal_cycle_switches_off_when_the_stimulus_ends() -> None:
    beats = run(PRESETS["normal"])
    assert [b.stimulus for b in beats[:STIMULUS_STEPS]] == [6.0] * STIMULUS_STEPS
    assert beats[-1].brain < 0.01
    assert outcome(PRESETS["normal"], beats) == ("fades", 9)


def test_the_amplified_cycle_keeps_looping_after_the_danger_is_gone() -> None:
    beats = run(PRESETS["amplified"])
    assert all(b.stimulus == 0 for b in beats[STIMULUS_STEPS:])
    assert beats[-1].brain == 10.0
    assert outcome(PRESETS["amplified"], beats) == ("keeps looping", None)


@given(settings)
def test_below_gain_one_the_signal_decays_to_zero_after_the_stimulus(s: Settings) -> None:
    gain = stage_gains(s).loop
    if gain < 1:
        after = [b.brain for b in run(s, steps=200)[STIMULUS_STEPS:]]
        # Each beat is at most `gain` times the one before: a geometric decay to zero.
        assert all(later <= gain * earlier + 1e-12 for earlier, later in pairwise(after))
        assert after[-1] <= 10 * gain ** (len(after) - 1) + 1e-12


@given(settings)
def test_above_gain_one_the_signal_persists(s: Settings) -> None:
    gain = stage_gains(s).loop
    beats = run(s, steps=200)
    if gain > 1 and s.stimulus > 0:
        after = [b.brain for b in beats[STIMULUS_STEPS:]]
        assert all(later >= earlier for earlier, later in pairwise(after))
        assert after[-1] > 0


@given(settings, st.sampled_from(LEVERS))
def test_each_treatment_lever_lowers_the_gain(s: Settings, lever: str) -> None:
    value = getattr(s, lever)
    if value < SLIDER_MAX:
        more = replace(s, **{lever: value + 1})
        assert stage_gains(more).loop < stage_gains(s).loop


@given(settings)
def test_a_more_sensitive_alarm_raises_the_gain(s: Settings) -> None:
    if s.sensitivity < SLIDER_MAX:
        more = replace(s, sensitivity=s.sensitivity + 1)
        assert stage_gains(more).loop > stage_gains(s).loop


@given(settings)
def test_every_signal_stays_on_the_zero_to_ten_scale(s: Settings) -> None:
    for b in run(s):
        for value in (b.nerves, b.brain, b.muscles, b.blood_flow):
            assert 0.0 <= value <= 10.0


def test_no_stimulus_means_no_alarm() -> None:
    s = Settings(stimulus=0, sensitivity=10)
    assert all(b.brain == 0 for b in run(s))
    assert "With no stimulus, the alarm stays quiet." in describe(s)


def test_every_state_has_a_text_description() -> None:
    assert describe(PRESETS["normal"]).endswith("the alarm fades and is quiet by beat 9.")
    assert "keeps going round the loop: still 10 of 10 at beat 24" in describe(PRESETS["amplified"])
    assert "fades slowly" in describe(Settings(sensitivity=5))
    assert describe_beat(run(PRESETS["normal"])[0]) == (
        "Beat 1: stimulus 6; nerves 5, brain 4, muscles 3, blood flow signal 3, out of 10."
    )
    assert len(run(PRESETS["normal"])) == STEPS


@pytest.mark.parametrize("bad", [-1, 11, 2.5, True, "3"])
def test_a_slider_outside_zero_to_ten_is_refused_by_name(bad: object) -> None:
    with pytest.raises(ValueError, match=r"^coping: "):
        Settings(coping=bad)  # type: ignore[arg-type]

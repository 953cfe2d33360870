"""The pain-cycle explainer's model: a picture for families, not a clinical model.

It shows one idea from the clinic's first visit: pain is an alarm that travels a loop,
stimulus → nerves → brain → muscles → blood flow → back to the nerves. In a normal alarm
each trip round the loop is weaker than the last, so the signal fades once the stimulus ends.
In an amplified alarm the nerves and brain over-react, each trip is stronger than the last,
and the signal keeps cycling after the danger is gone. Treatment turns the loop down.

The model, one step a beat, every signal on a 0–10 scale:

    nerves     = min(10, g_nerves  × (stimulus + blood_flow of the step before))
    brain      = min(10, g_brain   × nerves)        (the alarm the child feels)
    muscles    = min(10, g_muscles × brain)
    blood_flow = min(10, g_blood   × muscles)       (tight muscles, less blood flow: fed back)

The loop gain is the product of the four stage gains. Below one, the signal decays to zero
after the stimulus ends; at or above one it is kept (and, capped at 10, it persists).

Stage gains, from sliders that each run 0–10 (project choices, picked so that a calm alarm has a
gain near one half, a highly sensitive alarm near one and a half, and every treatment lever
lowers the gain):

    g_nerves  = 0.8 + 0.06 × sensitivity − 0.035 × desensitization − 0.01 × sleep
    g_brain   = 0.8 + 0.06 × sensitivity − 0.03 × coping − 0.01 × sleep
    g_muscles = 0.9 − 0.02 × movement
    g_blood   = 0.9 − 0.02 × movement

The page runs the same arithmetic in the browser (`backto/static/backto/pain-cycle.js`), written
in the same order so that both give the same numbers; a browser test compares them.

The words that describe a state are sentence templates with named placeholders (`WORDS`, in
English). The explainer page passes the reader's language's templates (the same sentences,
translated) to `describe` and `describe_beat`, and hands the same templates to the script, so
that both say the same thing in any language.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Final, Literal

STEPS: Final = 24  # beats shown
STIMULUS_STEPS: Final = 4  # the stimulus lasts the first four beats, then the danger is gone
SIGNAL_MAX: Final = 10.0
SLIDER_MAX: Final = 10
QUIET: Final = 0.5  # below this a signal shows as 0 of 10

Outcome = Literal["no stimulus", "fades", "fading", "keeps looping"]

# The sentences of `describe` and `describe_beat`, whole, with named placeholders, so that a
# translation can put the numbers where its language wants them.
Words = Mapping[str, str]
WORDS: Final[Words] = {
    "settings": "Stimulus %(stimulus)s of 10, alarm sensitivity %(sensitivity)s of 10; "
    "treatment: %(levers)s.",
    "movement": "movement",
    "desensitization": "desensitization",
    "coping": "coping",
    "sleep": "sleep",
    "weaker": "Loop gain %(gain)s: each trip round the loop is weaker than the last.",
    "as_strong": "Loop gain %(gain)s: each trip round the loop is as strong as the last.",
    "stronger": "Loop gain %(gain)s: each trip round the loop is stronger than the last.",
    "no_stimulus": "With no stimulus, the alarm stays quiet.",
    "fades": "The alarm peaks at %(peak)s of 10. After the stimulus stops at beat %(stop)s, "
    "the alarm fades and is quiet by beat %(quiet)s.",
    "fading": "The alarm peaks at %(peak)s of 10. After the stimulus stops at beat %(stop)s, "
    "it fades slowly: still %(last)s of 10 at beat %(beats)s.",
    "keeps_looping": "The alarm peaks at %(peak)s of 10. After the stimulus stops at beat "
    "%(stop)s, the signal keeps going round the loop: still %(last)s of 10 at beat %(beats)s, "
    "a false alarm after the danger is gone.",
    "beat": "Beat %(beat)s: stimulus %(stimulus)s; nerves %(nerves)s, brain %(brain)s, "
    "muscles %(muscles)s, blood flow signal %(blood_flow)s, out of 10.",
    "beat_no_stimulus": "Beat %(beat)s: no stimulus; nerves %(nerves)s, brain %(brain)s, "
    "muscles %(muscles)s, blood flow signal %(blood_flow)s, out of 10.",
}


@dataclass(frozen=True)
class Settings:
    """The explainer's sliders, each a whole number from 0 to 10."""

    stimulus: int = 6
    sensitivity: int = 0
    movement: int = 0
    desensitization: int = 0
    coping: int = 0
    sleep: int = 0

    def __post_init__(self) -> None:
        for field in fields(self):
            value = getattr(self, field.name)
            if isinstance(value, bool) or not isinstance(value, int):
                raise ValueError(f"{field.name}: a whole number from 0 to {SLIDER_MAX}")
            if not 0 <= value <= SLIDER_MAX:
                raise ValueError(f"{field.name}: {value} is outside 0 to {SLIDER_MAX}")


LEVERS: Final = ("movement", "desensitization", "coping", "sleep")
PRESETS: Final = {
    "normal": Settings(stimulus=6, sensitivity=0),
    "amplified": Settings(stimulus=6, sensitivity=8),
    "treated": Settings(
        stimulus=6, sensitivity=8, movement=6, desensitization=6, coping=6, sleep=6
    ),
}


@dataclass(frozen=True)
class StageGains:
    nerves: float
    brain: float
    muscles: float
    blood_flow: float

    @property
    def loop(self) -> float:
        return self.nerves * self.brain * self.muscles * self.blood_flow


@dataclass(frozen=True)
class Beat:
    index: int  # 0-based
    stimulus: float
    nerves: float
    brain: float
    muscles: float
    blood_flow: float


def stage_gains(s: Settings) -> StageGains:
    return StageGains(
        nerves=0.8 + 0.06 * s.sensitivity - 0.035 * s.desensitization - 0.01 * s.sleep,
        brain=0.8 + 0.06 * s.sensitivity - 0.03 * s.coping - 0.01 * s.sleep,
        muscles=0.9 - 0.02 * s.movement,
        blood_flow=0.9 - 0.02 * s.movement,
    )


def run(s: Settings, steps: int = STEPS) -> list[Beat]:
    """The loop beat by beat; the stimulus is on for the first STIMULUS_STEPS beats."""
    g = stage_gains(s)
    beats = []
    fed_back = 0.0
    for index in range(steps):
        stimulus = float(s.stimulus) if index < STIMULUS_STEPS else 0.0
        nerves = min(SIGNAL_MAX, g.nerves * (stimulus + fed_back))
        brain = min(SIGNAL_MAX, g.brain * nerves)
        muscles = min(SIGNAL_MAX, g.muscles * brain)
        blood_flow = min(SIGNAL_MAX, g.blood_flow * muscles)
        beats.append(Beat(index, stimulus, nerves, brain, muscles, blood_flow))
        fed_back = blood_flow
    return beats


def outcome(s: Settings, beats: list[Beat]) -> tuple[Outcome, int | None]:
    """What happens after the stimulus ends, and the beat (1-based) the alarm goes quiet."""
    if s.stimulus == 0:
        return "no stimulus", None
    if stage_gains(s).loop >= 1:
        return "keeps looping", None
    for beat in beats[STIMULUS_STEPS:]:
        if beat.brain < QUIET:
            return "fades", beat.index + 1
    return "fading", None


def shown(value: float) -> int:
    """A signal as the page shows it: a whole number, halves rounded up (as in the script)."""
    return math.floor(value + 0.5)


def gain_text(gain: float) -> str:
    hundredths = math.floor(gain * 100 + 0.5)
    return f"{hundredths // 100}.{hundredths % 100:02d}"


def describe(s: Settings, words: Words = WORDS) -> str:
    """The whole state in words, for screen readers and for anyone who prefers text."""
    beats = run(s)
    gain = stage_gains(s).loop
    kind, quiet_at = outcome(s, beats)
    levers = ", ".join(f"{words[name]} {getattr(s, name)}" for name in LEVERS)
    trip = "weaker" if gain < 1 else "as_strong" if gain == 1 else "stronger"
    parts = [
        words["settings"]
        % {"stimulus": s.stimulus, "sensitivity": s.sensitivity, "levers": levers},
        words[trip] % {"gain": gain_text(gain)},
    ]
    numbers = {
        "peak": max(shown(b.brain) for b in beats),
        "last": shown(beats[-1].brain),
        "stop": STIMULUS_STEPS,
        "quiet": quiet_at,
        "beats": len(beats),
    }
    key = {"no stimulus": "no_stimulus", "keeps looping": "keeps_looping"}.get(kind, kind)
    parts.append(words[key] % numbers)
    return " ".join(parts)


def describe_beat(beat: Beat, words: Words = WORDS) -> str:
    """One beat in words: where the signal is on its way round the loop."""
    key = "beat" if beat.stimulus else "beat_no_stimulus"
    return words[key] % {
        "beat": beat.index + 1,
        "stimulus": shown(beat.stimulus),
        "nerves": shown(beat.nerves),
        "brain": shown(beat.brain),
        "muscles": shown(beat.muscles),
        "blood_flow": shown(beat.blood_flow),
    }

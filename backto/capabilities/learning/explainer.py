"""What the pain-cycle explainer page draws for a state of the model: the loop with each
stage's signal, the alarm over time, and the words for both, in the reader's language. The
page's script redraws the same pictures in the browser from the same model
(static/backto/pain-cycle.js), with the same words, which it reads from the page (`words()`,
rendered into the page's `data-words`): the script itself holds none."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from backto.clinical import pain_cycle

PRESET_LABELS = [
    ("normal", _("A normal alarm")),
    ("amplified", _("An amplified alarm")),
    ("treated", _("An amplified alarm, with treatment")),
]
# The model's sentences (pain_cycle.WORDS) as the catalogue translates them: the same English,
# word for word, which a test checks.
MODEL_WORDS: dict[str, Promise] = {
    "settings": _(
        "Stimulus %(stimulus)s of 10, alarm sensitivity %(sensitivity)s of 10; "
        "treatment: %(levers)s."
    ),
    "movement": _("movement"),
    "desensitization": _("desensitization"),
    "coping": _("coping"),
    "sleep": _("sleep"),
    "weaker": _("Loop gain %(gain)s: each trip round the loop is weaker than the last."),
    "as_strong": _("Loop gain %(gain)s: each trip round the loop is as strong as the last."),
    "stronger": _("Loop gain %(gain)s: each trip round the loop is stronger than the last."),
    "no_stimulus": _("With no stimulus, the alarm stays quiet."),
    "fades": _(
        "The alarm peaks at %(peak)s of 10. After the stimulus stops at beat %(stop)s, "
        "the alarm fades and is quiet by beat %(quiet)s."
    ),
    "fading": _(
        "The alarm peaks at %(peak)s of 10. After the stimulus stops at beat %(stop)s, "
        "it fades slowly: still %(last)s of 10 at beat %(beats)s."
    ),
    "keeps_looping": _(
        "The alarm peaks at %(peak)s of 10. After the stimulus stops at beat "
        "%(stop)s, the signal keeps going round the loop: still %(last)s of 10 at beat %(beats)s, "
        "a false alarm after the danger is gone."
    ),
    "beat": _(
        "Beat %(beat)s: stimulus %(stimulus)s; nerves %(nerves)s, brain %(brain)s, "
        "muscles %(muscles)s, blood flow signal %(blood_flow)s, out of 10."
    ),
    "beat_no_stimulus": _(
        "Beat %(beat)s: no stimulus; nerves %(nerves)s, brain %(brain)s, "
        "muscles %(muscles)s, blood flow signal %(blood_flow)s, out of 10."
    ),
}
# What the script says besides the model's sentences: its button and its sliders' values.
PAGE_WORDS: dict[str, Promise] = {
    "play": _("Play the loop"),
    "pause": _("Pause"),
    "beat_of": _("Beat %(beat)s of %(steps)s"),
    "of_ten": _("%(value)s of 10"),
}
# The alarm-over-time chart: beats along x, the alarm (0–10) up y. The script reads these
# numbers from the chart's data attributes, so both draw on the same scale.
CHART = {"left": 36, "right": 312, "top": 12, "bottom": 120}
# The loop: four stages round a circle, the stimulus coming in at the nerves.
NODES = [
    ("nerves", _("Nerves"), 160, 48),
    ("brain", _("Brain"), 262, 140),
    ("muscles", _("Muscles"), 160, 232),
    ("blood_flow", _("Blood flow"), 58, 140),
]


@dataclass(frozen=True)
class Node:
    key: str
    label: str
    x: int
    y: int
    value: int
    opacity: str


def chart_x(beat_index: int) -> float:
    span = CHART["right"] - CHART["left"]
    return CHART["left"] + span * beat_index / (pain_cycle.STEPS - 1)


def chart_y(value: float) -> float:
    span = CHART["bottom"] - CHART["top"]
    return CHART["bottom"] - span * value / pain_cycle.SIGNAL_MAX


def opacity(value: float) -> str:
    return f"{0.12 + 0.88 * value / pain_cycle.SIGNAL_MAX:.2f}"


def words() -> dict[str, str]:
    """Every word the model and the script say, in the active language."""
    return {key: str(text) for key, text in {**MODEL_WORDS, **PAGE_WORDS}.items()}


def explainer_context(settings: pain_cycle.Settings) -> dict[str, Any]:
    beats = pain_cycle.run(settings)
    last = beats[-1]
    said = words()
    nodes = [
        Node(
            key, str(label), x, y, pain_cycle.shown(getattr(last, key)), opacity(getattr(last, key))
        )
        for key, label, x, y in NODES
    ]
    points = " ".join(f"{chart_x(b.index):.1f},{chart_y(b.brain):.1f}" for b in beats)
    return {
        "nodes": nodes,
        "stimulus_value": pain_cycle.shown(last.stimulus),
        "stimulus_opacity": opacity(last.stimulus),
        "points": points,
        "chart": CHART,
        "stimulus_width": f"{chart_x(pain_cycle.STIMULUS_STEPS - 1) - CHART['left']:.1f}",
        "chart_height": CHART["bottom"] - CHART["top"],
        "marker_x": f"{chart_x(last.index):.1f}",
        "marker_y": f"{chart_y(last.brain):.1f}",
        "gain": pain_cycle.gain_text(pain_cycle.stage_gains(settings).loop),
        "description": pain_cycle.describe(settings, said),
        "beat_text": pain_cycle.describe_beat(last, said),
        "words": said,
        "words_json": json.dumps(said, ensure_ascii=False),
        "steps": pain_cycle.STEPS,
        "stimulus_steps": pain_cycle.STIMULUS_STEPS,
        "presets": [
            (key, str(label), json.dumps(vars(pain_cycle.PRESETS[key])))
            for key, label in PRESET_LABELS
        ],
    }

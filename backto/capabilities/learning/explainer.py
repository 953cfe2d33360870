"""What the pain-cycle explainer page draws for a state of the model: the loop with each
stage's signal, the alarm over time, and the words for both. The page's script redraws the
same pictures in the browser from the same model (static/backto/pain-cycle.js)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from backto.clinical import pain_cycle

PRESET_LABELS = [
    ("normal", "A normal alarm"),
    ("amplified", "An amplified alarm"),
    ("treated", "An amplified alarm, with treatment"),
]
# The alarm-over-time chart: beats along x, the alarm (0–10) up y. The script reads these
# numbers from the chart's data attributes, so both draw on the same scale.
CHART = {"left": 36, "right": 312, "top": 12, "bottom": 120}
# The loop: four stages round a circle, the stimulus coming in at the nerves.
NODES = [
    ("nerves", "Nerves", 160, 48),
    ("brain", "Brain", 262, 140),
    ("muscles", "Muscles", 160, 232),
    ("blood_flow", "Blood flow", 58, 140),
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


def explainer_context(settings: pain_cycle.Settings) -> dict[str, Any]:
    beats = pain_cycle.run(settings)
    last = beats[-1]
    nodes = [
        Node(key, label, x, y, pain_cycle.shown(getattr(last, key)), opacity(getattr(last, key)))
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
        "description": pain_cycle.describe(settings),
        "beat_text": pain_cycle.describe_beat(last),
        "steps": pain_cycle.STEPS,
        "stimulus_steps": pain_cycle.STIMULUS_STEPS,
        "presets": [
            (key, label, json.dumps(vars(pain_cycle.PRESETS[key]))) for key, label in PRESET_LABELS
        ],
    }

"""Tallies of published criteria for clinicians: Budapest clinical criteria and ACR 2010 / 2016.

A tally is not a diagnosis: it counts what was recorded against a published rule and answers met,
not met, or incomplete ("incomplete" when unknown answers could still change the result). The
physician confirms or rules out the diagnosis; wording never says that a child has a condition.

Budapest clinical criteria (adult criteria, used in children; CLINICAL.md): all of (A) continuing
pain disproportionate to any inciting event; (B) at least one reported symptom in 3 or more of the
4 categories; (C) at least one sign seen at examination in 2 or more of the 4 categories; (D) no
other diagnosis explains it better. Symptoms and signs are kept apart. A temperature asymmetry
counts as a sign only when the measured difference is more than 1.0 °C.

ACR 2010 (used with adolescents; Ting et al., J Pediatr 2016;169:181): (WPI >= 7 and SS >= 5) or
(WPI 3-6 and SS >= 9), symptoms 3 months or more. ACR 2016 revision: (WPI >= 7 and SSS >= 5) or
(WPI 4-6 and SSS >= 9), generalized pain in at least 4 of 5 regions, 3 months or more. WPI 0-19,
SS 0-12.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Final, Literal

from backto.clinical.screening import TRI_VALUES, ScreeningError, Tri

TallyResult = Literal["met", "not met", "incomplete"]

BUDAPEST_CATEGORIES: Final[Mapping[str, tuple[str, ...]]] = {
    "sensory": ("allodynia", "hyperalgesia"),
    "vasomotor": ("temperature_asymmetry", "colour_change"),
    "sudomotor_edema": ("swelling", "sweating_change"),
    "motor_trophic": (
        "reduced_range_of_motion",
        "weakness",
        "tremor",
        "dystonia",
        "trophic_change",
    ),
}
BUDAPEST_FEATURES: Final = tuple(f for features in BUDAPEST_CATEGORIES.values() for f in features)
TEMPERATURE_SIGN_ABOVE_C: Final = Decimal("1.0")  # a sign only when |difference| > 1.0 °C


def _all_of(states: Iterable[TallyResult]) -> TallyResult:
    states = list(states)
    if "not met" in states:
        return "not met"
    return "met" if all(state == "met" for state in states) else "incomplete"


def _from_tri(value: Tri) -> TallyResult:
    return {"yes": "met", "no": "not met", "unknown": "incomplete"}[value]  # type: ignore[return-value]


def _at_least(count_yes: int, count_unknown: int, needed: int) -> TallyResult:
    if count_yes >= needed:
        return "met"
    return "not met" if count_yes + count_unknown < needed else "incomplete"


def _check_tri(name: str, value: object) -> None:
    if value not in TRI_VALUES:
        raise ScreeningError(f"{name} must be yes, no or unknown, not {value!r}")


def temperature_difference(affected_c: float, other_c: float) -> Decimal:
    """Affected minus other side, from readings taken to 0.1 °C (exact decimal arithmetic)."""
    return Decimal(str(affected_c)) - Decimal(str(other_c))


@dataclass(frozen=True)
class BudapestInput:
    """Reported symptoms and examined signs, kept apart; features absent from a map are unknown."""

    disproportionate_pain: Tri = "unknown"  # A
    symptoms: Mapping[str, Tri] = field(default_factory=dict)  # reported by child or family
    signs: Mapping[str, Tri] = field(default_factory=dict)  # seen at examination
    temperature_difference_c: float | Decimal | None = None  # measured; the only temperature sign
    no_better_explanation: Tri = "unknown"  # D


@dataclass(frozen=True)
class BudapestTally:
    a_disproportionate_pain: TallyResult
    b_symptoms: TallyResult
    c_signs: TallyResult
    d_no_better_explanation: TallyResult
    symptom_categories: Mapping[str, Tri]
    sign_categories: Mapping[str, Tri]
    temperature_sign: Tri
    result: TallyResult

    @property
    def text(self) -> str:
        return f"Budapest clinical criteria tally: {self.result}"


def _category_states(answers: Mapping[str, Tri]) -> dict[str, Tri]:
    states: dict[str, Tri] = {}
    for category, features in BUDAPEST_CATEGORIES.items():
        values = [answers.get(feature, "unknown") for feature in features]
        states[category] = (
            "yes" if "yes" in values else "no" if all(v == "no" for v in values) else "unknown"
        )
    return states


def _temperature_sign(difference: float | Decimal | None) -> Tri:
    if difference is None:
        return "unknown"
    if isinstance(difference, bool) or not isinstance(difference, int | float | Decimal):
        raise ScreeningError(f"temperature_difference_c must be a number, not {difference!r}")
    # Readings are to 0.1 °C; rounding to 0.01 removes binary floating-point noise (1.0000000004).
    rounded = Decimal(str(difference)).quantize(Decimal("0.01"), rounding=ROUND_HALF_EVEN)
    return "yes" if abs(rounded) > TEMPERATURE_SIGN_ABOVE_C else "no"


def budapest_tally(data: BudapestInput) -> BudapestTally:
    """Tally the Budapest clinical criteria: met, not met, or incomplete."""
    for name in ("disproportionate_pain", "no_better_explanation"):
        _check_tri(name, getattr(data, name))
    for where, answers in (("symptoms", data.symptoms), ("signs", data.signs)):
        for feature, value in answers.items():
            if feature not in BUDAPEST_FEATURES:
                raise ScreeningError(
                    f"{where}: unknown feature {feature!r}; allowed: {', '.join(BUDAPEST_FEATURES)}"
                )
            _check_tri(f"{where}.{feature}", value)
    if "temperature_asymmetry" in data.signs:
        raise ScreeningError(
            "signs: a temperature asymmetry counts as a sign only when measured; give "
            "temperature_difference_c (affected minus other side, °C) instead"
        )
    temperature = _temperature_sign(data.temperature_difference_c)
    symptom_categories = _category_states(data.symptoms)
    sign_categories = _category_states({**data.signs, "temperature_asymmetry": temperature})
    states = {
        "a": _from_tri(data.disproportionate_pain),
        "b": _at_least(
            sum(v == "yes" for v in symptom_categories.values()),
            sum(v == "unknown" for v in symptom_categories.values()),
            3,
        ),
        "c": _at_least(
            sum(v == "yes" for v in sign_categories.values()),
            sum(v == "unknown" for v in sign_categories.values()),
            2,
        ),
        "d": _from_tri(data.no_better_explanation),
    }
    return BudapestTally(
        a_disproportionate_pain=states["a"],
        b_symptoms=states["b"],
        c_signs=states["c"],
        d_no_better_explanation=states["d"],
        symptom_categories=symptom_categories,
        sign_categories=sign_categories,
        temperature_sign=temperature,
        result=_all_of(states.values()),
    )


@dataclass(frozen=True)
class AcrTally:
    criteria: Literal["ACR 2010", "ACR 2016"]
    wpi: int
    ss: int
    severity: TallyResult  # the WPI / SS rule
    generalized_pain: TallyResult | None  # 2016 only
    duration: TallyResult
    result: TallyResult

    @property
    def text(self) -> str:
        return f"{self.criteria} criteria tally: {self.result} (WPI {self.wpi}, SS {self.ss})"


def _check_whole(name: str, value: object, low: int, high: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ScreeningError(f"{name} must be a whole number from {low} to {high}, not {value!r}")


def _duration(months: float | None) -> TallyResult:
    if months is None:
        return "incomplete"
    if isinstance(months, bool) or not isinstance(months, int | float) or months < 0:
        raise ScreeningError(
            f"duration_months must be a number of months, 0 or more, not {months!r}"
        )
    return "met" if months >= 3 else "not met"


def acr_2010_tally(*, wpi: int, ss: int, duration_months: float | None) -> AcrTally:
    """ACR 2010: (WPI >= 7 and SS >= 5) or (WPI 3-6 and SS >= 9); symptoms 3 months or more."""
    _check_whole("wpi", wpi, 0, 19)
    _check_whole("ss", ss, 0, 12)
    severity: TallyResult = (
        "met" if (wpi >= 7 and ss >= 5) or (3 <= wpi <= 6 and ss >= 9) else "not met"
    )
    duration = _duration(duration_months)
    return AcrTally(
        criteria="ACR 2010",
        wpi=wpi,
        ss=ss,
        severity=severity,
        generalized_pain=None,
        duration=duration,
        result=_all_of((severity, duration)),
    )


def acr_2016_tally(
    *, wpi: int, ss: int, generalized_regions: int | None, duration_months: float | None
) -> AcrTally:
    """ACR 2016: (WPI >= 7 and SSS >= 5) or (WPI 4-6 and SSS >= 9); pain in >= 4 of 5 regions."""
    _check_whole("wpi", wpi, 0, 19)
    _check_whole("ss", ss, 0, 12)
    severity: TallyResult = (
        "met" if (wpi >= 7 and ss >= 5) or (4 <= wpi <= 6 and ss >= 9) else "not met"
    )
    if generalized_regions is None:
        generalized: TallyResult = "incomplete"
    else:
        _check_whole("generalized_regions", generalized_regions, 0, 5)
        generalized = "met" if generalized_regions >= 4 else "not met"
    duration = _duration(duration_months)
    return AcrTally(
        criteria="ACR 2016",
        wpi=wpi,
        ss=ss,
        severity=severity,
        generalized_pain=generalized,
        duration=duration,
        result=_all_of((severity, generalized, duration)),
    )

"""The autonomic and motor signs of the sensory exam (issue #19): skin temperature and
circumference both sides, colour, swelling, sweating, trophic and motor signs, and the Budapest
signs they give with the findings' allodynia and hyperalgesia (`sensory_exam`). Plain Python, no
Django; docs/sensory-exam.md has the rules in words.

**Temperature.** Skin temperature at mirror sites, affected side and other side, in °C to 0.1; the
difference is affected minus other; a site is flagged when |difference| > 1.0 °C, the Budapest
sign's threshold (Harden et al. 2007: "evidence of temperature asymmetry (>1 °C)"), the same
constant as `criteria_tallies.TEMPERATURE_SIGN_ABOVE_C`. The exam's temperature difference is the
site difference with the largest absolute value (the first such site on a tie), with its sign.

**Circumference.** Both sides in cm to 0.1 at a named landmark; the difference is affected minus
other. Project rule (no published threshold for CRPS edema is used here): swelling counts as a
Budapest sign when the typed observation says yes, or when a site's circumference is more than
`SWELLING_ABOVE_CM` (2.0 cm) larger on the affected side, the inter-limb difference used in
lymphedema measurement (Armer JM, Stewart BR. Lymphat Res Biol 2005;3:208-217); it is no when the
observation says no and no site passes the threshold; otherwise unknown.

**Budapest signs.** `budapest_signs` maps the exam onto `criteria_tallies.BUDAPEST_CATEGORIES`'s
features: allodynia (yes when an allodynia stimulus drew a territory, no when at least one was
tested and none did, unknown when none was tested), hyperalgesia (the same from the pinprick),
swelling (above), and the typed colour, sweating, trophic (hair, nail, skin), range of motion,
weakness, tremor and dystonia answers. The temperature asymmetry is left out of the mapping: the
tally takes the measured difference instead (`BudapestInput.temperature_difference_c`), so that a
temperature sign is never typed. A tally of signs is never a diagnosis.

**Sweating.** Typed as a sign (yes, no, not checked) and, with a change, described as more, less
or asymmetric on the affected side (CLINICAL.md; Budapest: "sweating changes and/or sweating
asymmetry").

    >>> signs = parse_signs({
    ...     "temperatures": [{"site": "foot dorsum", "affected_c": "30.1", "other_c": "31.6"}],
    ...     "sweating_change": "yes", "sweating": "asymmetric",
    ... })
    >>> difference = temperature_difference(signs)
    >>> str(difference), temperature_flagged(difference)
    ('-1.5', True)
    >>> budapest_signs({"allodynia": "yes"}, signs)["sweating_change"]
    'yes'
    >>> sign_categories(budapest_signs({"allodynia": "yes"}, signs), difference)["vasomotor"]
    'yes'

No function here reads the clock.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Final, Literal

from backto.clinical.criteria_tallies import (
    BUDAPEST_FEATURES,
    TEMPERATURE_SIGN_ABOVE_C,
    BudapestInput,
    budapest_tally,
)
from backto.clinical.screening import Tri
from backto.clinical.sensory_input import (
    Problems,
    reading,
    shown,
    text,
    tri,
    whole,
)

Side = Literal["left", "right"]
SKIN_C: Final = (Decimal(15), Decimal(42))
ROOM_C: Final = (Decimal(10), Decimal(35))
ACCLIMATISATION_MIN: Final = (0, 120)
CIRCUMFERENCE_CM: Final = (Decimal(5), Decimal(150))
MAX_SITES: Final = 4
SITE_TEXT_MAX: Final = 60
JOINTS_TEXT_MAX: Final = 100
TEMPERATURE_FLAG_ABOVE_C: Final = TEMPERATURE_SIGN_ABOVE_C  # 1.0 °C, Harden et al. 2007
SWELLING_ABOVE_CM: Final = Decimal("2.0")  # project rule, see the module's docstring
COLOURS: Final = ("red", "blue-purple", "mottled", "pale")
# CLINICAL.md: sweating more, less or asymmetric (Budapest: "sweating changes and/or sweating
# asymmetry"), as seen on the affected side against the other.
SWEATING: Final = ("more", "less", "asymmetric")
SWEATING_LABELS: Final[Mapping[str, str]] = {
    "more": "More than the other side",
    "less": "Less than the other side",
    "asymmetric": "Uneven between the sides (asymmetric)",
}
TYPED_SIGNS: Final = (
    "colour_change",
    "swelling",
    "sweating_change",
    "trophic_change",
    "reduced_range_of_motion",
    "weakness",
    "dystonia",
    "tremor",
)
SIGN_LABELS: Final[Mapping[str, str]] = {
    "allodynia": "Allodynia",
    "hyperalgesia": "Hyperalgesia to pinprick",
    "temperature_asymmetry": "Temperature asymmetry (more than 1.0 °C)",
    "colour_change": "Colour change",
    "swelling": "Swelling",
    "sweating_change": "Sweating change",
    "trophic_change": "Hair, nail or skin (trophic) change",
    "reduced_range_of_motion": "Reduced range of motion",
    "weakness": "Weakness",
    "dystonia": "Dystonia",
    "tremor": "Tremor",
}
CATEGORY_LABELS: Final[Mapping[str, str]] = {
    "sensory": "Sensory",
    "vasomotor": "Vasomotor",
    "sudomotor_edema": "Sudomotor or swelling",
    "motor_trophic": "Motor or trophic",
}


@dataclass(frozen=True)
class SidePair:
    """One landmark measured on both sides: the affected side and the other."""

    site: str
    affected: Decimal
    other: Decimal

    @property
    def difference(self) -> Decimal:
        """Affected minus other side."""
        return self.affected - self.other


def temperature_flagged(difference: Decimal) -> bool:
    """Whether a temperature difference passes the Budapest sign's threshold: |Δ| > 1.0 °C."""
    return abs(difference) > TEMPERATURE_FLAG_ABOVE_C


def swelling_measured(pair: SidePair) -> bool:
    """Whether a circumference is more than 2.0 cm larger on the affected side (project rule)."""
    return pair.difference > SWELLING_ABOVE_CM


@dataclass(frozen=True)
class Signs:
    """The autonomic and motor signs as typed, validated."""

    affected_side: Side | None = None
    room_c: Decimal | None = None
    acclimatisation_min: int | None = None
    temperatures: tuple[SidePair, ...] = ()
    circumferences: tuple[SidePair, ...] = ()
    colour_change: Tri = "unknown"
    colour: str = ""
    swelling: Tri = "unknown"
    sweating_change: Tri = "unknown"
    sweating: str = ""
    trophic_change: Tri = "unknown"
    reduced_range_of_motion: Tri = "unknown"
    range_of_motion_joints: str = ""
    weakness: Tri = "unknown"
    dystonia: Tri = "unknown"
    tremor: Tri = "unknown"

    def as_dict(self) -> dict[str, object]:
        """JSON-ready, decimals as text so that they read back exactly (`parse_signs` takes it)."""

        def pairs(found: tuple[SidePair, ...], unit: str) -> list[dict[str, str]]:
            return [
                {"site": p.site, f"affected_{unit}": str(p.affected), f"other_{unit}": str(p.other)}
                for p in found
            ]

        return {
            "affected_side": self.affected_side,
            "room_c": None if self.room_c is None else str(self.room_c),
            "acclimatisation_min": self.acclimatisation_min,
            "temperatures": pairs(self.temperatures, "c"),
            "circumferences": pairs(self.circumferences, "cm"),
            **{name: getattr(self, name) for name in TYPED_SIGNS},
            "colour": self.colour,
            "sweating": self.sweating,
            "range_of_motion_joints": self.range_of_motion_joints,
        }


SIGN_FIELDS: Final = frozenset(Signs.__dataclass_fields__)


def _pairs(
    problems: Problems,
    name: str,
    given: object,
    unit: str,
    limits: tuple[Decimal, Decimal],
) -> tuple[SidePair, ...]:
    if given in (None, ""):
        return ()
    if not isinstance(given, Sequence) or isinstance(given, str):
        problems.add(name, f"is not allowed: a list of up to {MAX_SITES} sites")
        return ()
    if len(given) > MAX_SITES:
        problems.add(name, f"has {len(given)} sites: up to {MAX_SITES} are allowed")
        return ()
    found = []
    for index, site in enumerate(given):
        key = f"{name}.{index}"
        if not isinstance(site, Mapping):
            problems.add(key, "is not allowed: a site with site, affected and other readings")
            continue
        where = text(problems, f"{key}.site", site.get("site"), SITE_TEXT_MAX)
        if not where:
            problems.add(
                f"{key}.site", f"required: where it was measured, up to {SITE_TEXT_MAX} characters"
            )
        symbol = "°C" if unit == "c" else "cm"
        affected = reading(
            problems, f"{key}.affected_{unit}", site.get(f"affected_{unit}"), limits, symbol
        )
        other = reading(problems, f"{key}.other_{unit}", site.get(f"other_{unit}"), limits, symbol)
        if where and affected is not None and other is not None:
            found.append(SidePair(where, affected, other))
    return tuple(found)


def parse_signs(data: Mapping[str, object]) -> Signs:
    """The signs from typed data (`Signs.as_dict()`'s shape; absent fields unknown or empty);
    SensoryExamError names each bad field and what is allowed."""
    problems = Problems()
    for name in sorted(set(data) - SIGN_FIELDS):
        problems.add(name, f"is not a sign of this exam; allowed: {', '.join(sorted(SIGN_FIELDS))}")
    side = data.get("affected_side") or None
    if side not in (None, "left", "right"):
        problems.add("affected_side", f"{shown(side)} is not allowed: left, right or empty")
        side = None
    room = None
    if data.get("room_c") not in (None, ""):
        room = reading(problems, "room_c", data["room_c"], ROOM_C, "°C")
    minutes = None
    if data.get("acclimatisation_min") not in (None, ""):
        minutes = whole(
            problems, "acclimatisation_min", data["acclimatisation_min"], *ACCLIMATISATION_MIN
        )
    typed = {name: tri(problems, name, data.get(name)) for name in TYPED_SIGNS}
    details: dict[str, str] = {}
    for name, sign, allowed in (
        ("colour", "colour_change", COLOURS),
        ("sweating", "sweating_change", SWEATING),
    ):
        value = data.get(name) or ""
        if value and value not in allowed:
            problems.add(name, f"{shown(value)} is not allowed: {', '.join(allowed)} or empty")
        elif value and typed[sign] != "yes":
            problems.add(name, f"is described only when {sign} is yes")
        details[name] = str(value)
    joints = text(
        problems, "range_of_motion_joints", data.get("range_of_motion_joints"), JOINTS_TEXT_MAX
    )
    if joints and typed["reduced_range_of_motion"] != "yes":
        problems.add("range_of_motion_joints", "is named only when reduced_range_of_motion is yes")
    signs = Signs(
        affected_side=side,  # type: ignore[arg-type]
        room_c=room,
        acclimatisation_min=minutes,
        temperatures=_pairs(problems, "temperatures", data.get("temperatures"), "c", SKIN_C),
        circumferences=_pairs(
            problems, "circumferences", data.get("circumferences"), "cm", CIRCUMFERENCE_CM
        ),
        colour=details["colour"],
        sweating=details["sweating"],
        range_of_motion_joints=joints,
        **typed,
    )
    problems.raise_any()
    return signs


def temperature_difference(signs: Signs) -> Decimal | None:
    """The site difference (affected minus other) with the largest absolute value, the first on
    a tie; None when no temperature was measured."""
    if not signs.temperatures:
        return None
    return max(signs.temperatures, key=lambda p: abs(p.difference)).difference


def _swelling(signs: Signs) -> Tri:
    if signs.swelling == "yes" or any(swelling_measured(p) for p in signs.circumferences):
        return "yes"
    return "no" if signs.swelling == "no" else "unknown"


def budapest_signs(sensory: Mapping[str, Tri], signs: Signs) -> dict[str, Tri]:
    """Every Budapest feature the exam gives, as a sign (the temperature asymmetry left out: the
    tally takes `temperature_difference` instead), in `BUDAPEST_FEATURES` order. `sensory` is
    the findings' allodynia and hyperalgesia (`sensory_exam.sensory_signs_of`)."""
    found: dict[str, Tri] = {
        "allodynia": sensory.get("allodynia", "unknown"),
        "hyperalgesia": sensory.get("hyperalgesia", "unknown"),
        **{name: getattr(signs, name) for name in TYPED_SIGNS},
        "swelling": _swelling(signs),
    }
    return {f: found[f] for f in BUDAPEST_FEATURES if f in found}


def sign_categories(signs: Mapping[str, Tri], difference: Decimal | None) -> dict[str, Tri]:
    """Each Budapest category's sign state, as the tally counts them (`criteria_tallies`)."""
    tally = budapest_tally(BudapestInput(signs=signs, temperature_difference_c=difference))
    return dict(tally.sign_categories)

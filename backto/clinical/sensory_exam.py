"""The clinician's sensory, autonomic and motor exam (issue #19): what each stimulus tests, the
territory each finding covers as a share of body surface, the autonomic and motor signs, and the
Budapest signs they give. Plain Python, no Django; docs/sensory-exam.md has the rules in words.

**Stimuli.** Light brush, cotton wool, a monofilament and cold test for *allodynia* (pain from a
stimulus that should not hurt); a pinprick tests for *hyperalgesia* (more pain than a pinprick
should give). Budapest criteria (Harden RN, Bruehl S, Stanton-Hicks M, Wilson PR. Proposed new
diagnostic criteria for complex regional pain syndrome. Pain Med 2007;8:326-331): "hyperalgesia (to
pinprick) and/or allodynia (to light touch and/or temperature sensation and/or deep somatic
pressure and/or joint movement)". A monofilament needs its force in grams, one of the 20 forces of
the standard Semmes-Weinstein set (`MONOFILAMENT_FORCES_G`; marking numbers 1.65 to 6.65; Bell-
Krotoski J, Tomancik E. J Hand Surg Am 1987;12:155-161); Spicher's allodynography uses the 15 g
filament (CLINICAL.md). A finding is the territory drawn on the body map where the stimulus evoked
pain (an empty territory: tested, nothing evoked) and the evoked pain 0-10, given with a territory.

**Territory.** Each finding's percent of body surface is `body_map.territory_percent(regions,
age_years)` (Lund and Browder, the age's band; one decimal, half away from zero). The allodynia
area of an exam is the percent of the *union* of the allodynia territories (a region drawn for
brush and for cold counts once), None when no allodynia stimulus was tested.

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

Worked example: a 12-year-old (Lund and Browder: each lower leg 6 %, each foot 3.5 %). Brush
allodynia over the front and back of the right lower leg (0.30 + 0.35 of the part: 3.9 %) and the
whole right foot (3.5 %), evoked pain 6: 7.4 %. Cold allodynia over the top of the foot and the
toes (0.4 + 0.1 of the foot: 1.75, rounded 1.8 %). The union is the brush's territory: 7.4 %. Foot
dorsum 30.1 °C on the affected side and 31.6 °C on the other: difference -1.5 °C, flagged. With a
colour change typed, signs are recorded in 2 of the 4 categories (sensory, vasomotor).

    >>> leg = ["lower-leg-right-front", "lower-leg-right-back"]
    >>> foot = ["foot-right-front", "toes-right-front", "foot-right-back"]
    >>> exam = sensory_exam(
    ...     findings=[
    ...         {"stimulus": "brush", "evoked_pain": 6, "regions": leg + foot},
    ...         {"stimulus": "cold", "evoked_pain": 4, "regions": foot[:2]},
    ...     ],
    ...     signs={
    ...         "temperatures": [{"site": "foot dorsum", "affected_c": "30.1", "other_c": "31.6"}],
    ...         "colour_change": "yes",
    ...     },
    ...     age_years=12,
    ... )
    >>> [str(f.percent) for f in exam.findings], str(exam.allodynia_percent)
    (['7.4', '1.8'], '7.4')
    >>> str(exam.temperature_difference_c), exam.temperature_flagged
    ('-1.5', True)
    >>> exam.budapest_signs["allodynia"], exam.budapest_signs["hyperalgesia"]
    ('yes', 'unknown')
    >>> exam.signs_in_categories
    2

No function here reads the clock.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Final, Literal, Protocol, get_args

from backto.clinical.body_map import BodyMapError, territory_percent
from backto.clinical.criteria_tallies import (
    BUDAPEST_FEATURES,
    TEMPERATURE_SIGN_ABOVE_C,
    BudapestInput,
    budapest_tally,
)
from backto.clinical.screening import TRI_VALUES, Tri

ENGINE_VERSION: Final = "1.0.0"

Stimulus = Literal["brush", "cotton", "monofilament", "cold", "pinprick"]
Kind = Literal["allodynia", "hyperalgesia"]
Side = Literal["left", "right"]
STIMULI: Final[tuple[Stimulus, ...]] = get_args(Stimulus)
STIMULUS_KIND: Final[Mapping[Stimulus, Kind]] = {
    "brush": "allodynia",
    "cotton": "allodynia",
    "monofilament": "allodynia",
    "cold": "allodynia",
    "pinprick": "hyperalgesia",
}
STIMULUS_LABELS: Final[Mapping[Stimulus, str]] = {
    "brush": "Light brush",
    "cotton": "Cotton wool",
    "monofilament": "Monofilament",
    "cold": "Cold",
    "pinprick": "Pinprick",
}

# The standard 20-filament Semmes-Weinstein set: nominal force in grams (marking number).
MONOFILAMENT_FORCES_G: Final[Mapping[Decimal, str]] = {
    Decimal(grams): marking
    for grams, marking in (
        ("0.008", "1.65"),
        ("0.02", "2.36"),
        ("0.04", "2.44"),
        ("0.07", "2.83"),
        ("0.16", "3.22"),
        ("0.4", "3.61"),
        ("0.6", "3.84"),
        ("1", "4.08"),
        ("1.4", "4.17"),
        ("2", "4.31"),
        ("4", "4.56"),
        ("6", "4.74"),
        ("8", "4.93"),
        ("10", "5.07"),
        ("15", "5.18"),
        ("26", "5.46"),
        ("60", "5.88"),
        ("100", "6.10"),
        ("180", "6.45"),
        ("300", "6.65"),
    )
}
EVOKED_PAIN: Final = (0, 10)
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
SWEATING: Final = ("more", "less")
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


class SensoryExamError(ValueError):
    """Exam input that cannot be used. `errors` maps each field (`brush.evoked_pain`,
    `temperatures.0.other_c`, `colour`) to its messages, each naming what is allowed."""

    def __init__(self, errors: Mapping[str, list[str]]) -> None:
        self.errors = {key: list(messages) for key, messages in errors.items()}
        super().__init__("; ".join(f"{k}: {m}" for k, ms in self.errors.items() for m in ms))


class _Problems:
    def __init__(self) -> None:
        self.found: dict[str, list[str]] = {}

    def add(self, key: str, message: str) -> None:
        self.found.setdefault(key, []).append(message)

    def raise_any(self) -> None:
        if self.found:
            raise SensoryExamError(self.found)


def _shown(value: object) -> str:
    """A given value as a message shows it: a number as written, other text in quotes."""
    return f"“{value}”" if isinstance(value, str) and _decimal(value) is None else str(value)


def _decimal(value: object) -> Decimal | None:
    """A number (int, float, Decimal or its text) as an exact Decimal; None when it is not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, float):
        return Decimal(repr(value)) if math.isfinite(value) else None
    if isinstance(value, int | Decimal | str):
        try:
            number = Decimal(value)
        except (InvalidOperation, ValueError):
            return None
        return number if number.is_finite() else None
    return None


def _reading(
    problems: _Problems, key: str, value: object, limits: tuple[Decimal, Decimal], unit: str
) -> Decimal | None:
    number = _decimal(value)
    allowed = f"a number in {unit} from {limits[0]} to {limits[1]}, to 0.1 {unit}"
    if value is None or value == "":
        problems.add(key, f"required: {allowed}")
    elif number is None or not limits[0] <= number <= limits[1]:
        problems.add(key, f"{_shown(value)} is not allowed: {allowed}")
    elif number != number.quantize(Decimal("0.1")):
        problems.add(key, f"{value} has more than one decimal: {allowed}")
    else:
        return number.quantize(Decimal("0.1"))
    return None


def _whole(problems: _Problems, key: str, value: object, low: int, high: int) -> int | None:
    number = _decimal(value)
    if number is None or number != number.to_integral_value() or not low <= number <= high:
        problems.add(key, f"{_shown(value)} is not allowed: a whole number from {low} to {high}")
        return None
    return int(number)


def _tri(problems: _Problems, key: str, value: object) -> Tri:
    if value in (None, ""):
        return "unknown"
    if value not in TRI_VALUES:
        problems.add(key, f"{_shown(value)} is not allowed: yes, no or unknown")
        return "unknown"
    return value  # type: ignore[return-value]


def _text(problems: _Problems, key: str, value: object, most: int) -> str:
    if value is None:
        return ""
    if not isinstance(value, str) or len(value.strip()) > most:
        problems.add(key, f"is not allowed: text of up to {most} characters")
        return ""
    return value.strip()


# --- Findings ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Finding:
    """One stimulus tested: the territory where it evoked pain (sorted region ids; empty when
    nothing was evoked), the evoked pain 0-10 (with a territory) and a monofilament's grams."""

    stimulus: Stimulus
    regions: tuple[str, ...] = ()
    evoked_pain: int | None = None
    monofilament_g: Decimal | None = None

    @property
    def kind(self) -> Kind:
        return STIMULUS_KIND[self.stimulus]

    @property
    def label(self) -> str:
        if self.monofilament_g is not None:
            return f"{STIMULUS_LABELS[self.stimulus]} {self.monofilament_g} g"
        return STIMULUS_LABELS[self.stimulus]

    def as_dict(self) -> dict[str, object]:
        return {
            "stimulus": self.stimulus,
            "kind": self.kind,
            "regions": list(self.regions),
            "evoked_pain": self.evoked_pain,
            "monofilament_g": None if self.monofilament_g is None else str(self.monofilament_g),
        }


def _finding(problems: _Problems, data: Mapping[str, object]) -> Finding | None:
    given = data.get("stimulus")
    stimulus = next((s for s in STIMULI if s == given), None)
    if stimulus is None:
        problems.add("stimulus", f"{_shown(given)} is not allowed: one of {', '.join(STIMULI)}")
        return None
    unknown = sorted(set(data) - {"stimulus", "regions", "evoked_pain", "monofilament_g"})
    if unknown:
        problems.add(stimulus, f"unknown fields {unknown}: regions, evoked_pain and monofilament_g")
    raw_regions = data.get("regions") or []
    if isinstance(raw_regions, str) or not isinstance(raw_regions, Iterable):
        problems.add(f"{stimulus}.regions", "is not allowed: a list of body map region ids")
        raw_regions = []
    regions = tuple(sorted({str(r) for r in raw_regions}))
    try:
        territory_percent(regions, 10)
    except BodyMapError as error:
        problems.add(f"{stimulus}.regions", str(error))
    pain = data.get("evoked_pain")
    evoked: int | None = None
    if pain not in (None, ""):
        evoked = _whole(problems, f"{stimulus}.evoked_pain", pain, *EVOKED_PAIN)
        if not regions:
            problems.add(
                f"{stimulus}.evoked_pain",
                "is given only with a territory: draw where the stimulus evoked pain, or leave "
                "the evoked pain empty when it evoked none",
            )
    elif regions:
        problems.add(
            f"{stimulus}.evoked_pain",
            "required with a territory: the pain the stimulus evoked, a whole number 0 to 10",
        )
    grams_given = data.get("monofilament_g")
    grams: Decimal | None = None
    allowed = ", ".join(f"{g:g}" for g in MONOFILAMENT_FORCES_G)
    if stimulus == "monofilament":
        grams = _decimal(grams_given)
        if grams_given in (None, ""):
            problems.add(
                "monofilament.monofilament_g", f"required: the force in g, one of {allowed}"
            )
        elif grams is None or grams not in MONOFILAMENT_FORCES_G:
            problems.add(
                "monofilament.monofilament_g",
                f"{_shown(grams_given)} is not allowed: a Semmes-Weinstein force in g, one of {allowed}",
            )
            grams = None
        else:
            grams = next(g for g in MONOFILAMENT_FORCES_G if g == grams)
    elif grams_given not in (None, ""):
        problems.add(f"{stimulus}.monofilament_g", "is given only for the monofilament")
    return Finding(stimulus, regions, evoked, grams)


def parse_findings(findings: Sequence[Mapping[str, object]]) -> tuple[Finding, ...]:
    """The tested stimuli, validated; SensoryExamError names each bad field."""
    problems = _Problems()
    parsed: list[Finding] = []
    for data in findings:
        finding = _finding(problems, data)
        if finding is None:
            continue
        if any(f.stimulus == finding.stimulus for f in parsed):
            problems.add(finding.stimulus, "is given twice: one finding per stimulus and exam")
        parsed.append(finding)
    problems.raise_any()
    return tuple(sorted(parsed, key=lambda f: STIMULI.index(f.stimulus)))


class Territory(Protocol):
    """A finding as the union needs it: a `Finding`, or a stored one with the same names."""

    @property
    def kind(self) -> str: ...

    @property
    def regions(self) -> Sequence[str]: ...


def allodynia_regions(findings: Iterable[Territory]) -> frozenset[str]:
    """The union of the allodynia territories (a region drawn for two stimuli counts once): the
    one place the union is made, for the exam's area and for every reader that compares it."""
    return frozenset(r for f in findings if f.kind == "allodynia" for r in f.regions)


def allodynia_percent(findings: Sequence[Finding], age_years: Decimal | int) -> Decimal | None:
    """The union of the allodynia territories as a percent of body surface at this age; None when
    no allodynia stimulus was tested."""
    if not any(f.kind == "allodynia" for f in findings):
        return None
    return territory_percent(sorted(allodynia_regions(findings)), age_years)


@dataclass(frozen=True)
class AreasAtOneAge:
    """The allodynia areas of several exams, oldest first, each recomputed from its territories'
    union at one age (`age_years`, the latest exam's), so that a change of Lund and Browder band
    between exams is never read as the territory growing or shrinking."""

    age_years: Decimal
    percents: tuple[Decimal, ...]

    @property
    def change(self) -> Decimal | None:
        """Latest minus first, in percentage points; None with fewer than two exams."""
        if len(self.percents) < 2:
            return None
        return self.percents[-1] - self.percents[0]


def allodynia_areas_at_one_age(
    exams: Sequence[tuple[Iterable[str], Decimal | int]],
) -> AreasAtOneAge | None:
    """The allodynia areas of `exams` (each its union of allodynia territories, region ids, and
    the child's age on the day; oldest first) compared at the latest exam's age; None without an
    exam. Each exam keeps its own area as recorded at its own age; this is the comparison only.

    Worked example across a band boundary: both legs drawn whole (thigh; knee and lower leg, 0.9
    of the lower leg part; foot and toes) read at 9 years 2 x (8 + 0.9 x 5.5 + 3.5) = 32.9 % and
    at 10 years 2 x (8.5 + 0.9 x 6 + 3.5) = 34.8 %: the same territory would read 1.9 points
    larger, more than the caseload's 1.0 (`caseload.ALLODYNIA_GROWTH_POINTS`). Compared at 10.1
    years, the latest exam's age, both are 34.8 % and the change is 0.

    >>> legs = [f"{part}-{side}-{face}" for part in ("thigh", "knee", "lower-leg", "foot")
    ...         for side in ("left", "right") for face in ("front", "back")]
    >>> legs += ["toes-left-front", "toes-right-front"]
    >>> str(territory_percent(legs, 9)), str(territory_percent(legs, 10))
    ('32.9', '34.8')
    >>> compared = allodynia_areas_at_one_age([(legs, 9), (legs, Decimal("10.1"))])
    >>> str(compared.age_years), [str(p) for p in compared.percents], str(compared.change)
    ('10.1', ['34.8', '34.8'], '0.0')
    """
    if not exams:
        return None
    age = Decimal(exams[-1][1])
    return AreasAtOneAge(
        age, tuple(territory_percent(sorted(set(regions)), age) for regions, _ in exams)
    )


# --- Signs -------------------------------------------------------------------------------------


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
    problems: _Problems,
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
        where = _text(problems, f"{key}.site", site.get("site"), SITE_TEXT_MAX)
        if not where:
            problems.add(
                f"{key}.site", f"required: where it was measured, up to {SITE_TEXT_MAX} characters"
            )
        symbol = "°C" if unit == "c" else "cm"
        affected = _reading(
            problems, f"{key}.affected_{unit}", site.get(f"affected_{unit}"), limits, symbol
        )
        other = _reading(problems, f"{key}.other_{unit}", site.get(f"other_{unit}"), limits, symbol)
        if where and affected is not None and other is not None:
            found.append(SidePair(where, affected, other))
    return tuple(found)


def parse_signs(data: Mapping[str, object]) -> Signs:
    """The signs from typed data (`Signs.as_dict()`'s shape; absent fields unknown or empty);
    SensoryExamError names each bad field and what is allowed."""
    problems = _Problems()
    for name in sorted(set(data) - SIGN_FIELDS):
        problems.add(name, f"is not a sign of this exam; allowed: {', '.join(sorted(SIGN_FIELDS))}")
    side = data.get("affected_side") or None
    if side not in (None, "left", "right"):
        problems.add("affected_side", f"{_shown(side)} is not allowed: left, right or empty")
        side = None
    room = None
    if data.get("room_c") not in (None, ""):
        room = _reading(problems, "room_c", data["room_c"], ROOM_C, "°C")
    minutes = None
    if data.get("acclimatisation_min") not in (None, ""):
        minutes = _whole(
            problems, "acclimatisation_min", data["acclimatisation_min"], *ACCLIMATISATION_MIN
        )
    typed = {name: _tri(problems, name, data.get(name)) for name in TYPED_SIGNS}
    details: dict[str, str] = {}
    for name, sign, allowed in (
        ("colour", "colour_change", COLOURS),
        ("sweating", "sweating_change", SWEATING),
    ):
        value = data.get(name) or ""
        if value and value not in allowed:
            problems.add(name, f"{_shown(value)} is not allowed: {', '.join(allowed)} or empty")
        elif value and typed[sign] != "yes":
            problems.add(name, f"is described only when {sign} is yes")
        details[name] = str(value)
    joints = _text(
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


def _sensory_sign(findings: Sequence[Finding], kind: Kind) -> Tri:
    tested = [f for f in findings if f.kind == kind]
    if not tested:
        return "unknown"
    return "yes" if any(f.regions for f in tested) else "no"


def _swelling(signs: Signs) -> Tri:
    if signs.swelling == "yes" or any(swelling_measured(p) for p in signs.circumferences):
        return "yes"
    return "no" if signs.swelling == "no" else "unknown"


def budapest_signs(findings: Sequence[Finding], signs: Signs) -> dict[str, Tri]:
    """Every Budapest feature the exam gives, as a sign (the temperature asymmetry left out: the
    tally takes `temperature_difference` instead), in `BUDAPEST_FEATURES` order."""
    found: dict[str, Tri] = {
        "allodynia": _sensory_sign(findings, "allodynia"),
        "hyperalgesia": _sensory_sign(findings, "hyperalgesia"),
        **{name: getattr(signs, name) for name in TYPED_SIGNS},
        "swelling": _swelling(signs),
    }
    return {f: found[f] for f in BUDAPEST_FEATURES if f in found}


def sign_categories(signs: Mapping[str, Tri], difference: Decimal | None) -> dict[str, Tri]:
    """Each Budapest category's sign state, as the tally counts them (`criteria_tallies`)."""
    tally = budapest_tally(BudapestInput(signs=signs, temperature_difference_c=difference))
    return dict(tally.sign_categories)


# --- The exam ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class FindingResult:
    finding: Finding
    percent: Decimal  # of body surface, one decimal


@dataclass(frozen=True)
class SensoryExamResult:
    age_years: Decimal
    findings: tuple[FindingResult, ...]
    signs: Signs
    allodynia_percent: Decimal | None
    budapest_signs: dict[str, Tri]
    temperature_difference_c: Decimal | None
    temperature_flagged: bool
    sign_categories: dict[str, Tri]
    engine_version: str = ENGINE_VERSION

    @property
    def signs_in_categories(self) -> int:
        """How many of the 4 Budapest categories have a sign recorded at this exam."""
        return sum(state == "yes" for state in self.sign_categories.values())

    def as_dict(self) -> dict[str, object]:
        """The stored result: the keys `budapest_signs` and `temperature_difference_c` are read
        by the intake's Budapest tally; decimals as text."""
        difference = self.temperature_difference_c
        return {
            "budapest_signs": dict(self.budapest_signs),
            "temperature_difference_c": None if difference is None else str(difference),
            "temperature_flagged": self.temperature_flagged,
            "temperature_threshold_c": str(TEMPERATURE_FLAG_ABOVE_C),
            "sites": [
                {
                    "site": p.site,
                    "difference_c": str(p.difference),
                    "flagged": temperature_flagged(p.difference),
                }
                for p in self.signs.temperatures
            ],
            "circumferences": [
                {
                    "site": p.site,
                    "difference_cm": str(p.difference),
                    "swelling": swelling_measured(p),
                }
                for p in self.signs.circumferences
            ],
            "swelling_above_cm": str(SWELLING_ABOVE_CM),
            "sign_categories": dict(self.sign_categories),
            "signs_in_categories": self.signs_in_categories,
            "allodynia_percent": None
            if self.allodynia_percent is None
            else str(self.allodynia_percent),
            "findings": [{**r.finding.as_dict(), "percent": str(r.percent)} for r in self.findings],
            "age_years": str(self.age_years),
            "engine_version": self.engine_version,
        }


def sensory_exam(
    *,
    findings: Sequence[Mapping[str, object]],
    signs: Mapping[str, object],
    age_years: Decimal | int,
) -> SensoryExamResult:
    """Validate an exam and work out its territories, temperature flag and Budapest signs.

    SensoryExamError names every bad field of the findings and the signs together."""
    errors: dict[str, list[str]] = {}
    parsed: tuple[Finding, ...] = ()
    typed = Signs()
    try:
        parsed = parse_findings(findings)
    except SensoryExamError as error:
        errors.update(error.errors)
    try:
        typed = parse_signs(signs)
    except SensoryExamError as error:
        errors.update(error.errors)
    try:
        territory_percent([], age_years)
    except BodyMapError as error:
        errors["age_years"] = [str(error)]
    if errors:
        raise SensoryExamError(errors)
    age = Decimal(age_years)
    difference = temperature_difference(typed)
    mapped = budapest_signs(parsed, typed)
    return SensoryExamResult(
        age_years=age,
        findings=tuple(FindingResult(f, territory_percent(list(f.regions), age)) for f in parsed),
        signs=typed,
        allodynia_percent=allodynia_percent(parsed, age),
        budapest_signs=mapped,
        temperature_difference_c=difference,
        temperature_flagged=difference is not None and temperature_flagged(difference),
        sign_categories=sign_categories(mapped, difference),
    )

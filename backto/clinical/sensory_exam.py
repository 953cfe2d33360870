"""The clinician's sensory, autonomic and motor exam (issue #19): what each stimulus tests, the
territory each finding covers as a share of body surface, the autonomic and motor signs, and the
Budapest signs they give. Plain Python, no Django; docs/sensory-exam.md has the rules in words.
This module holds the stimuli, their findings and territories, and the whole exam.

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

The autonomic and motor signs (temperature, circumference, colour, sweating, motor) and the
Budapest signs are in `sensory_signs`; `sensory_exam` below validates and works out the whole exam.

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

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Final, Literal, Protocol, get_args

from backto.clinical.body_map import (
    BodyMapError,
    lund_browder_column,
    marked_regions,
    territory_percent,
)
from backto.clinical.screening import Tri
from backto.clinical.sensory_input import (
    Problems,
    SensoryExamError,
    as_decimal,
    shown,
    whole,
)
from backto.clinical.sensory_signs import (
    SWELLING_ABOVE_CM,
    TEMPERATURE_FLAG_ABOVE_C,
    Signs,
    budapest_signs,
    parse_signs,
    sign_categories,
    swelling_measured,
    temperature_difference,
    temperature_flagged,
)

ENGINE_VERSION: Final = "1.0.0"

Stimulus = Literal["brush", "cotton", "monofilament", "cold", "pinprick"]
Kind = Literal["allodynia", "hyperalgesia"]
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


def _finding(problems: Problems, data: Mapping[str, object]) -> Finding | None:
    given = data.get("stimulus")
    stimulus = next((s for s in STIMULI if s == given), None)
    if stimulus is None:
        problems.add("stimulus", f"{shown(given)} is not allowed: one of {', '.join(STIMULI)}")
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
        marked_regions(regions)
    except BodyMapError as error:
        problems.add(f"{stimulus}.regions", str(error))
    pain = data.get("evoked_pain")
    evoked: int | None = None
    if pain not in (None, ""):
        evoked = whole(problems, f"{stimulus}.evoked_pain", pain, *EVOKED_PAIN)
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
        grams = as_decimal(grams_given)
        if grams_given in (None, ""):
            problems.add(
                "monofilament.monofilament_g", f"required: the force in g, one of {allowed}"
            )
        elif grams is None or grams not in MONOFILAMENT_FORCES_G:
            problems.add(
                "monofilament.monofilament_g",
                f"{shown(grams_given)} is not allowed: a Semmes-Weinstein force in g, one of {allowed}",
            )
            grams = None
        else:
            grams = next(g for g in MONOFILAMENT_FORCES_G if g == grams)
    elif grams_given not in (None, ""):
        problems.add(f"{stimulus}.monofilament_g", "is given only for the monofilament")
    return Finding(stimulus, regions, evoked, grams)


def parse_findings(findings: Sequence[Mapping[str, object]]) -> tuple[Finding, ...]:
    """The tested stimuli, validated; SensoryExamError names each bad field."""
    problems = Problems()
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


def _sensory_sign(findings: Sequence[Finding], kind: Kind) -> Tri:
    """Yes when a stimulus of this kind drew a territory, no when one was tested and none did,
    unknown when none was tested."""
    tested = [f for f in findings if f.kind == kind]
    if not tested:
        return "unknown"
    return "yes" if any(f.regions for f in tested) else "no"


def sensory_signs_of(findings: Sequence[Finding]) -> dict[str, Tri]:
    """The findings' Budapest sensory signs, allodynia and hyperalgesia (`_sensory_sign`)."""
    kinds: tuple[Kind, ...] = ("allodynia", "hyperalgesia")
    return {kind: _sensory_sign(findings, kind) for kind in kinds}


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
        lund_browder_column(age_years)
    except BodyMapError as error:
        errors["age_years"] = [str(error)]
    if errors:
        raise SensoryExamError(errors)
    age = Decimal(age_years)
    difference = temperature_difference(typed)
    mapped = budapest_signs(sensory_signs_of(parsed), typed)
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

"""The body map's rules: the region catalogue, the widespread pain index, and body surface area.

The catalogue (`body_map_regions.json`, validated here when loaded) lists the 70 regions of the
project-drawn front and back map of a child's body. Each region has a stable id, a plain label, its
view and side, its label in Spanish (`translations`, read with `Region.label_in`), a SNOMED CT
body-structure concept where one is certain (to be checked against the SNOMED CT browser before
any export; null otherwise), the ACR widespread pain index area it belongs
to (null outside the 19 areas: head, face, hands, feet, genital area), and its share of one Lund and
Browder body part.

Region ids are stable: maps and exams keep the ids they were marked with (and the catalogue
version), and the rules here recompute from them, so a later catalogue may add regions or reword a
label but never removes or renames an id (tests/clinical/test_body_map.py holds every id published).

Widespread pain index (Wolfe et al., Arthritis Care Res 2010;62:600 and Semin Arthritis Rheum
2016;46:319): the number of the 19 areas with pain, each counted once, 0-19. Project rules where
the criteria are silent: the elbow and the wrist belong to the lower arm, the knee and the ankle to
the lower leg, the front of the shoulder and the shoulder blade to the shoulder girdle, the buttock
and the side of the hip to the hip. The 2016 "generalized pain" is pain in at least 4 of the 5
regions (left upper, right upper, left lower, right lower, axial); as the 2016 table marks, pain in
the jaw, chest and abdomen counts toward the WPI but not toward generalized pain.

Localized or diffuse (CLINICAL.md, screening item 10): the number of painful body regions, where a
region is a WPI area, or, outside the 19 areas, a Lund and Browder part (a hand, a foot, the head,
the genital area); the threshold is `screening.DIFFUSE_MIN_REGIONS` (diffuse at 5 or more).

Body surface area: Lund CC, Browder NC. The estimation of areas of burns. Surg Gynecol Obstet
1944;79:352-358. Each part's percentage of total body surface, with the age-varying parts (head,
each thigh, each lower leg) at 0, 1, 5, 10 and 15 years and in adults, as reproduced in burn-care
teaching (e.g. ActivHeal Academy, "Topic Five: Burn Size",
https://academy2.activheal.com/topic/topic-five-burn-size/: half of the head 9.5 / 8.5 / 6.5 / 5.5 /
4.5 / 3.5 %, half of one thigh 2.75 / 3.25 / 4 / 4.25 / 4.5 / 4.75 %, half of one lower leg 2.5 /
2.5 / 2.75 / 3 / 3.25 / 3.5 %), and in CLINICAL.md. Project rule: a child takes the column of the
band the age falls in, never an interpolation: under 1 the 0 column, 1-4 the 1 column, 5-9 the 5
column, 10-14 the 10 column, 15-17 the 15 column, 18 and over the adult column. A territory's
percentage is the sum over regions of (fraction covered x region's share of its part x the part's
percentage at that age), in exact decimal arithmetic, rounded once to one decimal, half away from
zero. No function here reads the clock.
"""

from __future__ import annotations

import difflib
import json
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Final, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from backto.clinical.languages import base_language
from backto.clinical.scoring import round_half_away_from_zero
from backto.clinical.screening import DIFFUSE_MIN_REGIONS, Distribution, classify_distribution

CATALOGUE_FILE: Final = Path(__file__).resolve().parent / "body_map_regions.json"

View = Literal["front", "back"]
Side = Literal["left", "right", "midline"]
WpiArea = Literal[
    "shoulder-girdle-left",
    "shoulder-girdle-right",
    "upper-arm-left",
    "upper-arm-right",
    "lower-arm-left",
    "lower-arm-right",
    "hip-left",
    "hip-right",
    "upper-leg-left",
    "upper-leg-right",
    "lower-leg-left",
    "lower-leg-right",
    "jaw-left",
    "jaw-right",
    "chest",
    "abdomen",
    "upper-back",
    "lower-back",
    "neck",
]
GeneralizedRegion = Literal["left-upper", "right-upper", "left-lower", "right-lower", "axial"]
LundBrowderPart = Literal[
    "head",
    "neck",
    "anterior-trunk",
    "posterior-trunk",
    "buttock-left",
    "buttock-right",
    "genitalia",
    "upper-arm-left",
    "upper-arm-right",
    "forearm-left",
    "forearm-right",
    "hand-left",
    "hand-right",
    "thigh-left",
    "thigh-right",
    "lower-leg-left",
    "lower-leg-right",
    "foot-left",
    "foot-right",
]

WPI_AREAS: Final[tuple[WpiArea, ...]] = get_args(WpiArea)
WPI_AREA_LABELS: Final[Mapping[WpiArea, str]] = {
    "shoulder-girdle-left": "Left shoulder girdle",
    "shoulder-girdle-right": "Right shoulder girdle",
    "upper-arm-left": "Left upper arm",
    "upper-arm-right": "Right upper arm",
    "lower-arm-left": "Left lower arm",
    "lower-arm-right": "Right lower arm",
    "hip-left": "Left hip (buttock, trochanter)",
    "hip-right": "Right hip (buttock, trochanter)",
    "upper-leg-left": "Left upper leg",
    "upper-leg-right": "Right upper leg",
    "lower-leg-left": "Left lower leg",
    "lower-leg-right": "Right lower leg",
    "jaw-left": "Left jaw",
    "jaw-right": "Right jaw",
    "chest": "Chest",
    "abdomen": "Abdomen",
    "upper-back": "Upper back",
    "lower-back": "Lower back",
    "neck": "Neck",
}
WPI_MAX: Final = len(WPI_AREAS)  # 19

# Wolfe et al. 2016: the 19 areas in 5 regions; jaw, chest and abdomen are listed in their region
# but are not counted toward generalized pain.
GENERALIZED_REGIONS: Final[tuple[GeneralizedRegion, ...]] = get_args(GeneralizedRegion)
WPI_AREA_REGION: Final[Mapping[WpiArea, GeneralizedRegion]] = {
    "jaw-left": "left-upper",
    "shoulder-girdle-left": "left-upper",
    "upper-arm-left": "left-upper",
    "lower-arm-left": "left-upper",
    "jaw-right": "right-upper",
    "shoulder-girdle-right": "right-upper",
    "upper-arm-right": "right-upper",
    "lower-arm-right": "right-upper",
    "hip-left": "left-lower",
    "upper-leg-left": "left-lower",
    "lower-leg-left": "left-lower",
    "hip-right": "right-lower",
    "upper-leg-right": "right-lower",
    "lower-leg-right": "right-lower",
    "neck": "axial",
    "upper-back": "axial",
    "lower-back": "axial",
    "chest": "axial",
    "abdomen": "axial",
}
NOT_IN_GENERALIZED_PAIN: Final[frozenset[WpiArea]] = frozenset(
    {"jaw-left", "jaw-right", "chest", "abdomen"}
)
GENERALIZED_PAIN_MIN_REGIONS: Final = 4  # of 5

# Lund and Browder (1944): percent of total body surface. Age columns and the age each starts at.
LUND_BROWDER_COLUMNS: Final = ("0", "1", "5", "10", "15", "adult")
LUND_BROWDER_COLUMN_FROM_AGE: Final = (0, 1, 5, 10, 15, 18)  # project rule: take the band
_D = Decimal
LUND_BROWDER_PERCENT: Final[Mapping[LundBrowderPart, tuple[Decimal, ...]]] = {
    "head": (_D(19), _D(17), _D(13), _D(11), _D(9), _D(7)),
    "neck": (_D(2),) * 6,
    "anterior-trunk": (_D(13),) * 6,
    "posterior-trunk": (_D(13),) * 6,
    "buttock-left": (_D("2.5"),) * 6,
    "buttock-right": (_D("2.5"),) * 6,
    "genitalia": (_D(1),) * 6,
    "upper-arm-left": (_D(4),) * 6,
    "upper-arm-right": (_D(4),) * 6,
    "forearm-left": (_D(3),) * 6,
    "forearm-right": (_D(3),) * 6,
    "hand-left": (_D("2.5"),) * 6,
    "hand-right": (_D("2.5"),) * 6,
    "thigh-left": (_D("5.5"), _D("6.5"), _D(8), _D("8.5"), _D(9), _D("9.5")),
    "thigh-right": (_D("5.5"), _D("6.5"), _D(8), _D("8.5"), _D(9), _D("9.5")),
    "lower-leg-left": (_D(5), _D(5), _D("5.5"), _D(6), _D("6.5"), _D(7)),
    "lower-leg-right": (_D(5), _D(5), _D("5.5"), _D(6), _D("6.5"), _D(7)),
    "foot-left": (_D("3.5"),) * 6,
    "foot-right": (_D("3.5"),) * 6,
}
LUND_BROWDER_PARTS: Final[tuple[LundBrowderPart, ...]] = get_args(LundBrowderPart)


class BodyMapError(ValueError):
    """Body-map input that cannot be used; the message names the value and what is allowed."""


class UnknownRegionError(BodyMapError, LookupError):
    """No region with this id in the catalogue; the message names it and points to the catalogue."""


class BodyMapCatalogueError(ValueError):
    """A malformed region catalogue file: the message names the field and what is allowed."""


RegionId = Annotated[str, Field(pattern=r"^[a-z]+(-[a-z]+)*$", max_length=40)]
SnomedCode = Annotated[str, Field(pattern=r"^[1-9][0-9]{5,17}$")]
Text = Annotated[str, Field(min_length=1)]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class RegionTranslations(_Model):
    """A region's label in the languages BackTo speaks besides English (Latin American Spanish:
    plain words for families; left and right are the child's own side)."""

    es: Text


class Region(_Model):
    """One region of the map, and where it counts."""

    id: RegionId
    label: Text
    translations: RegionTranslations | None = None
    view: View
    side: Side
    snomed_ct: SnomedCode | None
    snomed_ct_display: Text | None
    wpi_area: WpiArea | None
    lund_browder_part: LundBrowderPart
    part_fraction: Annotated[Decimal, Field(gt=0, le=1)]

    @model_validator(mode="after")
    def _check_consistency(self) -> Region:
        if (self.snomed_ct is None) != (self.snomed_ct_display is None):
            raise ValueError("snomed_ct and snomed_ct_display are given together or not at all")
        lateral = {"left", "right"}
        for name, value in (
            ("wpi_area", self.wpi_area),
            ("lund_browder_part", self.lund_browder_part),
        ):
            if value is None:
                continue
            value_side = value.rsplit("-", 1)[-1]
            if value_side in lateral and value_side != self.side:
                raise ValueError(f"{name} {value!r} is on the other side from side {self.side!r}")
        if self.side in lateral and f"-{self.side}" not in f"-{self.id}-":
            raise ValueError(f"a {self.side} region's id names its side, not {self.id!r}")
        return self

    def label_in(self, language: str | None) -> str:
        """The label in `language` ("es", "es-MX"; the English label when the catalogue has
        none in it)."""
        code = base_language(language)
        if self.translations is None or code not in RegionTranslations.model_fields:
            return self.label
        return str(getattr(self.translations, code))


class BodyMapCatalogue(_Model):
    """The regions of the map, each part of the Lund and Browder chart covered exactly once."""

    catalogue: Literal["backto-body-map"]
    version: Text
    note: Text
    regions: tuple[Region, ...]

    @model_validator(mode="after")
    def _check_regions(self) -> BodyMapCatalogue:
        ids = [region.id for region in self.regions]
        duplicates = sorted({region_id for region_id in ids if ids.count(region_id) > 1})
        if duplicates:
            raise ValueError(f"region ids must be unique; repeated: {duplicates}")
        totals: dict[str, Decimal] = defaultdict(Decimal)
        for region in self.regions:
            totals[region.lund_browder_part] += region.part_fraction
        wrong = {part: str(totals[part]) for part in LUND_BROWDER_PARTS if totals[part] != 1}
        if wrong:
            raise ValueError(
                f"each Lund and Browder part's region fractions must sum to 1; they sum to {wrong}"
            )
        unreached = [area for area in WPI_AREAS if area not in {r.wpi_area for r in self.regions}]
        if unreached:
            raise ValueError(f"every WPI area needs at least one region; none for {unreached}")
        return self


def _unknown_message(region_id: object, known: list[str]) -> str:
    close = difflib.get_close_matches(str(region_id), known, n=3)
    hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
    return (
        f"unknown body-map region {region_id!r}: the {len(known)} region ids are listed in "
        f"backto/clinical/body_map_regions.json (body_map_catalogue(), docs/body-map.md){hint}"
    )


def catalogue_from_data(data: object, *, source: str) -> BodyMapCatalogue:
    """Validate parsed JSON as the region catalogue; `source` names the file in error messages."""
    try:
        return BodyMapCatalogue.model_validate(data)
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(str(step) for step in item['loc']) or '(top level)'}: {item['msg']}"
            for item in error.errors()
        )
        raise BodyMapCatalogueError(f"{source}: {problems}") from None


@lru_cache(maxsize=1)
def body_map_catalogue() -> BodyMapCatalogue:
    """The shipped catalogue, validated once."""
    data = json.loads(CATALOGUE_FILE.read_text(encoding="utf-8"), parse_float=Decimal)
    return catalogue_from_data(data, source=CATALOGUE_FILE.name)


@lru_cache(maxsize=1)
def _regions_by_id() -> dict[str, Region]:
    return {region.id: region for region in body_map_catalogue().regions}


def region(region_id: str) -> Region:
    """The catalogue's region with this id; UnknownRegionError names an unknown one."""
    found = _regions_by_id().get(region_id)
    if found is None:
        raise UnknownRegionError(_unknown_message(region_id, list(_regions_by_id())))
    return found


Covered = Decimal | int | float | str
Marked = Iterable[str] | Mapping[str, Covered]


def _fraction(region_id: str, value: object) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, Decimal | int | float | str):
        raise BodyMapError(
            f"the fraction of region {region_id!r} covered must be a number from 0 to 1, "
            f"not {value!r}"
        )
    try:
        fraction = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    except ArithmeticError:
        fraction = Decimal("NaN")
    if not fraction.is_finite() or not 0 <= fraction <= 1:
        raise BodyMapError(
            f"the fraction of region {region_id!r} covered must be from 0 to 1, not {value!r}"
        )
    return fraction


def marked_regions(regions: Marked) -> dict[Region, Decimal]:
    """The marked regions and the fraction of each that is covered (1 for a plain list of ids).

    The order never matters and a repeated id counts once; a region covered 0 is not marked.
    """
    if isinstance(regions, str):
        raise BodyMapError(
            f"give a list of region ids or a mapping of region id to fraction, not the text "
            f"{regions!r}"
        )
    if isinstance(regions, Mapping):
        pairs = [
            (region_id, _fraction(str(region_id), value)) for region_id, value in regions.items()
        ]
    else:
        pairs = [(region_id, Decimal(1)) for region_id in regions]
    marked: dict[Region, Decimal] = {}
    for region_id, fraction in pairs:
        if not isinstance(region_id, str):
            raise UnknownRegionError(_unknown_message(region_id, list(_regions_by_id())))
        found = region(region_id)
        if fraction > 0:
            marked[found] = max(fraction, marked.get(found, Decimal(0)))
    return marked


def wpi_areas(regions: Marked) -> frozenset[WpiArea]:
    """The ACR widespread pain index areas that the marked regions fall in."""
    return frozenset(r.wpi_area for r in marked_regions(regions) if r.wpi_area is not None)


def widespread_pain_index(regions: Marked) -> int:
    """The ACR widespread pain index, 0-19: the number of its areas with a marked region."""
    return len(wpi_areas(regions))


def painful_body_regions(regions: Marked) -> frozenset[str]:
    """The body regions counted for localized vs diffuse: WPI areas, else Lund-Browder parts."""
    return frozenset(
        r.wpi_area if r.wpi_area is not None else r.lund_browder_part
        for r in marked_regions(regions)
    )


def painful_region_count(regions: Marked) -> int:
    """How many body regions hurt (see `painful_body_regions`)."""
    return len(painful_body_regions(regions))


def pain_distribution(
    regions: Marked, *, diffuse_min_regions: int = DIFFUSE_MIN_REGIONS
) -> Distribution | None:
    """'localized' or 'diffuse' by the screening rule (diffuse at 5 or more); None if none marked."""
    count = painful_region_count(regions)
    if count == 0:
        return None
    return classify_distribution(count, diffuse_min_regions=diffuse_min_regions)


def generalized_pain_regions(regions: Marked) -> frozenset[GeneralizedRegion]:
    """Of the 2016 criteria's 5 regions, those with pain (jaw, chest and abdomen do not count)."""
    return frozenset(
        WPI_AREA_REGION[area] for area in wpi_areas(regions) if area not in NOT_IN_GENERALIZED_PAIN
    )


def generalized_pain(regions: Marked) -> bool:
    """The 2016 revision's generalized pain: pain in at least 4 of the 5 regions."""
    return len(generalized_pain_regions(regions)) >= GENERALIZED_PAIN_MIN_REGIONS


def lund_browder_column(age_years: Decimal | int | float) -> int:
    """The index into LUND_BROWDER_COLUMNS for a child of this age (the band it falls in)."""
    if isinstance(age_years, bool) or not isinstance(age_years, Decimal | int | float):
        raise BodyMapError(f"age_years must be a number of years, not {age_years!r}")
    if isinstance(age_years, float) and not math.isfinite(age_years):
        raise BodyMapError(f"age_years must be a finite number of years, not {age_years!r}")
    if isinstance(age_years, Decimal) and not age_years.is_finite():
        raise BodyMapError(f"age_years must be a finite number of years, not {age_years!r}")
    if age_years < 0:
        raise BodyMapError(f"age_years cannot be negative, not {age_years!r}")
    column = 0
    for index, starts_at in enumerate(LUND_BROWDER_COLUMN_FROM_AGE):
        if age_years >= starts_at:
            column = index
    return column


def lund_browder_percent(part: LundBrowderPart, age_years: Decimal | int | float) -> Decimal:
    """One Lund and Browder part's percent of total body surface at this age (unrounded)."""
    if part not in LUND_BROWDER_PERCENT:
        raise BodyMapError(f"unknown Lund and Browder part {part!r}; allowed: {LUND_BROWDER_PARTS}")
    return LUND_BROWDER_PERCENT[part][lund_browder_column(age_years)]


def territory_percent_exact(regions: Marked, age_years: Decimal | int | float) -> Decimal:
    """The marked territory's percent of total body surface, exact (not rounded)."""
    column = lund_browder_column(age_years)
    total = Decimal(0)
    for found, covered in marked_regions(regions).items():
        total += (
            covered * found.part_fraction * LUND_BROWDER_PERCENT[found.lund_browder_part][column]
        )
    return total


def territory_percent(regions: Marked, age_years: Decimal | int | float) -> Decimal:
    """The marked territory's percent of total body surface at this age, to one decimal.

    `regions` is a list of region ids (each wholly covered) or a mapping of region id to the
    fraction covered (0 to 1). Lund and Browder chart, the age's band; rounded half away from zero.
    """
    return round_half_away_from_zero(territory_percent_exact(regions, age_years))

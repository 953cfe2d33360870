"""The body map's rules: the catalogue, the WPI from the map, and body surface area by age."""

import json
import random
from collections import defaultdict
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backto.clinical.body_map import (
    CATALOGUE_FILE,
    LUND_BROWDER_COLUMN_FROM_AGE,
    LUND_BROWDER_COLUMNS,
    LUND_BROWDER_PARTS,
    LUND_BROWDER_PERCENT,
    WPI_AREA_LABELS,
    WPI_AREA_REGION,
    WPI_AREAS,
    BodyMapCatalogueError,
    BodyMapError,
    UnknownRegionError,
    body_map_catalogue,
    catalogue_from_data,
    generalized_pain,
    generalized_pain_regions,
    lund_browder_column,
    lund_browder_percent,
    pain_distribution,
    painful_region_count,
    region,
    territory_percent,
    widespread_pain_index,
    wpi_areas,
)
from backto.clinical.screening import DIFFUSE_MIN_REGIONS

CATALOGUE = body_map_catalogue()
IDS = [r.id for r in CATALOGUE.regions]
FAST = settings(max_examples=80, deadline=None)


def part_ids(part: str) -> list[str]:
    return [r.id for r in CATALOGUE.regions if r.lund_browder_part == part]


# --- the catalogue ---------------------------------------------------------------------------


def test_about_seventy_regions_with_unique_ids_and_labels() -> None:
    assert len(IDS) == 70
    assert len(set(IDS)) == len(IDS)
    assert all(r.label.strip() for r in CATALOGUE.regions)
    assert len({r.label for r in CATALOGUE.regions}) == len(IDS)


def test_both_views_and_both_sides_are_drawn() -> None:
    views = {r.view for r in CATALOGUE.regions}
    assert views == {"front", "back"}
    left = sorted(r.id.replace("left", "SIDE") for r in CATALOGUE.regions if r.side == "left")
    right = sorted(r.id.replace("right", "SIDE") for r in CATALOGUE.regions if r.side == "right")
    assert left == right  # the map is symmetrical


def test_every_lund_browder_part_is_covered_exactly_once() -> None:
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for r in CATALOGUE.regions:
        totals[r.lund_browder_part] += r.part_fraction
    assert set(totals) == set(LUND_BROWDER_PARTS)
    assert all(total == 1 for total in totals.values()), totals


def test_every_wpi_area_is_reachable_and_hands_and_feet_are_outside() -> None:
    assert len(WPI_AREAS) == 19
    assert set(WPI_AREA_LABELS) == set(WPI_AREAS) == set(WPI_AREA_REGION)
    assert {r.wpi_area for r in CATALOGUE.regions} - {None} == set(WPI_AREAS)
    for region_id in (
        "hand-left-front",
        "fingers-right-back",
        "foot-left-back",
        "toes-right-front",
    ):
        assert region(region_id).wpi_area is None


def test_snomed_codes_are_the_well_known_ones_or_null() -> None:
    # Checked against published value sets; see the catalogue's note (verify in the browser).
    assert region("knee-left-front").snomed_ct == "72696002"
    assert region("upper-back").snomed_ct is None
    assert region("genitals").snomed_ct is None
    for r in CATALOGUE.regions:
        assert (r.snomed_ct is None) == (r.snomed_ct_display is None)


def test_the_shipped_file_is_what_the_loader_validates() -> None:
    raw = json.loads(CATALOGUE_FILE.read_text(encoding="utf-8"))
    assert [r["id"] for r in raw["regions"]] == IDS


def test_a_catalogue_whose_part_does_not_sum_to_one_is_refused() -> None:
    raw = json.loads(CATALOGUE_FILE.read_text(encoding="utf-8"), parse_float=Decimal)
    raw["regions"] = [r for r in raw["regions"] if r["id"] != "thigh-left-back"]
    with pytest.raises(BodyMapCatalogueError, match="thigh-left"):
        catalogue_from_data(raw, source="broken.json")


def test_a_catalogue_with_a_repeated_id_or_a_wrong_side_is_refused() -> None:
    raw = json.loads(CATALOGUE_FILE.read_text(encoding="utf-8"), parse_float=Decimal)
    repeated = dict(raw, regions=[*raw["regions"], raw["regions"][0]])
    with pytest.raises(BodyMapCatalogueError, match="unique"):
        catalogue_from_data(repeated, source="broken.json")
    swapped = [dict(r) for r in raw["regions"]]
    knee = next(r for r in swapped if r["id"] == "knee-left-front")
    knee["wpi_area"] = "lower-leg-right"
    with pytest.raises(BodyMapCatalogueError, match="other side"):
        catalogue_from_data(dict(raw, regions=swapped), source="broken.json")


# --- the WPI, localized/diffuse and generalized pain -------------------------------------------


def test_both_knees_are_two_wpi_areas_by_the_lower_leg_rule() -> None:
    knees = ["knee-left-front", "knee-right-front"]
    assert wpi_areas(knees) == {"lower-leg-left", "lower-leg-right"}
    assert widespread_pain_index(knees) == 2


def test_each_area_counts_once() -> None:
    leg = ["thigh-left-front", "thigh-left-back", "knee-left-front", "lower-leg-left-back"]
    assert wpi_areas(leg) == {"upper-leg-left", "lower-leg-left"}
    assert widespread_pain_index(["neck-front", "neck-back"]) == 1
    assert widespread_pain_index(["buttock-right", "hip-right-back", "hip-right-front"]) == 1


def test_hands_feet_and_head_are_outside_the_index() -> None:
    assert widespread_pain_index(["hand-left-front", "foot-right-back", "face", "head-back"]) == 0


def test_all_regions_give_nineteen() -> None:
    assert widespread_pain_index(IDS) == 19


def test_localized_and_diffuse_use_the_screening_threshold() -> None:
    assert DIFFUSE_MIN_REGIONS == 5
    one_leg = ["knee-left-front", "ankle-left-back", "foot-left-front", "toes-left-front"]
    assert painful_region_count(one_leg) == 2  # left lower leg, left foot
    assert pain_distribution(one_leg) == "localized"
    five = ["neck-back", "upper-back", "lower-back", "hand-left-back", "hand-right-back"]
    assert painful_region_count(five) == 5
    assert pain_distribution(five) == "diffuse"
    assert pain_distribution(five, diffuse_min_regions=6) == "localized"
    assert pain_distribution([]) is None


def test_generalized_pain_needs_four_of_five_regions() -> None:
    limbs = ["shoulder-left-back", "upper-arm-right-front", "thigh-left-front", "calf-right-back"]
    with pytest.raises(UnknownRegionError):
        generalized_pain(limbs)
    limbs[-1] = "lower-leg-right-back"
    assert generalized_pain_regions(limbs) == {
        "left-upper",
        "right-upper",
        "left-lower",
        "right-lower",
    }
    assert generalized_pain(limbs)
    assert not generalized_pain(limbs[:3])
    assert generalized_pain([*limbs[:3], "lower-back"])


def test_jaw_chest_and_abdomen_count_in_the_wpi_but_not_in_generalized_pain() -> None:
    marked = ["jaw-left", "jaw-right", "chest-left", "upper-abdomen", "thigh-left-front"]
    assert widespread_pain_index(marked) == 5
    assert generalized_pain_regions(marked) == {"left-lower"}
    assert not generalized_pain(marked)


# --- body surface area ---------------------------------------------------------------------


@pytest.mark.parametrize("column", range(len(LUND_BROWDER_COLUMNS)))
def test_the_lund_browder_parts_total_one_hundred_at_every_age(column: int) -> None:
    assert sum(values[column] for values in LUND_BROWDER_PERCENT.values()) == 100


@pytest.mark.parametrize(
    ("age", "head", "thigh", "lower_leg"),
    [
        (0, "19", "5.5", "5"),
        (Decimal("0.5"), "19", "5.5", "5"),
        (1, "17", "6.5", "5"),
        (4, "17", "6.5", "5"),
        (5, "13", "8", "5.5"),
        (9.9, "13", "8", "5.5"),
        (10, "11", "8.5", "6"),
        (14, "11", "8.5", "6"),
        (15, "9", "9", "6.5"),
        (17, "9", "9", "6.5"),
        (18, "7", "9.5", "7"),
        (40, "7", "9.5", "7"),
    ],
)
def test_the_age_takes_its_band(
    age: Decimal | int | float, head: str, thigh: str, lower_leg: str
) -> None:
    assert lund_browder_percent("head", age) == Decimal(head)
    assert lund_browder_percent("thigh-right", age) == Decimal(thigh)
    assert lund_browder_percent("lower-leg-left", age) == Decimal(lower_leg)


def test_the_band_starts() -> None:
    assert LUND_BROWDER_COLUMN_FROM_AGE == (0, 1, 5, 10, 15, 18)
    assert [lund_browder_column(age) for age in (0, 1, 5, 10, 15, 18)] == [0, 1, 2, 3, 4, 5]


def test_a_ten_year_olds_whole_left_lower_leg_is_the_chart_value() -> None:
    assert territory_percent(part_ids("lower-leg-left"), 10) == Decimal("6.0")


def test_clinical_md_worked_example() -> None:
    # A 12-year-old with allodynia over the whole right lower leg and right foot: 6 + 3.5 = 9.5%.
    marked = part_ids("lower-leg-right") + part_ids("foot-right")
    assert territory_percent(marked, 12) == Decimal("9.5")


def test_fractions_of_regions() -> None:
    # Half the left thigh's front at 12: 0.5 x 0.5 x 8.5 = 2.125 -> 2.1.
    assert territory_percent({"thigh-left-front": Decimal("0.5")}, 12) == Decimal("2.1")
    # The left knee's front wholly at 10: 0.15 x 6 = 0.9.
    assert territory_percent({"knee-left-front": 1}, 10) == Decimal("0.9")
    # Rounding half away from zero: 0.25 of the left hand's palm at 10: 0.25 x 0.35 x 2.5 = 0.21875.
    assert territory_percent({"hand-left-front": "0.25"}, 10) == Decimal("0.2")
    # Half of the left shoulder's front (0.05 of the anterior trunk, 13): 0.325 -> 0.3.
    assert territory_percent({"shoulder-left-front": "0.5"}, 10) == Decimal("0.3")
    # 0.25 of the neck's front: 0.25 x 0.5 x 2 = 0.25 -> 0.3 (half away from zero).
    assert territory_percent({"neck-front": "0.25"}, 10) == Decimal("0.3")
    assert territory_percent({"neck-front": 0}, 10) == Decimal("0.0")
    assert territory_percent([], 10) == Decimal("0.0")


def test_a_head_is_bigger_in_a_toddler() -> None:
    head = part_ids("head")
    assert territory_percent(head, 2) == Decimal("17.0")
    assert territory_percent(head, 16) == Decimal("9.0")


# --- errors ----------------------------------------------------------------------------------


def test_an_unknown_region_is_named_with_the_catalogue() -> None:
    with pytest.raises(UnknownRegionError) as raised:
        widespread_pain_index(["knee-left-front", "kne-left-front"])
    message = str(raised.value)
    assert "'kne-left-front'" in message
    assert "body_map_regions.json" in message
    assert "knee-left-front" in message  # the closest ids are suggested
    with pytest.raises(UnknownRegionError, match="shoulder"):
        territory_percent({"shoulder": 1}, 10)
    assert isinstance(raised.value, BodyMapError)
    assert isinstance(raised.value, LookupError)


@pytest.mark.parametrize(
    "fraction", [Decimal("-0.1"), Decimal("1.01"), 2, -1, "NaN", "lots", True, None]
)
def test_a_fraction_outside_zero_to_one_is_refused(fraction: object) -> None:
    with pytest.raises(BodyMapError, match="knee-left-front"):
        territory_percent({"knee-left-front": fraction}, 10)


@pytest.mark.parametrize("age", [-1, Decimal("-0.5"), float("nan"), float("inf"), True, "10", None])
def test_a_negative_or_unusable_age_is_refused(age: object) -> None:
    with pytest.raises(BodyMapError, match="age_years"):
        territory_percent(["knee-left-front"], age)  # type: ignore[arg-type]


def test_a_bare_string_is_not_a_list_of_regions() -> None:
    with pytest.raises(BodyMapError, match="list of region ids"):
        widespread_pain_index("knee-left-front")


# --- properties ------------------------------------------------------------------------------

region_sets = st.sets(st.sampled_from(IDS))
ages = st.one_of(
    st.integers(0, 90),
    st.decimals(min_value=0, max_value=90, places=2, allow_nan=False, allow_infinity=False),
)
fractions = st.decimals(min_value=0, max_value=1, places=3, allow_nan=False, allow_infinity=False)


@FAST
@given(region_sets, region_sets)
def test_wpi_is_monotone_and_at_most_nineteen(smaller: set[str], extra: set[str]) -> None:
    larger = smaller | extra
    assert 0 <= widespread_pain_index(smaller) <= widespread_pain_index(larger) <= 19
    assert painful_region_count(smaller) <= painful_region_count(larger)
    if generalized_pain(smaller):
        assert generalized_pain(larger)


@FAST
@given(region_sets, region_sets, ages)
def test_territory_is_monotone_and_between_zero_and_one_hundred(
    smaller: set[str], extra: set[str], age: Decimal | int
) -> None:
    small = territory_percent(smaller, age)
    large = territory_percent(smaller | extra, age)
    assert Decimal(0) <= small <= large <= Decimal(100)


@FAST
@given(st.dictionaries(st.sampled_from(IDS), fractions), ages, st.data())
def test_more_coverage_never_shrinks_the_territory(
    covered: dict[str, Decimal], age: Decimal | int, data: st.DataObject
) -> None:
    more = {
        key: value + data.draw(st.decimals(min_value=0, max_value=1 - value, places=3))
        for key, value in covered.items()
    }
    assert territory_percent(covered, age) <= territory_percent(more, age)


@FAST
@given(ages)
def test_all_regions_are_the_whole_body_at_any_age(age: Decimal | int) -> None:
    assert territory_percent(IDS, age) == Decimal("100.0")
    assert territory_percent(dict.fromkeys(IDS, 1), age) == Decimal("100.0")


@FAST
@given(st.lists(st.sampled_from(IDS)), st.randoms(use_true_random=False), ages)
def test_order_and_repeats_never_matter(
    marked: list[str], rng: random.Random, age: Decimal | int
) -> None:
    shuffled = list(marked) * 2
    rng.shuffle(shuffled)
    assert widespread_pain_index(shuffled) == widespread_pain_index(marked)
    assert territory_percent(shuffled, age) == territory_percent(marked, age)
    assert pain_distribution(shuffled) == pain_distribution(marked)
    assert generalized_pain(shuffled) == generalized_pain(marked)


# Every region id a catalogue has published (version 1): stored maps and exams keep these ids and
# the rules recompute from them, so a later catalogue may add ids but never drop or rename one.
PUBLISHED_REGION_IDS = (
    "head-front",
    "face",
    "jaw-left",
    "jaw-right",
    "head-back",
    "neck-front",
    "neck-back",
    "shoulder-left-front",
    "shoulder-right-front",
    "chest-left",
    "chest-right",
    "upper-abdomen",
    "lower-abdomen",
    "hip-left-front",
    "hip-right-front",
    "genitals",
    "shoulder-left-back",
    "shoulder-right-back",
    "upper-back",
    "lower-back",
    "hip-left-back",
    "hip-right-back",
    "buttock-left",
    "buttock-right",
    "upper-arm-left-front",
    "upper-arm-left-back",
    "elbow-left-front",
    "elbow-left-back",
    "forearm-left-front",
    "forearm-left-back",
    "wrist-left-front",
    "wrist-left-back",
    "hand-left-front",
    "hand-left-back",
    "fingers-left-front",
    "fingers-left-back",
    "thigh-left-front",
    "thigh-left-back",
    "knee-left-front",
    "knee-left-back",
    "lower-leg-left-front",
    "lower-leg-left-back",
    "ankle-left-front",
    "ankle-left-back",
    "foot-left-front",
    "toes-left-front",
    "foot-left-back",
    "upper-arm-right-front",
    "upper-arm-right-back",
    "elbow-right-front",
    "elbow-right-back",
    "forearm-right-front",
    "forearm-right-back",
    "wrist-right-front",
    "wrist-right-back",
    "hand-right-front",
    "hand-right-back",
    "fingers-right-front",
    "fingers-right-back",
    "thigh-right-front",
    "thigh-right-back",
    "knee-right-front",
    "knee-right-back",
    "lower-leg-right-front",
    "lower-leg-right-back",
    "ankle-right-front",
    "ankle-right-back",
    "foot-right-front",
    "toes-right-front",
    "foot-right-back",
)


def test_no_published_region_id_is_ever_dropped_or_renamed():
    current = {r.id for r in body_map_catalogue().regions}
    assert set(PUBLISHED_REGION_IDS) <= current, sorted(set(PUBLISHED_REGION_IDS) - current)

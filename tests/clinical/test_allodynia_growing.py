"""The caseload's "allodynia area growing" rule (backto/clinical/caseload.py) on its worked
examples, and its properties: it looks only at the latest exam against the one before and the
first, by more than ALLODYNIA_GROWTH_POINTS; on territories, every exam compared at the latest
exam's age, so that the same regions never flag across a Lund and Browder band."""

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from backto.clinical.body_map import body_map_catalogue
from backto.clinical.caseload import (
    ALLODYNIA_GROWTH_POINTS,
    allodynia_area_growing,
    allodynia_territory_growing,
)
from backto.clinical.sensory_exam import allodynia_areas_at_one_age
from tests.exam.exam_rows import BOTH_LEGS  # 32.9 % at 9 years, 34.8 % at 10

D = Decimal


def growing(*areas: str, active: bool = True) -> bool:
    return allodynia_area_growing(active=active, areas=[D(a) for a in areas])


def test_the_worked_examples() -> None:
    assert growing("3.5", "9.5")  # the foot's territory spread to the whole lower leg
    assert not growing("9.5", "3.5")  # it shrank
    assert growing("3.5", "4.0", "4.5", "5.0")  # a creep: 1.5 over the first, 0.5 a step
    assert not growing("5.0", "6.0")  # exactly one point: not more than the margin
    assert growing("5.0", "6.1")
    assert growing("9.5", "2.0", "3.5")  # it grew back 1.5 since the exam before


def test_one_exam_or_a_program_not_running_is_never_flagged() -> None:
    assert not growing()
    assert not growing("40.0")
    assert not growing("1.0", "20.0", active=False)


def test_the_margin_is_one_point_of_body_surface() -> None:
    assert D("1.0") == ALLODYNIA_GROWTH_POINTS


areas = st.decimals(min_value=0, max_value=100, places=1, allow_nan=False, allow_infinity=False)


@given(st.lists(areas, min_size=2, max_size=8))
def test_an_area_that_never_grew_is_never_flagged(values: list[Decimal]) -> None:
    assert not allodynia_area_growing(active=True, areas=sorted(values, reverse=True))


@given(st.lists(areas, min_size=2, max_size=8), areas)
def test_a_larger_latest_area_never_clears_the_flag(values: list[Decimal], more: Decimal) -> None:
    if allodynia_area_growing(active=True, areas=values):
        larger = [*values[:-1], values[-1] + more]
        assert allodynia_area_growing(active=True, areas=larger)


@given(st.lists(areas, min_size=3, max_size=8))
def test_only_the_first_the_one_before_and_the_latest_count(values: list[Decimal]) -> None:
    middle_changed = [values[0], *(D(0) for _ in values[1:-2]), values[-2], values[-1]]
    assert allodynia_area_growing(active=True, areas=values) == allodynia_area_growing(
        active=True, areas=middle_changed
    )


# --- The same territory across a Lund and Browder band (every exam compared at the latest age) ---


def test_the_same_territory_after_a_birthday_into_the_next_band_is_not_growing() -> None:
    assert growing("32.9", "34.8")  # the areas as recorded, each at its own age, would flag
    exams = [(BOTH_LEGS, D("9.9")), (BOTH_LEGS, D("10.1"))]
    compared = allodynia_areas_at_one_age(exams)
    assert compared is not None
    assert (compared.age_years, compared.percents, compared.change) == (
        D("10.1"),
        (D("34.8"), D("34.8")),
        D("0.0"),
    )
    assert not allodynia_territory_growing(active=True, exams=exams)


def test_a_territory_that_spread_across_a_band_is_still_growing() -> None:
    foot = ["foot-right-front", "foot-right-back", "toes-right-front"]
    exams = [(foot, D(9)), ([*foot, "lower-leg-right-front", "lower-leg-right-back"], D(10))]
    # At 10: the foot 3.5, then the foot and 0.65 of the lower leg (6): 3.5 + 3.9 = 7.4.
    compared = allodynia_areas_at_one_age(exams)
    assert compared is not None and compared.percents == (D("3.5"), D("7.4"))
    assert allodynia_territory_growing(active=True, exams=exams)
    assert allodynia_areas_at_one_age([]) is None


region_ids = st.sets(st.sampled_from([r.id for r in body_map_catalogue().regions]), max_size=20)
ages = st.decimals(min_value=0, max_value=25, places=2, allow_nan=False, allow_infinity=False)


@given(region_ids, st.lists(ages, min_size=2, max_size=6))
def test_the_same_regions_at_any_ages_never_flag(regions: set[str], days: list[Decimal]) -> None:
    exams = [(regions, age) for age in sorted(days)]
    assert not allodynia_territory_growing(active=True, exams=exams)
    compared = allodynia_areas_at_one_age(exams)
    assert compared is not None and compared.change == 0

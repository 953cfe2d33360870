"""The caseload's "allodynia area growing" rule (backto/clinical/caseload.py) on its worked
examples, and its properties: it looks only at the latest exam against the one before and the
first, by more than ALLODYNIA_GROWTH_POINTS."""

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from backto.clinical.caseload import ALLODYNIA_GROWTH_POINTS, allodynia_area_growing

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

"""Properties of the scoring engine that hold for every answer set (hypothesis)."""

import random
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from backto.clinical.instrument_registry import instrument_registry
from backto.clinical.instruments import Instrument, score_range
from backto.clinical.scoring import score

REGISTRY = instrument_registry()
SUMMED = [REGISTRY.get(key) for key in ("fdi-child", "fdi-parent", "pcs-c", "pcs-p", "fopq-c-sf")]
FAST = settings(max_examples=60, deadline=None)


@st.composite
def answer_sets(draw: st.DrawFn) -> tuple[Instrument, dict[str, int | None]]:
    """An instrument and answers to every item, with up to the allowed number missing."""
    instrument = draw(st.sampled_from(SUMMED))
    assert instrument.scoring is not None
    link_ids = list(instrument.link_ids)
    allowed = instrument.scoring.missing.allowed(len(link_ids))
    missing = set(draw(st.lists(st.sampled_from(link_ids), max_size=allowed, unique=True)))
    values = {
        link_id: None if link_id in missing else draw(st.integers(0, 4)) for link_id in link_ids
    }
    return instrument, values


@FAST
@given(answer_sets())
def test_totals_and_subscales_stay_in_their_range(
    case: tuple[Instrument, dict[str, int | None]],
) -> None:
    instrument, answers = case
    result = score(instrument, answers)
    assert instrument.scoring is not None
    assert result.total is not None
    assert instrument.scoring.range.min <= result.total <= instrument.scoring.range.max
    items = {item.linkId: item for item in instrument.items}
    for subscale in instrument.scoring.subscales:
        value = result.subscales[subscale.name]
        if value is not None and subscale.items is not None:
            low, high = score_range("sum", [items[link_id] for link_id in subscale.items])
            assert low <= value <= high
    assert result.prorated == (result.missing > 0)


@FAST
@given(answer_sets(), st.randoms(use_true_random=False))
def test_a_score_never_depends_on_the_order_of_answers(
    case: tuple[Instrument, dict[str, int | None]], shuffler: random.Random
) -> None:
    instrument, answers = case
    pairs = list(answers.items())
    shuffler.shuffle(pairs)
    assert score(instrument, dict(pairs)) == score(instrument, answers)


@FAST
@given(
    instrument=st.sampled_from(SUMMED),
    mean=st.integers(0, 4),
    moves=st.lists(st.tuples(st.integers(0, 50), st.integers(0, 50)), max_size=30),
    data=st.data(),
)
def test_proration_equals_the_full_score_when_missing_answers_equal_the_mean(
    instrument: Instrument, mean: int, moves: list[tuple[int, int]], data: st.DataObject
) -> None:
    assert instrument.scoring is not None
    link_ids = list(instrument.link_ids)
    allowed = instrument.scoring.missing.allowed(len(link_ids))
    missing = data.draw(
        st.lists(st.sampled_from(link_ids), min_size=1, max_size=allowed, unique=True)
    )
    answered = [link_id for link_id in link_ids if link_id not in missing]
    values = dict.fromkeys(answered, mean)
    for giver, taker in moves:  # move one point at a time: the mean of the answered stays put
        source, target = answered[giver % len(answered)], answered[taker % len(answered)]
        if values[source] > 0 and values[target] < 4:
            values[source] -= 1
            values[target] += 1
    full = score(instrument, {**values, **dict.fromkeys(missing, mean)})
    prorated = score(instrument, {**values, **dict.fromkeys(missing)})
    assert prorated.prorated and not full.prorated
    assert prorated.total == full.total == Decimal(mean * len(link_ids))
    assert prorated.band == full.band


@FAST
@given(answer_sets())
def test_child_and_parent_fdi_score_the_same_answers_the_same_way(
    case: tuple[Instrument, dict[str, int | None]],
) -> None:
    instrument, answers = case
    if instrument.id.startswith("fdi-"):
        child = score(REGISTRY.get("fdi-child"), answers)
        parent = score(REGISTRY.get("fdi-parent"), answers)
        assert (child.total, child.band) == (parent.total, parent.band)
        assert child.instrument_id != parent.instrument_id  # scored separately, never averaged

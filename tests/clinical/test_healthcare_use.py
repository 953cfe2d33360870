"""The healthcare-use questionnaire (CLINICAL.md, "Medicines and healthcare use"): counts scored
per 3 months, count x 3 / months covered, rounded half away from zero to one decimal, with the
months covered an answer BackTo fills. Worked examples, then properties, then the file's rules."""

import json
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from math import floor

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backto.clinical.batch import score_jsonl
from backto.clinical.instrument_registry import InstrumentFileError, instrument_from_data
from backto.clinical.instruments import Instrument, score_range
from backto.clinical.scoring import (
    describe_rule,
    months_between,
    months_covered,
    per_months,
    score,
)
from tests.clinical.instrument_data import instrument_data
from tests.clinical.test_instrument_files import SHIPPED_INSTRUMENTS_DIR

COUNTS = (
    "emergency",
    "urgent_care",
    "specialist",
    "imaging_tests",
    "hospital_nights",
    "school_nurse",
    "work_days_missed",
)
VISITS = ("emergency", "urgent_care", "specialist")
DATA = json.loads((SHIPPED_INSTRUMENTS_DIR / "healthcare-use.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def instrument() -> Instrument:
    return instrument_from_data(DATA, source="healthcare-use.json")


def answers(months: float | int | None = 3, **counts: int) -> dict[str, int | float | None]:
    given = dict.fromkeys(COUNTS, 0) | counts
    return {**given, "months_covered": months}


# --- worked examples ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("count", "months", "expected"),
    [
        (2, 3, "2.0"),  # 2 emergency visits over the 3 months of the baseline question
        (1, 5, "0.6"),  # 1 x 3 / 5 = 0.6
        (1, 8, "0.4"),  # 0.375: half away from zero would still be 0.4; 0.375 is above 0.35
        (1, 2, "1.5"),
        (1, 6, "0.5"),
        (0, 7, "0.0"),
        (3, "0.7", "12.9"),  # 12.857...: a 3-week program (21 days / 30.4375 = 0.7 months)
        (10, 36, "0.8"),  # 0.8333...
        (1, 12, "0.3"),  # 0.25 exactly: half away from zero, up
        (5, 4, "3.8"),  # 3.75 exactly: up
        (3, "0.8", "11.3"),  # 11.25 exactly: up
        (1, 40, "0.1"),  # 0.075: up to 0.1
        (1, 60, "0.1"),  # 0.05 exactly: up, never to even (0.0)
        (1, "0.1", "30.0"),
    ],
)
def test_worked_examples(count: int, months: int | str, expected: str) -> None:
    assert per_months(count, months) == Decimal(expected)
    assert str(per_months(count, months)) == expected


def test_floats_from_stored_answers_are_read_as_written() -> None:
    # months stored as a JSON float: 0.7 is read as 7/10, not as the binary 0.69999...
    assert per_months(3, 0.7) == Decimal("12.9")
    assert per_months(1, 2.5) == Decimal("1.2")  # 1.2 exactly
    assert per_months(3, 2.4) == Decimal("3.8")  # 3.75 exactly: up


@pytest.mark.parametrize("months", [0, 0.0, "0", -1, "-0.5"])
def test_zero_or_negative_months_are_refused(months: object) -> None:
    with pytest.raises(ValueError, match="months covered must be more than 0"):
        per_months(1, months)  # type: ignore[arg-type]


@pytest.mark.parametrize("count", [-1, 1.5, True, "2"])
def test_a_count_is_a_whole_number_zero_or_more(count: object) -> None:
    with pytest.raises(ValueError, match="whole number"):
        per_months(count, 3)  # type: ignore[arg-type]


def test_the_instrument_scores_the_worked_examples(instrument: Instrument) -> None:
    baseline = score(instrument, answers(3, emergency=2, specialist=4, school_nurse=6))
    assert baseline.ok and not baseline.prorated
    assert baseline.total == Decimal("6.0")  # (2 + 0 + 4) x 3 / 3
    assert baseline.subscales == {
        "emergency": Decimal("2.0"),
        "urgent_care": Decimal("0.0"),
        "specialist": Decimal("4.0"),
        "imaging_tests": Decimal("0.0"),
        "hospital_nights": Decimal("0.0"),
        "school_nurse": Decimal("6.0"),
        "work_days_missed": Decimal("0.0"),
    }
    later = score(instrument, answers(5, emergency=1, specialist=1, work_days_missed=2))
    assert later.total == Decimal("1.2")  # 2 visits x 3 / 5
    assert later.subscales["emergency"] == Decimal("0.6")
    assert later.subscales["work_days_missed"] == Decimal("1.2")
    eight = score(instrument, answers(8, emergency=1))
    assert eight.total == Decimal("0.4") and eight.subscales["emergency"] == Decimal("0.4")
    assert eight.band is None


def test_zero_months_covered_is_an_error_naming_the_item(instrument: Instrument) -> None:
    result = score(instrument, answers(0, emergency=1))
    assert not result.ok and result.total is None
    assert "months_covered" in result.errors[0] and "0.1 to 36" in result.errors[0]


def test_a_count_must_be_a_whole_number_within_its_range(instrument: Instrument) -> None:
    half = {**answers(), "emergency": 1.5}
    assert "must be a whole number from 0 to 100" in score(instrument, half).errors[0]
    assert not score(instrument, answers(emergency=-1)).ok
    assert not score(instrument, answers(hospital_nights=366)).ok
    assert score(instrument, answers(hospital_nights=365)).ok


def test_without_months_covered_nothing_is_computed_and_the_notes_say_why(
    instrument: Instrument,
) -> None:
    result = score(instrument, answers(None, emergency=1))
    assert result.ok and result.total is None
    assert set(result.subscales.values()) == {None}
    assert "total not computed: months_covered is not filled in" in result.notes


def test_a_count_is_never_prorated(instrument: Instrument) -> None:
    given = answers(3, emergency=2, specialist=1)
    del given["urgent_care"]
    result = score(instrument, given)
    assert result.total is None and not result.prorated
    assert result.subscales["urgent_care"] is None
    assert result.subscales["emergency"] == Decimal("2.0")
    assert any(note.startswith("total not computed: 1 of 3 items") for note in result.notes)


def test_missed_work_days_may_be_left_blank(instrument: Instrument) -> None:
    given = answers(3, emergency=1)
    del given["work_days_missed"]
    result = score(instrument, given)
    assert result.total == Decimal("1.0")
    assert result.subscales["work_days_missed"] is None


def test_the_rule_says_exactly_what_is_computed(instrument: Instrument) -> None:
    rule = describe_rule(instrument)
    assert rule.startswith("healthcare-use 1.0.0, scoring engine 1.0.0: ")
    assert "(emergency + urgent_care + specialist) x 3 / months_covered" in rule
    assert "rounded half away from zero to one decimal" in rule
    assert "3 for the first completed form of the episode" in rule
    assert "/ 30.4375" in rule and "within 0.1-36" in rule
    assert "never prorated" in rule
    for name in COUNTS:
        assert f"{name} ({name})" in rule
    assert score(instrument, answers()).rule == rule


def test_the_batch_scorer_agrees(instrument: Instrument) -> None:
    given = answers(2.5, emergency=1, urgent_care=2, school_nurse=3)
    line = json.dumps({"id": "h1", "instrument": "healthcare-use", "answers": given})
    out: list[str] = []
    score_jsonl([line], out.append)
    [result] = [json.loads(text) for text in "".join(out).splitlines()]
    expected = score(instrument, given)
    assert expected.total == Decimal("3.6")  # 3 x 3 / 2.5
    assert result["total"] == float(expected.total)
    assert result["subscales"] == {
        name: None if value is None else float(value) for name, value in expected.subscales.items()
    }


# --- the months covered ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("days", "expected"),
    [(0, "0.0"), (2, "0.1"), (21, "0.7"), (30, "1.0"), (61, "2.0"), (92, "3.0"), (365, "12.0")],
)
def test_months_between_is_days_over_the_mean_month(days: int, expected: str) -> None:
    start = date(2026, 1, 5)
    assert months_between(start, start + timedelta(days=days)) == Decimal(expected)


def test_months_between_refuses_an_end_before_the_start() -> None:
    with pytest.raises(ValueError, match="before the start"):
        months_between(date(2026, 2, 1), date(2026, 1, 1))


def test_months_covered_first_since_and_bounds(instrument: Instrument) -> None:
    assert instrument.scoring is not None and instrument.scoring.rate is not None
    rate = instrument.scoring.rate
    item = instrument.item("months_covered")
    day = date(2026, 6, 1)
    assert months_covered(rate, item, None, day) == Decimal("3.0")  # the first: the last 3 months
    assert months_covered(rate, item, day - timedelta(days=21), day) == Decimal("0.7")
    assert months_covered(rate, item, day, day) == Decimal("0.1")  # the same day: the least
    assert months_covered(rate, item, day - timedelta(days=2000), day) == Decimal("36.0")


# --- properties ---------------------------------------------------------------------------------


def _half_away(value: Fraction) -> Decimal:
    return Decimal(floor(value * 10 + Fraction(1, 2))) / 10


@settings(max_examples=150, deadline=None)
@given(
    counts=st.fixed_dictionaries({name: st.integers(0, 100) for name in COUNTS}),
    tenths=st.integers(1, 360),
)
def test_every_value_is_its_count_times_3_over_the_months(
    counts: dict[str, int], tenths: int
) -> None:
    instrument = instrument_from_data(DATA, source="healthcare-use.json")
    months = tenths / 10  # as stored: a JSON float with one decimal
    result = score(instrument, {**counts, "months_covered": months})
    covered = Fraction(tenths, 10)
    for name in COUNTS:
        assert result.subscales[name] == _half_away(Fraction(counts[name] * 3) / covered)
    visits = sum(counts[name] for name in VISITS)
    assert result.total == _half_away(Fraction(visits * 3) / covered)
    assert result.total is not None and instrument.scoring is not None
    assert instrument.scoring.range.min <= result.total <= instrument.scoring.range.max
    assert result.total.as_tuple().exponent == -1  # always one decimal


@settings(max_examples=100, deadline=None)
@given(count=st.integers(0, 1000), tenths=st.integers(1, 600), more=st.integers(1, 50))
def test_more_visits_never_score_less_and_more_months_never_score_more(
    count: int, tenths: int, more: int
) -> None:
    months = Fraction(tenths, 10)
    rate = per_months(count, str(Decimal(tenths) / 10))
    assert per_months(count + more, str(Decimal(tenths) / 10)) >= rate
    assert per_months(count, str(Decimal(tenths + more) / 10)) <= rate
    assert abs(Fraction(str(rate)) - Fraction(count * 3) / months) <= Fraction(1, 20)


# --- the file -----------------------------------------------------------------------------------


def test_it_is_ours_asked_of_the_parent_with_spanish(instrument: Instrument) -> None:
    assert instrument.respondent == "parent"
    assert instrument.licence.holder == "BackTo project" and instrument.licence.text_ships
    assert instrument.covers_time_since_last_asked
    assert instrument.at_baseline
    assert [item.linkId for item in instrument.asked_items] == list(COUNTS)
    assert instrument.item("months_covered").system
    spanish = instrument.translations["es"]
    assert not spanish.validated and set(spanish.items) == {*COUNTS, "months_covered"}
    assert all(item.type == "integer" and item.minValue == 0 for item in instrument.asked_items)
    words = " ".join(item.text or "" for item in instrument.items).lower()
    for blame in ("should", "too many", "unnecessary", "fault"):
        assert blame not in words


def test_the_notes_record_the_project_decisions(instrument: Instrument) -> None:
    notes = " ".join(instrument.notes)
    assert "30.4375" in notes and "never during the program" in notes
    assert "emergency + urgent care + specialist" in notes
    assert "never prorated" in notes


def _rate_data(**scoring_changes: object) -> dict[str, object]:
    data = instrument_data(
        items=[
            {
                "linkId": "visits",
                "label": "Visits",
                "text": "Visits?",
                "type": "integer",
                "minValue": 0,
                "maxValue": 10,
            },
            {
                "linkId": "months",
                "label": "Months",
                "text": "Months.",
                "type": "decimal",
                "minValue": 1,
                "maxValue": 12,
                "system": True,
                "required": False,
            },
        ],
        scoring={
            "method": "rate",
            "items": ["visits"],
            "rate": {"per_months": 3, "months_item": "months", "first_months": 3},
            "range": {"min": 0, "max": 30},
            "direction": "higher_is_worse",
        },
    )
    data["scoring"].update(scoring_changes)
    return data


def test_a_small_rate_instrument_loads_and_its_range_is_checked() -> None:
    instrument = instrument_from_data(_rate_data(), source="rate.json")
    assert score(instrument, {"visits": 4, "months": 6}).total == Decimal("2.0")
    with pytest.raises(InstrumentFileError, match=r"the items give 0\.\.30"):
        instrument_from_data(_rate_data(range={"min": 0, "max": 10}), source="rate.json")
    with pytest.raises(ValueError, match="use rate_range"):
        score_range("rate", instrument.items)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"rate": None}, 'the method "rate" needs scoring.rate'),
        ({"method": "sum"}, 'the method "rate" needs scoring.rate, and only it'),
        ({"rate": {"per_months": 3, "months_item": "visits", "first_months": 3}}, "system item"),
        ({"rate": {"per_months": 3, "months_item": "months", "first_months": 20}}, "first_months"),
        ({"rate": {"per_months": 0, "months_item": "months", "first_months": 3}}, "per_months"),
        ({"items": ["months"]}, "'months' is a count of a group"),
        (
            {"subscales": [{"name": "v", "items": ["visits"], "method": "sum"}]},
            "for every group of a rate instrument or none",
        ),
    ],
)
def test_a_malformed_rate_is_refused_when_loaded(change: dict[str, object], message: str) -> None:
    with pytest.raises(InstrumentFileError, match=message):
        instrument_from_data(_rate_data(**change), source="rate.json")


def test_a_system_item_is_a_number_item() -> None:
    data = instrument_data()
    data["items"][0]["system"] = True
    with pytest.raises(InstrumentFileError, match="system item"):
        instrument_from_data(data, source="test-scale.json")

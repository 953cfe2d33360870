"""The open questionnaires of issue #18: PHQ-A, GAD-7, ASQ and the global impression of change.

Every expected total below is worked by hand from the published scoring rule (a sum of the item
values) and the project's missing-item rule (20% of the items, rounded down, may be unanswered;
the total is then the mean of the answered items times the number of items, rounded half away
from zero to one decimal).
"""

from collections.abc import Sequence
from decimal import Decimal

import pytest

from backto.clinical.instrument_packs import InstrumentPackError, apply_pack, pack_from_data
from backto.clinical.instrument_registry import instrument_registry
from backto.clinical.scoring import score

REGISTRY = instrument_registry()
PHQ_A = REGISTRY.get("phq-a")
GAD_7 = REGISTRY.get("gad-7")
ASQ = REGISTRY.get("asq")
PGIC_CHILD = REGISTRY.get("pgic-child")
PGIC_PARENT = REGISTRY.get("pgic-parent")

NO, YES, DID_NOT_ANSWER = 0, 1, 2


def answers(values: Sequence[int | None]) -> dict[str, int | None]:
    return {str(number): value for number, value in enumerate(values, start=1)}


# PHQ-A ----------------------------------------------------------------------------------------


def test_phq_a_sums_nine_items_to_a_moderate_eleven() -> None:
    # 2 + 1 + 2 + 1 + 1 + 2 + 1 + 1 + 0 = 11, in [10, 15): moderate
    result = score(PHQ_A, answers([2, 1, 2, 1, 1, 2, 1, 1, 0]))
    assert result.total == Decimal("11")
    assert result.band == "moderate"
    assert (result.prorated, result.missing, result.errors, result.alerts) == (False, 0, (), ())


def test_phq_a_four_is_minimal() -> None:
    result = score(PHQ_A, answers([1, 1, 1, 1, 0, 0, 0, 0, 0]))
    assert (result.total, result.band) == (Decimal("4"), "minimal")


@pytest.mark.parametrize(
    ("total", "band"),
    [
        (0, "minimal"),
        (5, "mild"),
        (9, "mild"),
        (10, "moderate"),
        (15, "moderately severe"),
        (19, "moderately severe"),
        (20, "severe"),
        (27, "severe"),
    ],
)
def test_phq_a_bands_are_the_published_half_open_intervals(total: int, band: str) -> None:
    values = [3] * (total // 3) + ([total % 3] if total % 3 else [])
    values += [0] * (9 - len(values))
    result = score(PHQ_A, answers(values))
    assert (result.total, result.band) == (Decimal(total), band)


def test_phq_a_prorates_one_missing_item_of_nine() -> None:
    # 8 answered, sum 10: 10 / 8 x 9 = 11.25, rounded half away from zero -> 11.3 (moderate)
    result = score(PHQ_A, answers([2, 2, 1, 1, 1, 1, 1, 1, None]))
    assert result.total == Decimal("11.3")
    assert result.band == "moderate"
    assert (result.prorated, result.missing) == (True, 1)


def test_phq_a_leaves_the_total_null_with_two_missing() -> None:
    result = score(PHQ_A, answers([2, 2, 1, 1, 1, 1, 1, None, None]))
    assert result.total is None
    assert result.notes == (
        "total not computed: 2 of 9 items unanswered; at most 1 may be missing",
    )


@pytest.mark.parametrize("value", [1, 2, 3])
def test_phq_a_item_nine_above_zero_alerts_the_care_team(value: int) -> None:
    result = score(PHQ_A, answers([0] * 8 + [value]))
    assert result.alerts == ("9",)
    assert result.urgent == ()


def test_phq_a_item_nine_at_zero_raises_no_alert() -> None:
    assert score(PHQ_A, answers([3] * 8 + [0])).alerts == ()


def test_phq_a_supplementary_questions_are_kept_but_not_scored() -> None:
    given = answers([1] * 9) | {"past_year": YES, "difficulty": 2, "past_month": NO}
    given["ever_attempt"] = NO
    result = score(PHQ_A, given)
    assert result.total == Decimal("9")
    assert result.alerts == ("9",)


@pytest.mark.parametrize("link_id", ["past_month", "ever_attempt"])
def test_phq_a_yes_to_a_suicide_question_alerts_the_care_team(link_id: str) -> None:
    result = score(PHQ_A, answers([0] * 9) | {link_id: YES})
    assert result.alerts == (link_id,)
    assert (result.total, result.band) == (Decimal("0"), "minimal")


def test_phq_a_past_year_yes_is_not_a_safety_answer() -> None:
    assert score(PHQ_A, answers([0] * 9) | {"past_year": YES}).alerts == ()


def test_phq_a_ships_neutral_labels_only_until_a_clinic_installs_its_pack() -> None:
    assert PHQ_A.licence.text_ships is False
    assert PHQ_A.text_available is False
    assert PHQ_A.instructions is None
    assert all(item.text is None for item in PHQ_A.items)
    assert [item.label for item in PHQ_A.items[:9]] == [f"PHQ-A item {n}" for n in range(1, 10)]
    assert PHQ_A.link_ids[9:] == ("past_year", "difficulty", "past_month", "ever_attempt")


def test_a_phq_a_pack_supplies_every_question_and_leaves_the_scoring_alone() -> None:
    pack = pack_from_data(
        {
            "instrument": "phq-a",
            "version": "1.0.0",
            "items": {link_id: f"Licensed wording of {link_id}" for link_id in PHQ_A.link_ids},
        },
        source="phq-a.json",
    )
    merged = apply_pack(PHQ_A, pack, source="phq-a.json")
    assert merged.text_available
    given = answers([2, 1, 2, 1, 1, 2, 1, 1, 0])
    assert score(merged, given).total == score(PHQ_A, given).total == Decimal("11")


def test_a_phq_a_pack_cannot_relabel_answers_the_questions_do_not_share() -> None:
    pack = pack_from_data(
        {
            "instrument": "phq-a",
            "version": "1.0.0",
            "items": dict.fromkeys(PHQ_A.link_ids, "Licensed wording"),
            "option_labels": {str(v): f"Answer {v}" for v in range(4)},
        },
        source="phq-a.json",
    )
    with pytest.raises(InstrumentPackError, match="do not share one set of answers"):
        apply_pack(PHQ_A, pack, source="phq-a.json")


# GAD-7 ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "total", "band"),
    [
        ([0, 1, 1, 1, 1, 0, 0], 4, "minimal"),
        ([1, 1, 1, 1, 1, 0, 0], 5, "mild"),
        ([2, 2, 2, 2, 1, 1, 0], 10, "moderate"),
        ([3, 2, 2, 2, 2, 2, 1], 14, "moderate"),
        ([3, 3, 2, 2, 2, 2, 1], 15, "severe"),
        ([3, 3, 3, 3, 3, 3, 3], 21, "severe"),
    ],
)
def test_gad_7_sums_seven_items_into_the_published_bands(
    values: list[int], total: int, band: str
) -> None:
    result = score(GAD_7, answers(values))
    assert (result.total, result.band, result.prorated) == (Decimal(total), band, False)


def test_gad_7_prorates_one_missing_item_of_seven() -> None:
    # 6 answered, sum 13: 13 / 6 x 7 = 15.1666..., rounded -> 15.2 (severe)
    result = score(GAD_7, answers([3, 3, 2, 2, 2, 1, None]))
    assert result.total == Decimal("15.2")
    assert result.band == "severe"
    assert (result.prorated, result.missing) == (True, 1)


def test_gad_7_leaves_the_total_null_with_two_missing() -> None:
    result = score(GAD_7, answers([3, 3, 2, 2, 2, None, None]))
    assert result.total is None
    assert result.notes == (
        "total not computed: 2 of 7 items unanswered; at most 1 may be missing",
    )


def test_gad_7_has_no_safety_answers() -> None:
    assert not any(o.safety_alert for item in GAD_7.items for o in item.answerOption)
    assert score(GAD_7, answers([3] * 7)).alerts == ()


# ASQ ------------------------------------------------------------------------------------------


def test_asq_no_to_all_four_is_a_negative_screen_without_alerts() -> None:
    result = score(ASQ, answers([NO, NO, NO, NO]))
    assert (result.total, result.band) == (Decimal("0"), "negative screen")
    assert (result.alerts, result.urgent) == ((), ())


def test_asq_one_yes_is_a_positive_screen_and_alerts() -> None:
    result = score(ASQ, answers([NO, YES, NO, NO]) | {"5": NO})
    assert (result.total, result.band) == (Decimal("1"), "positive screen")
    assert result.alerts == ("2",)
    assert result.urgent == ()


def test_asq_did_not_answer_counts_as_positive() -> None:
    # the published pathway treats a refusal to answer as a positive screen
    result = score(ASQ, answers([NO, NO, DID_NOT_ANSWER, NO]) | {"5": NO})
    assert (result.total, result.band) == (Decimal("1"), "positive screen")
    assert result.alerts == ("3",)


def test_asq_counts_every_yes_and_refusal() -> None:
    result = score(ASQ, answers([YES, DID_NOT_ANSWER, YES, NO]) | {"5": NO})
    assert (result.total, result.band) == (Decimal("3"), "positive screen")
    assert result.alerts == ("1", "2", "3")


def test_asq_yes_to_question_five_is_urgent() -> None:
    result = score(ASQ, answers([YES, NO, NO, NO]) | {"5": YES})
    assert "5" in result.alerts
    assert result.urgent == ("5",)
    assert result.total == Decimal("1")  # question 5 is not scored


def test_asq_allows_no_missing_question() -> None:
    result = score(ASQ, answers([NO, NO, NO, None]))
    assert result.total is None
    assert result.band is None
    assert result.notes == (
        "total not computed: 1 of 4 items unanswered; at most 0 may be missing",
    )


def test_asq_question_five_is_asked_only_after_a_yes_or_a_refusal() -> None:
    acuity = ASQ.item("5")
    assert not acuity.enabled_by(answers([NO, NO, NO, NO]))
    assert acuity.enabled_by(answers([NO, NO, NO, YES]))
    assert acuity.enabled_by(answers([DID_NOT_ANSWER, NO, NO, NO]))
    # an acute "yes" is never dropped, even after four "no"s; a "no" there is
    assert ASQ.asked(answers([NO, NO, NO, NO]) | {"5": YES}) == answers([NO, NO, NO, NO]) | {
        "5": YES
    }
    assert ASQ.asked(answers([NO, NO, NO, NO]) | {"5": NO}) == answers([NO, NO, NO, NO])
    assert score(ASQ, answers([NO, NO, NO, NO]) | {"5": YES}).urgent == ("5",)
    # once asked, the acuity question must be answered to finish
    assert [i.linkId for i in ASQ.urgent_unanswered(answers([YES, NO, NO, NO]))] == ["5"]
    assert ASQ.urgent_unanswered(answers([NO, NO, NO, NO])) == []


def test_asq_is_asked_in_clinic_with_its_published_questions() -> None:
    assert ASQ.setting == "in_clinic"
    assert ASQ.licence.text_ships is True
    assert ASQ.text_available
    assert ASQ.item("1").text == "In the past few weeks, have you wished you were dead?"
    assert ASQ.item("5").text == "Are you having thoughts of killing yourself right now?"


# Global impression of change ------------------------------------------------------------------


@pytest.mark.parametrize("instrument", [PGIC_CHILD, PGIC_PARENT], ids=lambda i: i.id)
@pytest.mark.parametrize(
    ("value", "band"),
    [(1, "improved"), (3, "improved"), (4, "about the same"), (5, "worse"), (7, "worse")],
)
def test_pgic_bands_follow_the_answer_words(instrument, value: int, band: str) -> None:
    result = score(instrument, {"change": value})
    assert (result.total, result.band) == (Decimal(value), band)


@pytest.mark.parametrize("instrument", [PGIC_CHILD, PGIC_PARENT], ids=lambda i: i.id)
def test_pgic_is_ours_and_never_asked_at_baseline(instrument) -> None:
    assert instrument.at_baseline is False
    assert instrument.licence.holder == "BackTo project"
    assert instrument.licence.text_ships is True
    assert [o.label for o in instrument.item("change").answerOption] == [
        "Very much better",
        "Much better",
        "A little better",
        "About the same",
        "A little worse",
        "Much worse",
        "Very much worse",
    ]
    assert score(instrument, {"change": None}).total is None


def test_pgic_child_and_parent_forms_are_separate() -> None:
    assert (PGIC_CHILD.respondent, PGIC_PARENT.respondent) == ("child", "parent")
    assert PGIC_CHILD.item("change").text != PGIC_PARENT.item("change").text


# All of them ----------------------------------------------------------------------------------


@pytest.mark.parametrize("instrument", [GAD_7, ASQ, PGIC_CHILD, PGIC_PARENT], ids=lambda i: i.id)
def test_instruments_that_ship_text_have_it_for_every_item(instrument) -> None:
    assert instrument.licence.text_ships is True
    assert instrument.text_available
    assert instrument.instructions


@pytest.mark.parametrize(
    "instrument", [PHQ_A, GAD_7, ASQ, PGIC_CHILD, PGIC_PARENT], ids=lambda i: i.id
)
def test_every_new_instrument_records_its_licence_and_bands_source(instrument) -> None:
    assert instrument.licence.holder and instrument.licence.terms
    assert instrument.scoring is not None
    assert instrument.scoring.bands and instrument.scoring.bands_source
    assert instrument.scoring.reliable_change is None  # no citable SD and r were found
    if instrument.licence.holder != "BackTo project":
        assert instrument.licence.url


def test_the_missing_limit_is_twenty_percent_rounded_down() -> None:
    allowed = {
        instrument.id: instrument.scoring.missing.allowed(len(instrument.scoring.items))
        for instrument in (PHQ_A, GAD_7, ASQ, PGIC_CHILD)
        if instrument.scoring is not None
    }
    assert allowed == {"phq-a": 1, "gad-7": 1, "asq": 0, "pgic-child": 0}

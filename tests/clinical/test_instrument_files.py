"""Instrument files: every shipped file loads, and a malformed one says what is wrong and where."""

import json
from pathlib import Path

import pytest

from backto.clinical.instrument_registry import (
    SHIPPED_INSTRUMENTS_DIR,
    InstrumentFileError,
    InstrumentRegistry,
    UnknownInstrumentError,
    instrument_registry,
    load_instrument,
    load_instruments,
)
from tests.clinical.instrument_data import instrument_data, make_instrument

SHIPPED = sorted(SHIPPED_INSTRUMENTS_DIR.glob("*.json"))
EXPECTED_IDS = {
    "nrs-pain",
    "fdi-child",
    "fdi-parent",
    "pcs-c",
    "pcs-p",
    "fopq-c-sf",
    "ppst",
    "school",
    "daily-diary",
    "daily-diary-parent",
    "phq-a",
    "gad-7",
    "asq",
    "pgic-child",
    "pgic-parent",
    "healthcare-use",
}


def write(tmp_path: Path, data: object, name: str = "broken.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


@pytest.mark.parametrize("path", SHIPPED, ids=[path.stem for path in SHIPPED])
def test_every_shipped_instrument_file_loads(path: Path) -> None:
    instrument = load_instrument(path)
    assert instrument.id == path.stem
    assert instrument.references


def test_it_ships_exactly_the_instruments_of_the_issue() -> None:
    assert set(instrument_registry().ids) == EXPECTED_IDS


@pytest.mark.parametrize(
    "instrument_id", ["fdi-child", "fdi-parent", "pcs-c", "pcs-p", "fopq-c-sf", "ppst"]
)
def test_licensed_instruments_ship_neutral_labels_and_no_item_text(instrument_id: str) -> None:
    instrument = instrument_registry().get(instrument_id)
    assert instrument.licence.text_ships is False
    assert all(item.text is None for item in instrument.items)
    assert [item.linkId for item in instrument.items] == [
        str(n) for n in range(1, len(instrument.items) + 1)
    ]


def test_published_instruments_have_the_item_counts_of_clinical_md() -> None:
    counts = {
        "fdi-child": 15,
        "fdi-parent": 15,
        "pcs-c": 13,
        "pcs-p": 13,
        "fopq-c-sf": 10,
        "ppst": 9,
    }
    registry = instrument_registry()
    assert {key: len(registry.get(key).items) for key in counts} == counts


def test_pcs_and_fopq_subscales_follow_clinical_md() -> None:
    registry = instrument_registry()
    for instrument_id in ("pcs-c", "pcs-p"):
        scoring = registry.get(instrument_id).scoring
        assert scoring is not None
        assert {s.name: s.items for s in scoring.subscales} == {
            "rumination": ("8", "9", "10", "11"),
            "magnification": ("6", "7", "13"),
            "helplessness": ("1", "2", "3", "4", "5", "12"),
        }
    fopq = registry.get("fopq-c-sf").scoring
    assert fopq is not None
    assert {s.name: s.items for s in fopq.subscales} == {
        "fear": ("1", "2", "3", "5", "6"),
        "avoidance": ("4", "7", "8", "9", "10"),
    }


def test_ppst_is_disabled_with_its_reason_and_an_unconfirmed_psychosocial_subscale() -> None:
    ppst = instrument_registry().get("ppst")
    assert ppst.enabled is False
    assert ppst.disabled_reason == (
        "risk thresholds must be checked against the official scoring sheet before enabling"
    )
    assert ppst.scoring is not None
    assert ppst.scoring.bands == ()
    (psychosocial,) = ppst.scoring.subscales
    assert psychosocial.name == "psychosocial"
    assert psychosocial.items is None
    assert psychosocial.note


def test_reliable_change_parameters_live_in_the_instrument_files() -> None:
    registry = instrument_registry()
    fdi = registry.get("fdi-child").scoring
    pcs = registry.get("pcs-c").scoring
    assert fdi is not None and fdi.reliable_change is not None
    assert (fdi.reliable_change.sd, fdi.reliable_change.r) == (11, 0.9)
    assert pcs is not None and pcs.reliable_change is not None
    assert (pcs.reliable_change.sd, pcs.reliable_change.r) == (10, 0.87)


def test_instruments_without_published_bands_have_none() -> None:
    registry = instrument_registry()
    for instrument_id in ("fopq-c-sf", "ppst", "school"):
        scoring = registry.get(instrument_id).scoring
        assert scoring is not None
        assert scoring.bands == ()


def test_the_diary_marks_its_lowest_mood_answer_as_a_safety_alert() -> None:
    mood = instrument_registry().get("daily-diary").item("mood")
    flagged = [option.value for option in mood.answerOption if option.safety_alert]
    assert flagged == [min(option.value for option in mood.answerOption)]


def test_the_diary_asks_pain_last_and_optionally() -> None:
    diary = instrument_registry().get("daily-diary")
    assert diary.items[-1].linkId == "pain"
    assert diary.items[-1].required is False


def test_a_malformed_file_names_the_file_the_field_and_what_is_allowed(tmp_path: Path) -> None:
    path = write(tmp_path, instrument_data(respondent="kid"))
    with pytest.raises(InstrumentFileError) as caught:
        load_instrument(path)
    message = str(caught.value)
    assert "broken.json" in message
    assert "respondent" in message
    assert "'child', 'parent' or 'clinician'" in message


def test_an_error_inside_an_item_names_its_linkid(tmp_path: Path) -> None:
    data = instrument_data()
    data["items"][2]["answerOption"][1]["value"] = "one"
    with pytest.raises(InstrumentFileError) as caught:
        load_instrument(write(tmp_path, data))
    message = str(caught.value)
    assert "field items[2] (linkId '3').answerOption[1].value: must be a number" in message


def test_an_unknown_field_lists_the_allowed_fields(tmp_path: Path) -> None:
    with pytest.raises(InstrumentFileError) as caught:
        load_instrument(write(tmp_path, instrument_data(colour="blue")))
    assert "field colour: Extra inputs are not permitted (allowed at the top level: " in str(
        caught.value
    )


def test_invalid_json_names_the_file_and_the_line(tmp_path: Path) -> None:
    path = tmp_path / "typo.json"
    path.write_text('{\n  "id": "x",\n}', encoding="utf-8")
    with pytest.raises(InstrumentFileError, match=r"typo\.json: not valid JSON at line 3"):
        load_instrument(path)


def test_scoring_may_only_name_linkids_of_the_instrument() -> None:
    data = instrument_data()
    data["scoring"]["items"] = ["1", "2", "3", "4", "9"]
    with pytest.raises(InstrumentFileError, match="'9' is not a linkId of this instrument"):
        make_instrument(scoring=data["scoring"])


def test_a_declared_range_must_match_the_items() -> None:
    scoring = instrument_data()["scoring"]
    scoring["range"] = {"min": 0, "max": 25}
    with pytest.raises(InstrumentFileError, match=r"range is 0\.\.25 but the items give 0\.\.20"):
        make_instrument(scoring=scoring)


def test_overlapping_bands_are_rejected() -> None:
    scoring = instrument_data()["scoring"]
    scoring["bands"] = [
        {"lower": 0, "upper": 12, "label": "low"},
        {"lower": 10, "upper": None, "label": "high"},
    ]
    with pytest.raises(InstrumentFileError, match="ascending order without overlap"):
        make_instrument(scoring=scoring)


def test_a_subscale_may_not_take_the_name_of_an_output_column() -> None:
    scoring = instrument_data()["scoring"]
    scoring["subscales"] = [{"name": "total", "items": ["1"]}]
    with pytest.raises(InstrumentFileError, match=r"subscale names \['total'\] are reserved"):
        make_instrument(scoring=scoring)


def test_licensed_text_may_not_ship_in_an_instrument_file() -> None:
    with pytest.raises(InstrumentFileError, match="text_ships is false"):
        make_instrument(licence={"holder": "Authors", "terms": "Pack only.", "text_ships": False})


def test_a_disabled_instrument_needs_a_reason() -> None:
    with pytest.raises(InstrumentFileError, match="needs a disabled_reason"):
        make_instrument(enabled=False)


def test_duplicate_linkids_are_rejected() -> None:
    data = instrument_data()
    data["items"][1]["linkId"] = "1"
    with pytest.raises(InstrumentFileError, match="linkId '1' appears twice"):
        make_instrument(items=data["items"])


def test_the_registry_finds_versions_and_names_the_known_ones(tmp_path: Path) -> None:
    write(tmp_path, instrument_data(), "a.json")
    write(tmp_path, instrument_data(version="1.10.0"), "b.json")
    write(tmp_path, instrument_data(version="1.2.0"), "c.json")
    registry = load_instruments(tmp_path)
    assert registry.get("test-scale").version == "1.10.0"
    assert registry.get("test-scale", "1.2.0").version == "1.2.0"
    with pytest.raises(UnknownInstrumentError, match=r"versions: 1\.0\.0, 1\.2\.0, 1\.10\.0"):
        registry.get("test-scale", "2.0.0")
    with pytest.raises(UnknownInstrumentError, match="known instruments: test-scale"):
        registry.get("nope")


def test_the_same_version_twice_is_an_error() -> None:
    with pytest.raises(InstrumentFileError, match="defined twice"):
        InstrumentRegistry([make_instrument(), make_instrument()])


@pytest.mark.parametrize("instrument", list(instrument_registry()), ids=lambda i: i.id)
def test_every_source_shown_to_staff_is_a_citation_not_an_internal_file(instrument):
    """Staff tables print these sources next to the numbers: they cite the literature (or say a
    value is BackTo's configurable default), never a file of this repository."""
    scoring = instrument.scoring
    if scoring is None:
        return
    shown = [
        scoring.bands_source,
        *(
            part.source
            for part in (
                scoring.reliable_change,
                scoring.minimal_important_change,
                scoring.normative,
                scoring.recovery,
            )
            if part is not None
        ),
        *instrument.references,
    ]
    for text in filter(None, shown):
        assert ".md" not in text and "Project default" not in text, text
    if scoring.reliable_change is not None:
        assert "Jacobson & Truax, J Consult Clin Psychol 1991" in scoring.reliable_change.source

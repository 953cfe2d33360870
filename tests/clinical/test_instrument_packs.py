"""Instrument packs: licensed item text merged in only when every linkId matches exactly."""

import json
import re
from pathlib import Path
from typing import Any

import pytest

from backto.clinical.instrument_packs import (
    InstrumentPackError,
    apply_pack,
    apply_pack_from_registry,
    load_pack,
    pack_from_data,
    pack_from_json,
)
from backto.clinical.instrument_registry import instrument_registry
from backto.clinical.scoring import score

FDI = instrument_registry().get("fdi-child")


def fdi_pack(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "instrument": "fdi-child",
        "version": "1.0.0",
        "licensed_to": "Lakeside Pain Program",
        "items": {str(n): f"Licensed wording of item {n}" for n in range(1, 16)},
        "option_labels": {str(v): f"Answer {v}" for v in range(5)},
    }
    data.update(changes)
    return data


def test_a_matching_pack_adds_the_text_and_keeps_the_scoring() -> None:
    merged = apply_pack(FDI, pack_from_data(fdi_pack(), source="fdi.json"), source="fdi.json")
    assert merged.text_available
    assert merged.item("7").text == "Licensed wording of item 7"
    assert merged.item("7").answerOption[4].label == "Answer 4"
    assert merged.pack is not None and merged.pack.licensed_to == "Lakeside Pain Program"
    answers = {str(n): 2 for n in range(1, 16)}
    assert score(merged, answers).total == score(FDI, answers).total
    assert FDI.item("7").text is None  # the shipped instrument is untouched


def test_a_missing_or_extra_linkid_is_named_and_nothing_is_applied() -> None:
    items = fdi_pack()["items"]
    del items["3"]
    items["16"] = "An item the FDI does not have"
    with pytest.raises(InstrumentPackError) as caught:
        apply_pack(FDI, pack_from_data(fdi_pack(items=items), source="fdi.json"), source="fdi.json")
    assert str(caught.value) == (
        "fdi.json (fdi-child 1.0.0): items: linkIds must match exactly (1, 2, 3, 4, 5, 6, 7, 8, 9, "
        "10, 11, 12, 13, 14, 15); missing 3; not in the instrument: 16"
    )


def test_option_labels_must_match_the_answer_values() -> None:
    with pytest.raises(
        InstrumentPackError, match="option_labels: answer values must match exactly"
    ):
        apply_pack(FDI, pack_from_data(fdi_pack(option_labels={"1": "x"}), source="p"), source="p")


def test_a_pack_for_an_unknown_version_lists_the_versions() -> None:
    pack = pack_from_data(fdi_pack(version="2.0.0"), source="p.json")
    with pytest.raises(
        InstrumentPackError, match=r"p\.json: instrument 'fdi-child' has no version '2\.0\.0'"
    ):
        apply_pack_from_registry(pack, source="p.json")


def test_a_pack_can_confirm_the_ppst_psychosocial_items_but_nothing_else() -> None:
    ppst = instrument_registry().get("ppst")
    base = {
        "instrument": "ppst",
        "version": "1.0.0",
        "items": {str(n): f"Statement {n}" for n in range(1, 10)},
    }
    merged = apply_pack(
        ppst,
        pack_from_data(base | {"subscales": {"psychosocial": ["5", "6"]}}, source="p"),
        source="p",
    )
    assert merged.scoring is not None
    assert merged.scoring.subscales[0].items == ("5", "6")
    with pytest.raises(
        InstrumentPackError, match="'total' is not a subscale awaiting its item list"
    ):
        apply_pack(
            ppst, pack_from_data(base | {"subscales": {"total": ["1"]}}, source="p"), source="p"
        )


def test_a_malformed_pack_file_names_the_file_and_field(tmp_path: Path) -> None:
    path = tmp_path / "clinic-fdi.json"
    path.write_text(json.dumps(fdi_pack(items={"1": ""}, colour="red")), encoding="utf-8")
    with pytest.raises(InstrumentPackError) as caught:
        load_pack(path)
    message = str(caught.value)
    assert "clinic-fdi.json: field items.1: String should have at least 1 character" in message
    assert (
        "clinic-fdi.json: field colour: Extra inputs are not permitted (allowed fields:" in message
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            "[" * 100_000 + "]" * 100_000,
            "lists and objects nest 100000 deep; a pack nests at most 8",
        ),
        ('{"items": ' * 10 + '"x"' + "}" * 10, "nest 10 deep"),
        (
            '{"instrument": "fdi-child", "version": "1.0.0", "pack_format": ' + "9" * 5000 + "}",
            "a number has 5000 digits; numbers in a pack have at most 15",
        ),
        ('{"pack_format": ' + "9" * 16 + "}", "a number has 16 digits"),
        ('{"pack_format": 1' + "0" * 400 + ".5}", "a pack's numbers are short"),
        ('{"pack_format": NaN}', "NaN is not a number JSON allows"),
        ('{"items": "' + "x" * 600_000 + '"}', "the file is too large: a pack is at most 512 KB"),
        (b"\xff\xfe{}", "p.json is not a JSON file: it is not UTF-8 text"),
    ],
)
def test_a_pack_past_the_limits_is_refused_with_a_message_not_a_crash(
    tmp_path: Path, content: str | bytes, message: str
) -> None:
    """A deeply nested file exhausted Python's recursion limit and a 5,000-digit number its
    integer limit: both were server errors on the Questionnaires page."""
    path = tmp_path / "p.json"
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)
    with pytest.raises(InstrumentPackError, match=re.escape(message)):
        load_pack(path)


def test_brackets_inside_the_wording_do_not_count_as_nesting() -> None:
    wording = {str(n): '[[[[[[[[[[ {{{{ " \\ ]]]' for n in range(1, 16)}
    pack = pack_from_json(json.dumps(fdi_pack(items=wording)), source="p.json")
    assert pack.items["1"].startswith("[[[[")


def test_a_pack_with_too_many_entries_or_words_names_the_field() -> None:
    many = {str(n): "x" for n in range(501)}
    with pytest.raises(InstrumentPackError) as caught:
        pack_from_json(json.dumps(fdi_pack(items=many)), source="p.json")
    assert "p.json: field items: Dictionary should have at most 500 items" in str(caught.value)
    with pytest.raises(
        InstrumentPackError, match=r"field items\.1: String should have at most 5000"
    ):
        pack_from_json(json.dumps(fdi_pack(items={"1": "x" * 5001})), source="p.json")
    problems = {f"bad key {n}": "" for n in range(100)}
    with pytest.raises(InstrumentPackError) as caught:
        pack_from_json(json.dumps(fdi_pack(items=problems)), source="p.json")
    assert str(caught.value).count("\n") == 20 and "more problems" in str(caught.value)

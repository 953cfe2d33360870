"""Batch scoring (`backto score`): one output line per input line, errors named, streaming."""

import csv
import io
import json
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backto.clinical.batch import OUTPUT_FIELDS, BatchError, score_csv, score_jsonl
from backto.clinical.instrument_registry import instrument_registry
from backto.clinical.scoring import score

REGISTRY = instrument_registry()


def run(lines: list[str]) -> tuple[list[dict[str, Any]], int, list[str]]:
    out: list[str] = []
    summary = score_jsonl(lines, out.append)
    text = "".join(out)
    raw = text.splitlines()
    return [json.loads(line) for line in raw], summary.failed, raw


def line(ident: object, instrument: str, answers: object, **extra: object) -> str:
    return json.dumps({"id": ident, "instrument": instrument, "answers": answers, **extra}) + "\n"


FULL_FDI = {str(n): 2 for n in range(1, 16)}


def test_it_scores_a_json_line_into_the_promised_shape() -> None:
    [result], failed, _ = run([line("a1", "fdi-child", FULL_FDI)])
    assert failed == 0
    assert result == {
        "id": "a1",
        "instrument": "fdi-child",
        "version": "1.0.0",
        "total": 30.0,
        "prorated": False,
        "missing": 0,
        "band": "severe",
        "subscales": {},
        "error": None,
    }
    assert tuple(result) == OUTPUT_FIELDS


def test_output_lines_are_exactly_what_json_dumps_writes() -> None:
    lines = [
        line("é-1", "pcs-c", {str(n): n % 5 for n in range(1, 12)}),
        line(7, "school", {"mon": 2, "tue": 1, "wed": 0, "thu": 9, "missed_4wk": 1}),
        line("d", "daily-diary", {"mood": 2}),
        line("n", "nrs-pain", {"current": 4, "usual_week": None}),
    ]
    results, failed, raw = run(lines)
    assert failed == 0
    for text, parsed in zip(raw, results, strict=True):
        assert text == json.dumps(parsed)


def test_batch_scores_agree_with_score() -> None:
    answers = {str(n): n % 5 for n in range(1, 12)}
    [result], _, _ = run([line("x", "pcs-c", answers)])
    expected = score(REGISTRY.get("pcs-c"), answers)
    assert expected.total is not None
    assert result["total"] == float(expected.total)
    assert result["band"] == expected.band
    assert result["subscales"] == {
        name: None if value is None else float(value) for name, value in expected.subscales.items()
    }


def test_bad_lines_get_an_error_and_the_others_are_still_scored() -> None:
    lines = [
        line("ok1", "fdi-child", FULL_FDI),
        line("u", "fdi-kid", {}),
        line("l", "fdi-child", {"16": 1}),
        line("v", "fdi-child", {"1": 7}),
        "{not json\n",
        json.dumps({"instrument": "fdi-child", "answers": {}}) + "\n",
        line("a", "fdi-child", [1, 2]),
        line("x", "fdi-child", {}, colour="red"),
        line("ok2", "nrs-pain", {"current": 0}),
    ]
    results, failed, _ = run(lines)
    assert failed == 7
    assert [r["id"] for r in results] == ["ok1", "u", "l", "v", None, None, "a", "x", "ok2"]
    errors = [r["error"] for r in results]
    assert errors[0] is None and errors[-1] is None
    assert (
        "unknown instrument 'fdi-kid'; known instruments: asq, daily-diary, daily-diary-parent, fdi-child"
        in errors[1]
    )
    assert "fdi-child has no item '16'; its linkIds are 1, 2, 3" in errors[2]
    assert errors[3] == "item '1' of fdi-child: 7 is not one of its answers; allowed: 0, 1, 2, 3, 4"
    assert errors[4].startswith("line 5: not valid JSON")
    assert errors[5] == "line 6: missing id"
    assert errors[6] == "answers must be an object mapping each linkId to its value"
    assert errors[7] == "unknown field(s) colour; a line has id, instrument, version, answers"
    assert all(r["total"] is None for r in results[1:-1])


def test_a_deeply_nested_line_is_an_error_not_a_crash() -> None:
    [result], failed, _ = run(["[" * 100_000 + "\n"])
    assert failed == 1
    assert result["error"].startswith("line 1: not valid JSON")


def test_a_line_may_name_the_instrument_version() -> None:
    [ok, bad], failed, _ = run(
        [
            line("a", "nrs-pain", {"current": 1}, version="1.0.0"),
            line("b", "nrs-pain", {"current": 1}, version="0.9.0"),
        ]
    )
    assert ok["error"] is None
    assert bad["error"] == "instrument 'nrs-pain' has no version '0.9.0'; versions: 1.0.0"
    assert failed == 1


def test_too_many_missing_is_a_null_total_not_a_failure() -> None:
    [result], failed, _ = run([line("m", "fdi-child", {"1": 1})])
    assert failed == 0
    assert (result["total"], result["missing"], result["error"]) == (None, 14, None)


def test_empty_input_is_fine() -> None:
    assert run([]) == ([], 0, [])
    assert run(["\n", "   \n"]) == ([], 0, [])


def test_it_reads_bytes_as_well_as_text() -> None:
    out: list[str] = []
    summary = score_jsonl([line("b", "nrs-pain", {"current": 2}).encode()], out.append)
    assert summary.lines == 1
    assert json.loads(out[0])["total"] == 2.0


def test_it_streams_input_and_output_in_chunks() -> None:
    consumed = 0

    def source() -> Iterator[str]:
        nonlocal consumed
        for number in range(5000):
            consumed += 1
            yield line(number, "nrs-pain", {"current": number % 11})

    written_at: list[int] = []
    score_jsonl(source(), lambda chunk: written_at.append(consumed))
    assert len(written_at) >= 2
    assert written_at[0] < 5000  # the first chunk was written before the input ran out


CSV_IN = (
    "id,instrument,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,current\n"
    "c1,fdi-child,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,\n"
    "c2,fdi-child,1,1,1,1,1,1,1,1,1,1,1,1,,,,\n"
    "c3,nrs-pain,,,,,,,,,,,,,,,,7\n"
    "c4,nrs-pain,3,,,,,,,,,,,,,,,7\n"
    "c5,fdi-child,9,1,1,1,1,1,1,1,1,1,1,1,1,1,1,\n"
)


def run_csv(text: str) -> tuple[list[dict[str, str]], int]:
    out: list[str] = []
    summary = score_csv(io.StringIO(text), out.append)
    return list(csv.DictReader(io.StringIO("".join(out)))), summary.failed


def test_csv_mode_scores_rows_and_leaves_empty_cells_unanswered() -> None:
    rows, failed = run_csv(CSV_IN)
    assert failed == 2
    c1, c2, c3, c4, c5 = rows
    assert (c1["total"], c1["band"], c1["prorated"], c1["error"]) == (
        "15.0",
        "moderate",
        "false",
        "",
    )
    assert (c2["total"], c2["prorated"], c2["missing"]) == ("15.0", "true", "3")
    assert (c3["total"], c3["band"]) == ("7.0", "severe")
    assert c4["error"].startswith("nrs-pain has no item '1'")
    assert (
        c5["error"] == "item '1' of fdi-child: 9 is not one of its answers; allowed: 0, 1, 2, 3, 4"
    )
    assert list(rows[0])[:7] == list(OUTPUT_FIELDS[:7])
    assert "rumination" in rows[0] and list(rows[0])[-1] == "error"


def test_csv_reads_text_answers_and_several_answers_to_one_item() -> None:
    rows, failed = run_csv(
        'id,instrument,win,coping,mood\nd1,daily-diary,"rode my bike, twice",1;3,4\n'
        "d2,daily-diary,,1;9,\n"
    )
    assert failed == 1
    assert rows[0]["error"] == ""
    assert rows[1]["error"].startswith("item 'coping' of daily-diary: must be a list of answers")


def test_csv_needs_id_and_instrument_first() -> None:
    with pytest.raises(BatchError, match="must start with id,instrument"):
        run_csv("instrument,id,1\n")


def test_empty_csv_is_fine() -> None:
    assert run_csv("") == ([], 0)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.one_of(st.text(max_size=30), st.binary(max_size=30)), max_size=8))
def test_no_input_line_can_break_the_batch(garbage: list[str | bytes]) -> None:
    out: list[str] = []
    summary = score_jsonl([*garbage, line("last", "nrs-pain", {"current": 5})], out.append)
    results = [json.loads(text) for text in "".join(out).splitlines()]
    assert results[-1]["total"] == 5.0
    assert len(results) == summary.lines
    assert summary.failed == sum(1 for r in results if r["error"] is not None)

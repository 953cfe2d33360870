"""Streaming batch scoring: the engine behind `backto score`.

JSON lines in, one JSON line out per input line (blank lines are skipped):

    in:  {"id": "a1", "instrument": "fdi-child", "answers": {"1": 2, "2": 0, ...}}
    out: {"id": "a1", "instrument": "fdi-child", "version": "1.0.0", "total": 25.0,
          "prorated": false, "missing": 0, "band": "moderate", "subscales": {}, "error": null}

An input line may also name a "version"; without one the newest version of the instrument is used.
A line naming a functional "test" instead of an instrument is scored by `functional_tests` and
written in its own shape (`FUNCTIONAL_OUTPUT_FIELDS`, docs/functional-tests.md):

    in:  {"id": "w1", "test": "6mwt", "distance_m": 480, "age_years": 12.5, "sex": "female",
          "height_cm": 152}
    out: {"id": "w1", "test": "6mwt", "engine_version": "1.0.0", "values": {"distance_m": 480.0},
          "predicted": null, "percent_predicted": null, ..., "error": null}

A line that cannot be scored (malformed JSON, no id, unknown instrument, unknown linkId, a value
outside the item's answers) gets `error`, a message naming the problem and what is allowed, and
null scores; every other line is still scored. CSV works the same way (`score_csv`).

Memory stays flat: lines are read, scored and written one at a time (output is written in chunks).
Speed comes from the per-instrument lookup tables of `scoring.CompiledInstrument` (no pydantic on
the hot path) and from assembling output lines from precomputed fragments; the fragments produce
exactly what `json.dumps` would.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from json.encoder import encode_basestring_ascii
from typing import Any, Final

from backto.clinical.functional_tests import FunctionalTestResult, score_functional_test
from backto.clinical.instrument_registry import InstrumentRegistry, instrument_registry
from backto.clinical.scoring import CompiledInstrument, Value, compile_instrument

OUTPUT_FIELDS: Final = (
    "id",
    "instrument",
    "version",
    "total",
    "prorated",
    "missing",
    "band",
    "subscales",
    "error",
)
LINE_FIELDS: Final = frozenset({"id", "instrument", "version", "answers"})
FUNCTIONAL_OUTPUT_FIELDS: Final = ("id", *FunctionalTestResult("", {}).as_dict())
CHUNK_LINES: Final = 2048
Write = Callable[[str], object]


class BatchError(ValueError):
    """The input as a whole cannot be read (for example a CSV header without id and instrument)."""


@dataclass(frozen=True)
class BatchSummary:
    lines: int
    failed: int


def _number(value: Value | None) -> str:
    if value is None:
        return "null"
    return f"{value}.0" if value.__class__ is int else str(value)


class _Scorer:
    """One instrument version's compiled tables plus the fixed fragments of its output line."""

    def __init__(self, compiled: CompiledInstrument) -> None:
        self.compiled = compiled
        self.head = (
            f', "instrument": {encode_basestring_ascii(compiled.id)}, '
            f'"version": {encode_basestring_ascii(compiled.version)}, "total": '
        )
        self.bands = {label: encode_basestring_ascii(label) for _, _, label in compiled.bands}
        index_of = {group.name: index for index, group in enumerate(compiled.groups)}
        self.subscales = [
            (encode_basestring_ascii(name) + ": ", index_of.get(name))
            for name in compiled.subscale_names
        ]


class _Batch:
    def __init__(self, registry: InstrumentRegistry | None) -> None:
        self.registry = registry or instrument_registry()
        self.scorers: dict[tuple[str, str | None], _Scorer | str] = {}

    def scorer(self, instrument: object, version: object) -> _Scorer | str:
        """The scorer for an instrument (and version), or an error message."""
        try:
            return self.scorers[instrument, version]  # type: ignore[index]
        except (KeyError, TypeError):
            pass
        if not isinstance(instrument, str):
            found: _Scorer | str = (
                f"instrument must be the id of an instrument, one of {', '.join(self.registry.ids)}"
            )
        elif version is not None and not isinstance(version, str):
            found = 'version must be a string such as "1.0.0"'
        else:
            match = self.registry.find(instrument, version)
            if match is None:
                try:
                    self.registry.get(instrument, version)
                except LookupError as error:
                    found = str(error)
            else:
                found = _Scorer(compile_instrument(match))
        if isinstance(instrument, str) and (version is None or isinstance(version, str)):
            self.scorers[instrument, version] = found
        return found


def _error_line(ident: object, instrument: object, version: object, message: str) -> str:
    record: dict[str, object] = {
        "id": ident if isinstance(ident, str | int) and not isinstance(ident, bool) else None,
        "instrument": instrument if isinstance(instrument, str) else None,
        "version": version if isinstance(version, str) else None,
        "total": None,
        "prorated": None,
        "missing": None,
        "band": None,
        "subscales": {},
        "error": message,
    }
    return json.dumps(record) + "\n"


def _functional_line(record: dict[str, Any], number: int) -> tuple[str, bool]:
    """The output line for a functional test line, and whether it was scored."""
    ident = record.get("id")
    valid_id = ident.__class__ in (str, int)  # not a bool, not a float
    data = {name: value for name, value in record.items() if name not in ("id", "test")}
    problem = None
    if not valid_id:
        problem = (
            f"line {number}: missing id"
            if ident is None
            else "id must be a string or a whole number"
        )
    elif "instrument" in data:
        problem = "a line names an instrument (with answers) or a functional test, not both"
    if problem is None:
        result = score_functional_test(record["test"], data)
    else:
        result = FunctionalTestResult("", {}, errors=(problem,))
    test = record["test"] if isinstance(record["test"], str) else None
    output = {"id": ident if valid_id else None, **result.as_dict(), "test": test}
    return json.dumps(output) + "\n", result.ok


def score_jsonl(
    lines: Iterable[bytes | str], write: Write, *, registry: InstrumentRegistry | None = None
) -> BatchSummary:
    """Score JSON lines from `lines`, writing one JSON line per input line through `write`."""
    batch = _Batch(registry)
    scorers = batch.scorers
    loads = json.loads
    encode = encode_basestring_ascii
    buffer: list[str] = []
    count = failed = 0
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        count += 1
        try:
            record = loads(raw)
        except (ValueError, RecursionError) as error:
            failed += 1
            buffer.append(_error_line(None, None, None, f"line {number}: not valid JSON ({error})"))
            continue
        if record.__class__ is not dict:
            failed += 1
            buffer.append(
                _error_line(
                    None,
                    None,
                    None,
                    f"line {number}: expected a JSON object with id, instrument and answers",
                )
            )
            continue
        if "test" in record:  # a functional test (docs/functional-tests.md), not an instrument
            text, scored = _functional_line(record, number)
            buffer.append(text)
            failed += not scored
            if len(buffer) >= CHUNK_LINES:
                write("".join(buffer))
                buffer.clear()
            continue
        ident = record.get("id")
        instrument = record.get("instrument")
        version = record.get("version")
        answers = record.get("answers")
        key = (instrument, version)
        hashable = instrument.__class__ is str and (version is None or version.__class__ is str)
        scorer = scorers.get(key) if hashable else None
        if scorer is None:
            scorer = batch.scorer(instrument, version)
        kind = ident.__class__
        message = None
        if kind is str:
            ident_json = encode(ident)
        elif kind is int:
            ident_json = str(ident)
        else:
            message = (
                f"line {number}: missing id"
                if ident is None
                else "id must be a string or a whole number"
            )
        if message is None:
            if scorer.__class__ is str:
                message = scorer  # type: ignore[assignment]
            elif answers.__class__ is not dict:
                message = "answers must be an object mapping each linkId to its value"
            elif len(record) > 3 and not LINE_FIELDS.issuperset(record):
                extra = ", ".join(sorted(set(record) - LINE_FIELDS))
                message = f"unknown field(s) {extra}; a line has id, instrument, version, answers"
        if message is not None:
            failed += 1
            buffer.append(_error_line(ident, instrument, version, message))
            continue
        compiled = scorer.compiled  # type: ignore[union-attr]
        evaluation = compiled.evaluate(answers)
        if evaluation.errors is not None:
            failed += 1
            buffer.append(
                _error_line(ident, instrument, compiled.version, "; ".join(evaluation.errors))
            )
            continue
        values = evaluation.values
        if values:
            total = values[0]
            band = compiled.band(total)
            parts = [
                prefix + ("null" if index is None else _number(values[index]))
                for prefix, index in scorer.subscales  # type: ignore[union-attr]
            ]
            buffer.append(
                f'{{"id": {ident_json}{scorer.head}{_number(total)}, "prorated": '  # type: ignore[union-attr]
                f"{'true' if total is not None and evaluation.missing else 'false'}, "
                f'"missing": {evaluation.missing}, "band": '
                f"{'null' if band is None else scorer.bands[band]}, "  # type: ignore[union-attr]
                f'"subscales": {{{", ".join(parts)}}}, "error": null}}\n'
            )
        else:
            buffer.append(
                f'{{"id": {ident_json}{scorer.head}null, "prorated": false, "missing": '  # type: ignore[union-attr]
                f'{evaluation.missing}, "band": null, "subscales": {{}}, "error": null}}\n'
            )
        if len(buffer) >= CHUNK_LINES:
            write("".join(buffer))
            buffer.clear()
    if buffer:
        write("".join(buffer))
    return BatchSummary(lines=count, failed=failed)


def _parse_cell(cell: str) -> Any:
    text = cell.strip()
    if not text:
        return None
    try:
        return int(text)
    except ValueError:
        pass
    try:
        return float(text)
    except ValueError:
        return text


def _parse_list(cell: str) -> Any:
    text = cell.strip()
    if not text:
        return None
    return [_parse_cell(part) for part in text.split(";")]


def subscale_columns(registry: InstrumentRegistry) -> list[str]:
    """Every subscale name of every instrument version, in a stable order (CSV columns)."""
    names: list[str] = []
    for instrument in registry.all_versions():
        for subscale in instrument.scoring.subscales if instrument.scoring else ():
            if subscale.name not in names:
                names.append(subscale.name)
    return names


def score_csv(
    lines: Iterable[str], write: Write, *, registry: InstrumentRegistry | None = None
) -> BatchSummary:
    """Score CSV rows (header `id,instrument[,version],<linkIds...>`), writing CSV rows."""
    batch = _Batch(registry)
    reader: Iterator[list[str]] = csv.reader(lines)
    header = next(reader, None)
    if header is None:
        return BatchSummary(lines=0, failed=0)
    header = [name.strip() for name in header]
    if header[:2] != ["id", "instrument"]:
        raise BatchError("the CSV header must start with id,instrument, then the item linkIds")
    if len(set(header)) != len(header):
        raise BatchError("the CSV header names a column twice")
    version_column = header.index("version") if "version" in header else None
    item_columns = [(i, name) for i, name in enumerate(header[2:], start=2) if i != version_column]
    subscales = subscale_columns(batch.registry)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([*OUTPUT_FIELDS[:7], *subscales, "error"])
    layouts: dict[
        int, tuple[list[tuple[int, str, Callable[[str], Any]]], list[tuple[int, str]]]
    ] = {}
    count = failed = 0
    for number, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue
        count += 1
        ident = row[0].strip() if row else ""
        instrument = row[1].strip() if len(row) > 1 else ""
        version = (
            row[version_column].strip() or None
            if version_column is not None and len(row) > version_column
            else None
        )
        scorer = batch.scorer(instrument, version)
        error = None
        if len(row) != len(header):
            error = f"row {number} has {len(row)} cells but the header has {len(header)}"
        elif not ident:
            error = f"row {number}: missing id"
        elif isinstance(scorer, str):
            error = scorer
        if error is not None or isinstance(scorer, str):
            failed += 1
            writer.writerow(
                [ident, instrument, version or "", "", "", "", "", *[""] * len(subscales), error]
            )
            continue
        compiled = scorer.compiled
        layout = layouts.get(id(compiled))
        if layout is None:
            layout = _csv_layout(compiled, item_columns)
            layouts[id(compiled)] = layout
        columns, foreign = layout
        stray = [name for index, name in foreign if row[index].strip()]
        answers = {link_id: parse(row[index]) for index, link_id, parse in columns}
        evaluation = compiled.evaluate(answers)
        errors = [compiled.unknown_item(name) for name in stray] + (evaluation.errors or [])
        if errors:
            failed += 1
            writer.writerow(
                [
                    ident,
                    instrument,
                    compiled.version,
                    "",
                    "",
                    "",
                    "",
                    *[""] * len(subscales),
                    "; ".join(errors),
                ]
            )
        else:
            values = dict(
                zip((group.name for group in compiled.groups), evaluation.values, strict=True)
            )
            total = values.get("total")
            writer.writerow(
                [
                    ident,
                    instrument,
                    compiled.version,
                    _csv_number(total),
                    "true" if total is not None and evaluation.missing else "false",
                    evaluation.missing,
                    compiled.band(total) or "",
                    *[
                        _csv_number(values.get(name)) if name in compiled.subscale_names else ""
                        for name in subscales
                    ],
                    "",
                ]
            )
        if count % CHUNK_LINES == 0:
            write(out.getvalue())
            out.seek(0)
            out.truncate()
    write(out.getvalue())
    return BatchSummary(lines=count, failed=failed)


def _csv_number(value: Value | None) -> str:
    if value is None:
        return ""
    return f"{value}.0" if value.__class__ is int else str(value)


def _csv_layout(
    compiled: CompiledInstrument, item_columns: list[tuple[int, str]]
) -> tuple[list[tuple[int, str, Callable[[str], Any]]], list[tuple[int, str]]]:
    items = {item.linkId: item for item in compiled.instrument.items}
    columns: list[tuple[int, str, Callable[[str], Any]]] = []
    foreign: list[tuple[int, str]] = []
    for index, name in item_columns:
        item = items.get(name)
        if item is None:
            foreign.append((index, name))
        elif item.type == "text":
            columns.append((index, name, lambda cell: cell if cell.strip() else None))
        elif item.repeats:
            columns.append((index, name, _parse_list))
        else:
            columns.append((index, name, _parse_cell))
    return columns, foreign

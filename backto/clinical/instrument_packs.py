"""Instrument packs: a clinic's licensed item text for an instrument id and version.

BackTo never ships author-copyrighted item text (DESIGN.md, "Licences"). A clinic that holds the
licence writes a pack file and installs it for itself with
`backto instruments install PACK_FILE --clinic SLUG` (or on the admin's Questionnaires page):

    {
      "instrument": "fdi-child",
      "version": "1.0.0",
      "licensed_to": "Example Children's Hospital pain clinic",
      "items": {"1": "...", "2": "...", ..., "15": "..."},
      "option_labels": {"0": "...", "1": "...", "2": "...", "3": "...", "4": "..."},
      "subscales": {}
    }

`items` must name every linkId of that instrument version exactly: none missing, none extra.
`option_labels` (optional) relabels the answers of every choice item, keyed by answer value; the
values must match exactly too. `subscales` (optional) supplies the item list of a subscale the
instrument file leaves open for confirmation (the PPST psychosocial subscale) and nothing else.
Applying a pack returns a new, fully re-validated instrument; scoring is unchanged by it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from backto.clinical.instrument_registry import (
    InstrumentFileError,
    InstrumentRegistry,
    UnknownInstrumentError,
    instrument_from_data,
    instrument_registry,
)
from backto.clinical.instruments import Instrument, LinkId, Text


class InstrumentPackError(ValueError):
    """A pack that cannot be applied: the message names the file and the problem."""


class InstrumentPack(BaseModel):
    """The content of a pack file."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    pack_format: Literal[1] = 1
    instrument: Annotated[str, Field(min_length=1)]
    version: Annotated[str, Field(min_length=1)]
    licensed_to: Text | None = None
    note: Text | None = None
    items: dict[LinkId, Text]
    option_labels: dict[str, Text] | None = None
    subscales: dict[str, tuple[LinkId, ...]] = {}


def _format_pack_error(error: ValidationError, source: str) -> str:
    lines = []
    for problem in error.errors():
        where = ".".join(str(step) for step in problem["loc"]) or "(top level)"
        message = problem["msg"].removeprefix("Value error, ")
        if problem["type"] == "extra_forbidden":
            message += f" (allowed fields: {', '.join(InstrumentPack.model_fields)})"
        lines.append(f"{source}: field {where}: {message}")
    return "\n".join(lines)


def pack_from_data(data: object, *, source: str) -> InstrumentPack:
    try:
        return InstrumentPack.model_validate(data)
    except ValidationError as error:
        raise InstrumentPackError(_format_pack_error(error, source)) from None


def load_pack(path: str | Path) -> InstrumentPack:
    """Read a pack file and check its shape (not yet against the instrument)."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise InstrumentPackError(
            f"{path.name}: not valid JSON at line {error.lineno}, column {error.colno}: {error.msg}"
        ) from None
    except (OSError, UnicodeDecodeError) as error:
        raise InstrumentPackError(f"{path}: cannot be read: {error}") from None
    return pack_from_data(data, source=path.name)


def _mismatch(what: str, expected: list[str], given: list[str]) -> str | None:
    missing = [key for key in expected if key not in given]
    extra = [key for key in given if key not in expected]
    if not missing and not extra:
        return None
    parts = []
    if missing:
        parts.append(f"missing {', '.join(missing)}")
    if extra:
        parts.append(f"not in the instrument: {', '.join(extra)}")
    return f"{what} must match exactly ({', '.join(expected)}); {'; '.join(parts)}"


def apply_pack(instrument: Instrument, pack: InstrumentPack, *, source: str) -> Instrument:
    """The instrument with the pack's text merged in, or InstrumentPackError naming `source`."""
    where = f"{source} ({pack.instrument} {pack.version})"
    if (pack.instrument, pack.version) != instrument.key:
        raise InstrumentPackError(
            f"{where}: this pack is not for {instrument.id} {instrument.version}"
        )
    problems = []
    problem = _mismatch("items: linkIds", list(instrument.link_ids), list(pack.items))
    if problem:
        problems.append(problem)
    choice_items = [item for item in instrument.items if item.type == "choice"]
    if pack.option_labels is not None:
        value_sets = {tuple(str(o.value) for o in item.answerOption) for item in choice_items}
        if len(value_sets) != 1:
            problems.append(
                "option_labels: the items of this instrument do not share one set of answers, "
                "so option_labels cannot be applied"
            )
        else:
            problem = _mismatch(
                "option_labels: answer values", list(value_sets.pop()), list(pack.option_labels)
            )
            if problem:
                problems.append(problem)
    pending = [
        subscale.name
        for subscale in (instrument.scoring.subscales if instrument.scoring else ())
        if subscale.items is None
    ]
    for name in pack.subscales:
        if name not in pending:
            allowed = ", ".join(pending) if pending else "none for this instrument"
            problems.append(
                f"subscales: {name!r} is not a subscale awaiting its item list (allowed: {allowed})"
            )
    if problems:
        raise InstrumentPackError("\n".join(f"{where}: {problem}" for problem in problems))

    data = instrument.model_dump(mode="python")
    for item in data["items"]:
        item["text"] = pack.items[item["linkId"]]
        if pack.option_labels is not None and item["type"] == "choice":
            for option in item["answerOption"]:
                option["label"] = pack.option_labels[str(option["value"])]
    if data["scoring"] is not None:
        for subscale in data["scoring"]["subscales"]:
            if subscale["name"] in pack.subscales:
                subscale["items"] = pack.subscales[subscale["name"]]
    data["pack"] = {"source": source, "licensed_to": pack.licensed_to}
    try:
        return instrument_from_data(data, source=source)
    except InstrumentFileError as error:
        raise InstrumentPackError(str(error)) from None


def apply_pack_from_registry(
    pack: InstrumentPack, *, source: str, registry: InstrumentRegistry | None = None
) -> Instrument:
    """Find the pack's instrument and version in the registry, then apply the pack."""
    registry = registry or instrument_registry()
    try:
        instrument = registry.get(pack.instrument, pack.version)
    except UnknownInstrumentError as error:
        raise InstrumentPackError(f"{source}: {error}") from None
    return apply_pack(instrument, pack, source=source)

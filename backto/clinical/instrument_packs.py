"""Instrument packs: a clinic's licensed item text for an instrument id and version.

BackTo never ships author-copyrighted item text (DESIGN.md, "Licences"). A clinic that holds the
licence writes a pack file and installs it for itself with
`backto instruments install PACK_FILE --clinic SLUG` (or on the admin's Questionnaires page):

    {
      "instrument": "fdi-child",
      "version": "1.0.0",
      "licensed_to": "Example Children's Hospital pain clinic",
      "instructions": "...",
      "items": {"1": "...", "2": "...", ..., "15": "..."},
      "option_labels": {"0": "...", "1": "...", "2": "...", "3": "...", "4": "..."},
      "subscales": {}
    }

`language` (optional, default "en") is the language of the pack's words: a clinic installs a
licensed translation (the holder's Spanish, say) as its own pack for the same instrument and
version, with `"language": "es"`, `"validated": true` when it is the holder's validated
translation (false otherwise; the care team is told), an optional `title` in that language, and
labels for every answer (`option_labels`, or per item `answers: {linkId: {value: label}}`).
`instructions` (optional) is shown above the questions. `items` must name every linkId of that
instrument version exactly: none missing, none extra. `option_labels` (optional) relabels the answers of every choice item, keyed by answer value; the
values must match exactly too. `subscales` (optional) supplies the item list of a subscale the
instrument file leaves open for confirmation (the PPST psychosocial subscale) and nothing else.
Applying a pack returns a new, fully re-validated instrument; scoring is unchanged by it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
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
from backto.clinical.instruments import Instrument, LanguageCode, LinkId, answer_label_problems

# Limits on a pack file, checked before it is parsed or validated: a pack is a few kilobytes of
# text, nested three deep ({"subscales": {"name": ["1", ...]}}), and its only number is
# pack_format. A file past them is refused with a message, never parsed into a server error
# (a deeply nested file exhausted the recursion limit; a 5,000-digit number hit Python's).
MAX_PACK_BYTES = 512 * 1024
MAX_PACK_DEPTH = 8
MAX_NUMBER_DIGITS = 15
MAX_PACK_ENTRIES = 500  # items, answer labels, subscales, or linkIds in one subscale
MAX_TEXT_CHARS = 5000  # one item's wording
MAX_PROBLEMS_SHOWN = 20
# A string (to its closing quote, or the end of an unclosed one) or a bracket: one pass, linear.
_TOKENS = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"?|[\[\]{}]')

PackText = Annotated[str, Field(min_length=1, max_length=MAX_TEXT_CHARS)]
Name = Annotated[str, Field(min_length=1, max_length=100)]


class InstrumentPackError(ValueError):
    """A pack that cannot be applied: the message names the file and the problem."""


class InstrumentPack(BaseModel):
    """The content of a pack file."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    pack_format: Literal[1] = 1
    instrument: Name
    version: Name
    language: LanguageCode = "en"
    validated: bool = False  # a translation (language not "en"): the holder's validated one?
    licensed_to: PackText | None = None
    note: PackText | None = None
    title: PackText | None = None
    instructions: PackText | None = None
    items: Annotated[dict[LinkId, PackText], Field(max_length=MAX_PACK_ENTRIES)]
    option_labels: Annotated[dict[Name, PackText], Field(max_length=MAX_PACK_ENTRIES)] | None = None
    answers: Annotated[
        dict[LinkId, Annotated[dict[Name, PackText], Field(max_length=MAX_PACK_ENTRIES)]],
        Field(max_length=MAX_PACK_ENTRIES),
    ] = {}
    subscales: Annotated[
        dict[Name, Annotated[tuple[LinkId, ...], Field(max_length=MAX_PACK_ENTRIES)]],
        Field(max_length=MAX_PACK_ENTRIES),
    ] = {}


def _format_pack_error(error: ValidationError, source: str) -> str:
    lines = []
    problems = error.errors()
    for problem in problems[:MAX_PROBLEMS_SHOWN]:
        where = ".".join(str(step) for step in problem["loc"]) or "(top level)"
        if len(where) > 80:
            where = where[:77] + "..."
        message = problem["msg"].removeprefix("Value error, ")
        if problem["type"] == "extra_forbidden":
            message += f" (allowed fields: {', '.join(InstrumentPack.model_fields)})"
        lines.append(f"{source}: field {where}: {message}")
    if len(problems) > MAX_PROBLEMS_SHOWN:
        lines.append(f"{source}: and {len(problems) - MAX_PROBLEMS_SHOWN} more problems")
    return "\n".join(lines)


def _nesting(text: str) -> int:
    """How deep the file's arrays and objects nest (brackets inside strings do not count)."""
    deepest = depth = 0
    for token in _TOKENS.findall(text):
        if token in ("[", "{"):
            depth += 1
            deepest = max(deepest, depth)
        elif token in ("]", "}"):
            depth -= 1
    return deepest


@dataclass(frozen=True)
class JsonLimits:
    """Limits on one kind of JSON file a clinic uploads, and the words of their messages."""

    kind: str  # "a pack"
    max_bytes: int
    max_depth: int
    depth_hint: str  # what nests deepest in such a file, and how deep
    number_hint: str  # which numbers such a file has
    nan_hint: str = ""  # appended to the message for NaN or Infinity


PACK_LIMITS = JsonLimits(
    kind="a pack",
    max_bytes=MAX_PACK_BYTES,
    max_depth=MAX_PACK_DEPTH,
    depth_hint="its subscales, the deepest part, nest 3",
    number_hint="its only number is pack_format: 1",
    nan_hint="; use 1 for pack_format",
)


def read_json(content: bytes | str, *, source: str, limits: JsonLimits = PACK_LIMITS) -> object:
    """Parse an uploaded JSON file within `limits` (size, nesting, length of numbers), or raise
    InstrumentPackError naming `source`; the parsed data is not yet checked for its shape."""
    size = len(content.encode("utf-8") if isinstance(content, str) else content)
    if size > limits.max_bytes:
        raise InstrumentPackError(
            f"{source}: the file is too large: {limits.kind} is at most "
            f"{limits.max_bytes // 1024} KB"
        )
    try:
        text = content if isinstance(content, str) else content.decode("utf-8")
    except UnicodeDecodeError:
        raise InstrumentPackError(f"{source} is not a JSON file: it is not UTF-8 text") from None
    depth = _nesting(text)
    if depth > limits.max_depth:
        raise InstrumentPackError(
            f"{source}: lists and objects nest {depth} deep; {limits.kind} nests at most "
            f"{limits.max_depth} ({limits.depth_hint})"
        )

    def whole_number(digits: str) -> int:
        if len(digits.lstrip("-")) > MAX_NUMBER_DIGITS:
            raise InstrumentPackError(
                f"a number has {len(digits.lstrip('-'))} digits; numbers in {limits.kind} have "
                f"at most {MAX_NUMBER_DIGITS} ({limits.number_hint})"
            )
        return int(digits)

    def decimal(digits: str) -> float:
        if len(digits) > MAX_NUMBER_DIGITS + 10:
            raise InstrumentPackError(
                f"a number is {len(digits)} characters long; {limits.kind}'s numbers are short "
                f"({limits.number_hint})"
            )
        return float(digits)

    def not_a_number(name: str) -> object:
        raise InstrumentPackError(f"{name} is not a number JSON allows{limits.nan_hint}")

    try:
        return json.loads(
            text, parse_int=whole_number, parse_float=decimal, parse_constant=not_a_number
        )
    except json.JSONDecodeError as error:
        raise InstrumentPackError(
            f"{source} is not a JSON file: line {error.lineno}, column {error.colno}: {error.msg}"
        ) from None
    except InstrumentPackError as error:
        raise InstrumentPackError(f"{source}: {error}") from None


def pack_from_json(content: bytes | str, *, source: str) -> InstrumentPack:
    """Read a pack file's content, within the limits above, and check its shape (not yet
    against the instrument)."""
    return pack_from_data(read_json(content, source=source), source=source)


def pack_from_data(data: object, *, source: str) -> InstrumentPack:
    try:
        return InstrumentPack.model_validate(data)
    except ValidationError as error:
        raise InstrumentPackError(_format_pack_error(error, source)) from None


def load_pack(path: str | Path) -> InstrumentPack:
    """Read a pack file and check its shape (not yet against the instrument)."""
    path = Path(path)
    return pack_from_json(read_upload(path), source=path.name)


def read_upload(path: Path, limits: JsonLimits = PACK_LIMITS) -> bytes:
    """The file's content, read no further than one byte past `limits.max_bytes` (a larger file
    is refused unread, by the size check of read_json)."""
    try:
        with path.open("rb") as file:
            return file.read(limits.max_bytes + 1)
    except OSError as error:
        raise InstrumentPackError(f"{path}: cannot be read: {error}") from None


def mismatch(
    what: str, expected: list[str], given: list[str], *, rule: str = "must match exactly"
) -> str | None:
    """What is missing from `given` and what is not in `expected`, or None when they match."""
    missing = [key for key in expected if key not in given]
    extra = [key for key in given if key not in expected]
    if not missing and not extra:
        return None
    parts = []
    if missing:
        parts.append(f"missing {', '.join(missing)}")
    if extra:
        parts.append(f"not in the instrument: {', '.join(extra)}")
    return f"{what} {rule} ({', '.join(expected)}); {'; '.join(parts)}"


def apply_pack(instrument: Instrument, pack: InstrumentPack, *, source: str) -> Instrument:
    """The instrument with the pack's text merged in, or InstrumentPackError naming `source`."""
    where = f"{source} ({pack.instrument} {pack.version})"
    if (pack.instrument, pack.version) != instrument.key:
        raise InstrumentPackError(
            f"{where}: this pack is not for {instrument.id} {instrument.version}"
        )
    problems = []
    problem = mismatch("items: linkIds", list(instrument.link_ids), list(pack.items))
    if problem:
        problems.append(problem)
    translated = pack.language != instrument.language
    if translated or pack.answers:
        # every answer of a translation is labelled in its language; per item, or shared
        problems.extend(
            problem.removeprefix("pack.")
            for problem in answer_label_problems(
                instrument, "pack", pack.option_labels, pack.answers, required=translated
            )
        )
    elif pack.option_labels is not None:
        shared = instrument.shared_answers
        if shared is None:
            problems.append(
                "option_labels: the items of this instrument do not share one set of answers, "
                "so option_labels cannot be applied"
            )
        else:
            values = [str(option.value) for option in shared]
            problem = mismatch("option_labels: answer values", values, list(pack.option_labels))
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
        labels = pack.answers.get(item["linkId"], pack.option_labels)
        if labels is not None and item["type"] == "choice":
            for option in item["answerOption"]:
                option["label"] = labels[str(option["value"])]
    if data["scoring"] is not None:
        for subscale in data["scoring"]["subscales"]:
            if subscale["name"] in pack.subscales:
                subscale["items"] = pack.subscales[subscale["name"]]
    if pack.instructions is not None:
        data["instructions"] = pack.instructions
    if pack.title is not None:
        data["title"] = pack.title
    data["pack"] = {"source": source, "licensed_to": pack.licensed_to}
    if translated:
        data["language"] = pack.language
        data["translations"] = {}
        data["wording"] = {"source": pack.licensed_to or source, "validated": pack.validated}
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

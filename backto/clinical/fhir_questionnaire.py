"""An instrument's wording as a FHIR R4 Questionnaire: export, and import as a pack.

A clinic shares the wording it has installed with a sister clinic, or brings a form it already
has in another FHIR system, as a FHIR R4 `Questionnaire` resource (JSON), checked with the
`fhir.resources` models (R4B: the same Questionnaire as R4). Only the wording travels: item
`linkId`s are BackTo's item ids and each answer is a `valueCoding` whose `code` is the answer
value BackTo stores; scoring, bands, alerts and the missing-item rule stay BackTo's, in its
instrument files, and an imported Questionnaire cannot change them.

The mapping (docs/instruments.md, "FHIR Questionnaire"):

- `id` is the instrument id, `url` `{base_url}/fhir/Questionnaire/{id}`, `version`, `title` and
  `description` the instrument's, `name` its id in CamelCase, `status` "active", `subjectType`
  Patient; `copyright` the licence holder and terms, and whom the wording is licensed to.
- The pack's `licensed_to` is the extension LICENSED_TO_EXTENSION (a valueString).
- The instructions, when the instrument has them, are a leading `display` item with linkId
  INSTRUCTIONS_LINK_ID, which no BackTo linkId can be (they start with a letter or digit).
- Each item: `linkId`, `text` (the wording; the neutral label when there is none), `type`
  (choice, integer, decimal, text), `required`, `repeats`; `answerOption` valueCodings in the
  code system `answer_system(id)`, code str(value) and display the answer's label;
  `enableWhen` (operator "=", answerCoding; `enableBehavior` "any", as BackTo reads it); the
  bounds of a number item as the core minValue and maxValue extensions.

Importing reads the same things back into an InstrumentPack: the instrument by `id` or the
url's last segment, and `version`; every linkId's text exactly once; every choice item's answer
codes exactly the instrument's answer values; the displays as the pack's option_labels when they
relabel every item alike. No Django here: the admin page and `backto instruments` call these.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import Any

from fhir.resources.R4B.questionnaire import Questionnaire
from pydantic import ValidationError

from backto.clinical.instrument_packs import (
    MAX_PACK_BYTES,
    MAX_PROBLEMS_SHOWN,
    MAX_TEXT_CHARS,
    InstrumentPack,
    InstrumentPackError,
    JsonLimits,
    apply_pack,
    mismatch,
    pack_from_data,
    pack_from_json,
    read_json,
)
from backto.clinical.instrument_registry import (
    InstrumentRegistry,
    UnknownInstrumentError,
    instrument_registry,
)
from backto.clinical.instruments import Instrument, Item

# The project has no web address of its own to name a code system or an extension by, so these
# are URNs: the same in every clinic's export, whatever its address.
EXACTLY = "must be exactly the instrument's"
INSTRUCTIONS_LINK_ID = "_instructions"
LICENSED_TO_EXTENSION = "urn:backto:extension:licensed-to"
MIN_VALUE_EXTENSION = "http://hl7.org/fhir/StructureDefinition/minValue"
MAX_VALUE_EXTENSION = "http://hl7.org/fhir/StructureDefinition/maxValue"
FHIR_ITEM_TYPES = {"choice": "choice", "integer": "integer", "decimal": "decimal", "text": "text"}

# A Questionnaire nests 6 deep as BackTo writes it ({item: [{answerOption: [{valueCoding: {}}]}]}),
# and each group another form wraps its questions in adds 2; its numbers are number items' bounds.
MAX_QUESTIONNAIRE_DEPTH = 16
QUESTIONNAIRE_LIMITS = JsonLimits(
    kind="a Questionnaire",
    max_bytes=MAX_PACK_BYTES,
    max_depth=MAX_QUESTIONNAIRE_DEPTH,
    depth_hint="BackTo's nest 6 deep, each group of items 2 more",
    number_hint="its numbers are the bounds of number items",
)
_RESOURCE_TYPE = re.compile(r'"resourceType"\s*:')


def answer_system(instrument_id: str) -> str:
    """The code system of an instrument's answers: its codes are the answer values."""
    return f"urn:backto:instrument:{instrument_id}:answers"


def questionnaire_name(instrument_id: str) -> str:
    """A computable name as FHIR wants one ([A-Z][A-Za-z0-9_]*): fdi-child gives FdiChild."""
    return "".join(part.capitalize() for part in instrument_id.split("-"))


# Export ---------------------------------------------------------------------------------------


def questionnaire_resource(instrument: Instrument, *, base_url: str) -> dict[str, Any]:
    """The instrument, with whatever wording it carries (shipped, a clinic's pack, or only the
    neutral labels), as FHIR R4 Questionnaire JSON, validated with fhir.resources."""
    licensed_to = instrument.pack.licensed_to if instrument.pack is not None else None
    resource: dict[str, Any] = {"resourceType": "Questionnaire", "id": instrument.id}
    if licensed_to is not None:
        resource["extension"] = [{"url": LICENSED_TO_EXTENSION, "valueString": licensed_to}]
    resource |= {
        "url": f"{base_url.rstrip('/')}/fhir/Questionnaire/{instrument.id}",
        "version": instrument.version,
        "name": questionnaire_name(instrument.id),
        "title": instrument.title,
        "status": "active",
        "subjectType": ["Patient"],
        "description": instrument.description,
        "copyright": _copyright(instrument, licensed_to),
    }
    items = []
    if instrument.instructions is not None:
        items.append(
            {"linkId": INSTRUCTIONS_LINK_ID, "text": instrument.instructions, "type": "display"}
        )
    by_id = {item.linkId: item for item in instrument.items}
    system = answer_system(instrument.id)
    items.extend(_export_item(item, by_id, system) for item in instrument.items)
    resource["item"] = items
    Questionnaire.model_validate(resource)  # a mistake here is BackTo's: let it fail loudly
    return resource


def _copyright(instrument: Instrument, licensed_to: str | None) -> str:
    licence = instrument.licence
    parts = [f"{licence.holder.rstrip('.')}. {licence.terms}"]
    if licence.url is not None:
        parts.append(licence.url)
    if licensed_to is not None:
        parts.append(f"This wording is licensed to {licensed_to}.")
    elif not instrument.text_available:
        parts.append("This Questionnaire carries BackTo's neutral item labels, not the wording.")
    return " ".join(parts)


def _export_item(item: Item, by_id: dict[str, Item], system: str) -> dict[str, Any]:
    exported: dict[str, Any] = {}
    bounds = [
        (url, value)
        for url, value in (
            (MIN_VALUE_EXTENSION, item.minValue),
            (MAX_VALUE_EXTENSION, item.maxValue),
        )
        if value is not None
    ]
    if bounds:
        exported["extension"] = [
            {"url": url, **_number_value(item, value)} for url, value in bounds
        ]
    exported |= {
        "linkId": item.linkId,
        "text": item.text if item.text is not None else item.label,
        "type": FHIR_ITEM_TYPES[item.type],
    }
    if item.enableWhen:
        exported["enableWhen"] = [
            {
                "question": condition.question,
                "operator": "=",
                "answerCoding": {
                    "system": system,
                    "code": _code(by_id[condition.question], condition.answer),
                },
            }
            for condition in item.enableWhen
        ]
        exported["enableBehavior"] = "any"  # BackTo asks the item when any condition holds
    exported |= {"required": item.required, "repeats": item.repeats}
    if item.system:  # filled by BackTo (the months a healthcare-use form covers), never asked
        exported["readOnly"] = True
    if item.answerOption:
        exported["answerOption"] = [
            {"valueCoding": {"system": system, "code": str(option.value), "display": option.label}}
            for option in item.answerOption
        ]
    return exported


def _number_value(item: Item, value: int | float) -> dict[str, int | float]:
    if item.type == "integer" and float(value).is_integer():
        return {"valueInteger": int(value)}
    return {"valueDecimal": value}


def _code(question: Item, answer: int | float) -> str:
    """The code of the question's answer `answer` (1.0 in an enableWhen is the answer 1)."""
    return next(str(o.value) for o in question.answerOption if o.value == answer)


# Import ---------------------------------------------------------------------------------------


def is_fhir_resource(content: bytes | str) -> bool:
    """Whether an uploaded JSON file is a FHIR resource (it names its resourceType), to be read
    with pack_from_questionnaire rather than as a pack file."""
    text = content.decode("utf-8", errors="replace") if isinstance(content, bytes) else content
    return _RESOURCE_TYPE.search(text) is not None


def pack_from_upload(
    content: bytes | str, *, source: str, registry: InstrumentRegistry | None = None
) -> InstrumentPack:
    """A clinic's wording file: a pack file, or a FHIR Questionnaire (told by its
    resourceType). A pack is checked for its shape only; a Questionnaire also against its
    instrument, which it names."""
    if is_fhir_resource(content):
        return pack_from_questionnaire(content, source=source, registry=registry)
    return pack_from_json(content, source=source)


def pack_from_questionnaire(
    content: bytes | str, *, source: str, registry: InstrumentRegistry | None = None
) -> InstrumentPack:
    """The wording of a FHIR Questionnaire file as a pack for the instrument it names, or
    InstrumentPackError naming `source`, the field and what is allowed.

    The file is read within the limits of a pack file (size, nesting, length of numbers),
    validated with fhir.resources, then matched to the instrument: every linkId exactly once,
    every choice item's answer codes exactly the instrument's answer values."""
    data = read_json(content, source=source, limits=QUESTIONNAIRE_LIMITS)
    resource_type = data.get("resourceType") if isinstance(data, dict) else None
    if resource_type != "Questionnaire":
        found = (
            f"resourceType is {resource_type!r}"
            if resource_type is not None
            else "it is not a FHIR resource (it has no resourceType)"
        )
        raise InstrumentPackError(
            f'{source}: {found}; only a FHIR Questionnaire ("resourceType": "Questionnaire") '
            "can be imported as an instrument's wording"
        )
    try:
        questionnaire = Questionnaire.model_validate(data)
    except ValidationError as error:
        raise InstrumentPackError(_format_fhir_error(error, source)) from None
    instrument = _find_instrument(questionnaire, source, registry or instrument_registry())
    pack = pack_from_data(_pack_data(questionnaire, instrument, source), source=source)
    apply_pack(instrument, pack, source=source)  # the checks a pack file gets, to be sure
    return pack


def _format_fhir_error(error: ValidationError, source: str) -> str:
    lines = []
    problems = error.errors()
    for problem in problems[:MAX_PROBLEMS_SHOWN]:
        where = ""
        for step in problem["loc"]:
            if isinstance(step, int):
                where += f"[{step}]"
            elif "[" not in step:  # "function-after[...]" is pydantic's, not a field
                where += f".{step}" if where else step
        message = " ".join(problem["msg"].removeprefix("Value error, ").split())
        if problem["type"] == "extra_forbidden":
            message = "not an element of a FHIR R4 Questionnaire at this place"
        lines.append(f"{source}: {where or '(top level)'}: {message}")
    if len(problems) > MAX_PROBLEMS_SHOWN:
        lines.append(f"{source}: and {len(problems) - MAX_PROBLEMS_SHOWN} more problems")
    return "\n".join(lines)


def _find_instrument(
    questionnaire: Questionnaire, source: str, registry: InstrumentRegistry
) -> Instrument:
    candidates = []
    if questionnaire.id is not None:
        candidates.append(questionnaire.id)
    if questionnaire.url is not None:
        candidates.append(questionnaire.url.split("|")[0].rstrip("/").rsplit("/", 1)[-1])
    named = sorted({name for name in candidates if name in registry})
    if not named:
        raise InstrumentPackError(
            f"{source}: id {questionnaire.id!r} and url {questionnaire.url!r} name no BackTo "
            f"instrument; the id, or the url's last segment, must be one of: "
            f"{', '.join(registry.ids)}"
        )
    if len(named) > 1:
        raise InstrumentPackError(
            f"{source}: id {questionnaire.id!r} and url {questionnaire.url!r} name different "
            f"instruments ({', '.join(named)}); they must name the same one"
        )
    instrument_id = named[0]
    versions = [i.version for i in registry.all_versions() if i.id == instrument_id]
    if questionnaire.version is None:
        raise InstrumentPackError(
            f"{source}: version: missing; say which version of {instrument_id} this wording is "
            f"for (versions: {', '.join(versions)})"
        )
    try:
        return registry.get(instrument_id, questionnaire.version)
    except UnknownInstrumentError as error:
        raise InstrumentPackError(f"{source}: {error}") from None


def _walk(items: Sequence[Any] | None, path: str) -> Iterator[tuple[str, Any]]:
    """Every item with where it is (item[2].item[0]); a group's questions are the form's too."""
    for index, item in enumerate(items or ()):
        where = f"{path}[{index}]"
        yield where, item
        yield from _walk(item.item, f"{where}.item")


def _pack_data(questionnaire: Questionnaire, instrument: Instrument, source: str) -> dict[str, Any]:
    """The pack's fields, or InstrumentPackError listing every problem found."""
    by_id = {item.linkId: item for item in instrument.items}
    system = answer_system(instrument.id)
    problems: list[str] = []
    texts: dict[str, str] = {}
    seen_at: dict[str, str] = {}
    labels: dict[str, dict[str, str]] = {}
    instructions: str | None = None
    for where, item in _walk(questionnaire.item, "item"):
        named = f"{where} (linkId {item.linkId!r})"
        if item.type == "group":
            continue
        if item.type == "display":
            if item.linkId == INSTRUCTIONS_LINK_ID:
                if instructions is not None:
                    problems.append(f"{named}: the instructions appear twice; give them once")
                instructions = item.text or ""
            continue  # other display items are the form's own notes: not BackTo's wording
        if item.linkId in seen_at:
            problems.append(
                f"{named}: this linkId appears twice (also at {seen_at[item.linkId]}); "
                "each of the instrument's linkIds appears once"
            )
            continue
        seen_at[item.linkId] = where
        ours = by_id.get(item.linkId)
        if ours is None:
            continue  # named with the others below
        expected_type = FHIR_ITEM_TYPES[ours.type]
        if item.type != expected_type:
            problems.append(
                f"{named}: type is {item.type!r}; the instrument's item is {expected_type!r}"
            )
        if item.text is None:
            problems.append(f"{named}: text: missing; every question needs its wording")
        elif len(item.text) > MAX_TEXT_CHARS:
            problems.append(
                f"{named}: text is {len(item.text)} characters long; at most {MAX_TEXT_CHARS}"
            )
        else:
            texts[item.linkId] = item.text
        if ours.type == "choice":
            found = _answer_labels(item, ours, named, system, problems)
            if found is not None:
                labels[item.linkId] = found
        elif item.answerOption or item.answerValueSet:
            problems.append(
                f"{named}: answerOption: the instrument's item is {ours.type!r}, without a list "
                "of answers"
            )
    problem = mismatch("item: the questions' linkIds", list(by_id), list(seen_at), rule=EXACTLY)
    if problem:
        problems.append(problem)
    if instructions == "":
        problems.append(f"item {INSTRUCTIONS_LINK_ID!r}: text: missing (the instructions)")
    option_labels = None if problems else _option_labels(instrument, labels, problems)
    neutral = all(texts.get(link_id) == item.label for link_id, item in by_id.items())
    if not problems and not instrument.licence.text_ships and neutral:
        problems.append(
            "item: every text is BackTo's neutral label (such as "
            f"{instrument.items[0].label!r}), not the instrument's wording: export the "
            "Questionnaire from a clinic that has installed the wording"
        )
    if problems:
        shown = [f"{source}: {problem}" for problem in problems[:MAX_PROBLEMS_SHOWN]]
        if len(problems) > MAX_PROBLEMS_SHOWN:
            shown.append(f"{source}: and {len(problems) - MAX_PROBLEMS_SHOWN} more problems")
        raise InstrumentPackError("\n".join(shown))
    licensed_to = next(
        (
            ext.valueString
            for ext in questionnaire.extension or ()
            if ext.url == LICENSED_TO_EXTENSION
        ),
        None,
    )
    return {
        "instrument": instrument.id,
        "version": instrument.version,
        "licensed_to": licensed_to,
        "instructions": None if instructions == instrument.instructions else instructions,
        "items": {link_id: texts[link_id] for link_id in by_id},
        "option_labels": option_labels,
    }


def _answer_labels(
    item: Any, ours: Item, named: str, system: str, problems: list[str]
) -> dict[str, str] | None:
    """The item's answer labels by code, or None after adding what is wrong to `problems`."""
    values = [str(option.value) for option in ours.answerOption]
    current = {str(option.value): option.label for option in ours.answerOption}
    if item.answerValueSet is not None or not item.answerOption:
        problems.append(
            f"{named}: answerOption: list the answers as answerOption valueCoding, with code the "
            f"BackTo answer value ({', '.join(values)})"
            + ("; answerValueSet is not supported" if item.answerValueSet is not None else "")
        )
        return None
    found: dict[str, str] = {}
    ok = True
    for index, option in enumerate(item.answerOption):
        at = f"{named}.answerOption[{index}]"
        coding = option.valueCoding
        if coding is None or coding.code is None:
            problems.append(
                f"{at}: give the answer as a valueCoding whose code is the BackTo answer value "
                f"({', '.join(values)})"
            )
            ok = False
        elif coding.system is not None and coding.system != system:
            problems.append(
                f"{at}.valueCoding.system is {coding.system!r}; BackTo reads the code as its "
                f"answer value, so the system must be {system} (or left out): set it only once "
                "each code is the BackTo answer value of the same meaning"
            )
            ok = False
        elif coding.code in found:
            problems.append(f"{at}.valueCoding.code {coding.code!r} appears twice")
            ok = False
        else:
            found[coding.code] = coding.display if coding.display is not None else ""
    if not ok:
        return None
    problem = mismatch(f"{named}.answerOption: the answer codes", values, list(found), rule=EXACTLY)
    if problem:
        problems.append(problem)
        return None
    # An answer without a display keeps the label it has.
    return {code: found[code] or current[code] for code in values}


def _option_labels(
    instrument: Instrument, labels: dict[str, dict[str, str]], problems: list[str]
) -> dict[str, str] | None:
    """The pack's option_labels: none when every answer keeps its label, one set when every
    item is relabelled alike; per-item labels cannot be kept in a pack (a problem is added)."""
    choice_items = [item for item in instrument.items if item.type == "choice"]
    if all(
        labels[item.linkId] == {str(o.value): o.label for o in item.answerOption}
        for item in choice_items
    ):
        return None
    first = labels[choice_items[0].linkId]
    if all(labels[item.linkId] == first for item in choice_items):
        return first
    problems.append(
        "answerOption: the answers' labels (valueCoding.display) differ from item to item and "
        "from BackTo's; BackTo relabels the answers of every item alike, so per-item labels are "
        "not supported: give every item the same labels, or leave BackTo's"
    )
    return None

"""An instrument's wording as a FHIR R4 Questionnaire: exported resources validate with
fhir.resources, and a clinic's wording comes back from one unchanged."""

import copy
import json
import re
from typing import Any

import pytest
from fhir.resources.R4B.questionnaire import Questionnaire

from backto.clinical.fhir_questionnaire import (
    INSTRUCTIONS_LINK_ID,
    LICENSED_TO_EXTENSION,
    MAX_VALUE_EXTENSION,
    MIN_VALUE_EXTENSION,
    answer_system,
    is_fhir_resource,
    pack_from_questionnaire,
    pack_from_upload,
    questionnaire_resource,
)
from backto.clinical.instrument_packs import (
    InstrumentPack,
    InstrumentPackError,
    apply_pack,
    pack_from_data,
)
from backto.clinical.instrument_registry import instrument_registry
from backto.clinical.instruments import Instrument

BASE = "https://clinic.example.org"
FDI = instrument_registry().get("fdi-child")
ALL = instrument_registry().all_versions()


def made_up_pack(instrument: Instrument) -> InstrumentPack:
    """Wording a licensed clinic might install: made up here, never the authors'."""
    value_sets = {
        tuple(str(o.value) for o in item.answerOption)
        for item in instrument.items
        if item.type == "choice"
    }
    data: dict[str, Any] = {
        "instrument": instrument.id,
        "version": instrument.version,
        "licensed_to": "Lakeside Pain Program",
        "instructions": f"Made-up instructions for {instrument.id}: read each line.",
        "items": {item.linkId: f"Made-up wording of {item.linkId}?" for item in instrument.items},
    }
    if len(value_sets) == 1:
        data["option_labels"] = {value: f"Made-up answer {value}" for value in value_sets.pop()}
    return pack_from_data(data, source="made-up.json")


def worded(instrument: Instrument) -> Instrument:
    if instrument.text_available:
        return instrument
    return apply_pack(instrument, made_up_pack(instrument), source="made-up.json")


FDI_WORDED = worded(FDI)


def export(instrument: Instrument = FDI_WORDED) -> dict[str, Any]:
    return questionnaire_resource(instrument, base_url=BASE)


def read(resource: object, source: str = "fdi.fhir.json") -> InstrumentPack:
    return pack_from_questionnaire(json.dumps(resource), source=source)


def refused(resource: object) -> str:
    with pytest.raises(InstrumentPackError) as caught:
        read(resource)
    return str(caught.value)


def question(resource: dict[str, Any], link_id: str) -> dict[str, Any]:
    return next(item for item in resource["item"] if item["linkId"] == link_id)


def test_the_export_carries_the_instrument_and_its_installed_wording() -> None:
    resource = export()
    assert resource["resourceType"] == "Questionnaire"
    assert resource["id"] == "fdi-child"
    assert resource["url"] == f"{BASE}/fhir/Questionnaire/fdi-child"
    assert (resource["version"], resource["name"], resource["status"]) == (
        "1.0.0",
        "FdiChild",
        "active",
    )
    assert resource["title"] == FDI.title and resource["description"] == FDI.description
    assert resource["subjectType"] == ["Patient"]
    assert resource["extension"] == [
        {"url": LICENSED_TO_EXTENSION, "valueString": "Lakeside Pain Program"}
    ]
    assert resource["copyright"].startswith("The authors (Walker & Greene). Item text is held")
    assert resource["copyright"].endswith("This wording is licensed to Lakeside Pain Program.")
    first, item_3 = resource["item"][0], resource["item"][3]
    assert first == {
        "linkId": INSTRUCTIONS_LINK_ID,
        "text": "Made-up instructions for fdi-child: read each line.",
        "type": "display",
    }
    assert item_3["linkId"] == "3" and item_3["text"] == "Made-up wording of 3?"
    assert (item_3["type"], item_3["required"], item_3["repeats"]) == ("choice", True, False)
    assert item_3["answerOption"][4] == {
        "valueCoding": {
            "system": "urn:backto:instrument:fdi-child:answers",
            "code": "4",
            "display": "Made-up answer 4",
        }
    }
    assert [item["linkId"] for item in resource["item"][1:]] == list(FDI.link_ids)


def test_without_wording_the_export_has_the_neutral_labels_and_says_so() -> None:
    resource = export(FDI)
    assert "extension" not in resource
    assert [item["text"] for item in resource["item"]][:2] == ["FDI item 1", "FDI item 2"]
    assert resource["item"][0]["answerOption"][0]["valueCoding"]["display"] == "0 (no trouble)"
    assert resource["copyright"].endswith("BackTo's neutral item labels, not the wording.")


def test_number_and_text_items_enable_when_and_multiple_answers_are_mapped() -> None:
    diary = instrument_registry().get("daily-diary")
    resource = export(diary)
    hours = question(resource, "school_hours")
    assert hours["type"] == "decimal"
    assert hours["extension"] == [
        {"url": MIN_VALUE_EXTENSION, "valueDecimal": 0},
        {"url": MAX_VALUE_EXTENSION, "valueDecimal": 12},
    ]
    assert hours["enableWhen"] == [
        {
            "question": "school",
            "operator": "=",
            "answerCoding": {"system": answer_system("daily-diary"), "code": "1"},
        }
    ]
    assert hours["enableBehavior"] == "any"
    assert "answerOption" not in hours
    assert question(resource, "activity_note")["type"] == "text"
    assert question(resource, "coping")["repeats"] is True
    assert question(resource, "activity")["required"] is True
    assert question(resource, "school_hours")["required"] is False


def test_the_instructions_linkid_cannot_be_a_backto_linkid() -> None:
    assert re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]*", INSTRUCTIONS_LINK_ID) is None


@pytest.mark.parametrize("instrument", ALL, ids=lambda i: f"{i.id}-{i.version}")
def test_every_export_validates_with_fhir_resources(instrument: Instrument) -> None:
    for version in (instrument, worded(instrument)):
        resource = export(version)
        model = Questionnaire.model_validate(json.loads(json.dumps(resource)))
        # Nothing is lost or changed by the FHIR model: what BackTo writes is what it reads.
        assert model.model_dump(mode="json", exclude_none=True) == resource


@pytest.mark.parametrize("instrument", ALL, ids=lambda i: f"{i.id}-{i.version}")
def test_every_instrument_round_trips(instrument: Instrument) -> None:
    """Made-up wording for a licensed instrument, the shipped wording of the others."""
    original = worded(instrument)
    resource = export(original)
    pack = read(resource)
    assert (pack.instrument, pack.version) == instrument.key
    if instrument.text_available:
        assert pack.items == {item.linkId: item.text for item in instrument.items}
        assert (pack.option_labels, pack.instructions, pack.licensed_to) == (None, None, None)
    else:
        given = made_up_pack(instrument)
        assert pack.items == given.items
        assert pack.option_labels == given.option_labels
        assert pack.instructions == given.instructions
        assert pack.licensed_to == given.licensed_to
    again = apply_pack(instrument, pack, source="fdi.fhir.json")
    assert [item.model_dump() for item in again.items] == [
        item.model_dump() for item in original.items
    ]
    assert export(again) == resource


def test_a_form_from_another_system_with_groups_and_notes_is_read() -> None:
    """Another system's form: questions in a group, a note of its own, codes without a system,
    no licensed_to, answers in another order."""
    resource = export()
    del resource["extension"]
    questions = resource["item"][1:]
    for item in questions:
        item["answerOption"].reverse()
        for option in item["answerOption"]:
            del option["valueCoding"]["system"]
    resource["item"] = [
        {"linkId": "intro", "type": "display", "text": "Thank you for filling this in."},
        {"linkId": "all", "type": "group", "text": "Activities", "item": questions},
    ]
    resource["id"] = "a1b2c3"  # the other server's id; the url names the instrument
    pack = read(resource)
    assert pack.instrument == "fdi-child"
    assert pack.items == made_up_pack(FDI).items
    assert pack.option_labels == made_up_pack(FDI).option_labels
    assert (pack.instructions, pack.licensed_to) == (None, None)


def test_a_missing_linkid_is_named() -> None:
    resource = export()
    del resource["item"][15]
    assert refused(resource) == (
        "fdi.fhir.json: item: the questions' linkIds must be exactly the instrument's (1, 2, 3, "
        "4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15); missing 15"
    )


def test_an_extra_or_repeated_linkid_is_named() -> None:
    resource = export()
    extra = copy.deepcopy(resource["item"][1])
    resource["item"].append({**extra, "linkId": "16"})
    resource["item"].append(copy.deepcopy(extra))
    message = refused(resource)
    assert "item[17] (linkId '1'): this linkId appears twice (also at item[1])" in message
    assert "missing" not in message and "not in the instrument: 16" in message


def test_a_wrong_answer_code_is_named() -> None:
    resource = export()
    resource["item"][4]["answerOption"][4]["valueCoding"]["code"] = "5"
    assert refused(resource) == (
        "fdi.fhir.json: item[4] (linkId '4').answerOption: the answer codes must be exactly the "
        "instrument's (0, 1, 2, 3, 4); missing 4; not in the instrument: 5"
    )


def test_an_answer_code_of_another_code_system_is_refused() -> None:
    resource = export()
    resource["item"][2]["answerOption"][0]["valueCoding"]["system"] = "http://loinc.org"
    message = refused(resource)
    assert message.startswith(
        "fdi.fhir.json: item[2] (linkId '2').answerOption[0].valueCoding.system is "
        "'http://loinc.org'; BackTo reads the code as its answer value, so the system must be "
        "urn:backto:instrument:fdi-child:answers (or left out)"
    )


def test_fhir_validation_errors_name_the_field() -> None:
    resource = export()
    resource["item"][3]["answerOption"][0]["valueCoding"]["code"] = 0
    resource["colour"] = "blue"
    message = refused(resource)
    assert "fdi.fhir.json: item[3].answerOption[0].valueCoding.code: Input should be a valid " in (
        message
    )
    assert (
        "fdi.fhir.json: colour: not an element of a FHIR R4 Questionnaire at this place" in message
    )


def test_a_question_of_another_type_or_without_text_is_named() -> None:
    resource = export()
    resource["item"][1]["type"] = "string"
    del resource["item"][2]["text"]
    message = refused(resource)
    assert "item[1] (linkId '1'): type is 'string'; the instrument's item is 'choice'" in message
    assert "item[2] (linkId '2'): text: missing; every question needs its wording" in message


def test_an_answer_that_is_not_a_coding_is_named() -> None:
    resource = export()
    resource["item"][1]["answerOption"][0] = {"valueInteger": 0}
    assert refused(resource) == (
        "fdi.fhir.json: item[1] (linkId '1').answerOption[0]: give the answer as a valueCoding "
        "whose code is the BackTo answer value (0, 1, 2, 3, 4)"
    )


def test_per_item_answer_labels_are_not_supported() -> None:
    resource = export()
    resource["item"][1]["answerOption"][0]["valueCoding"]["display"] = "Not hard at all"
    assert "per-item labels are not supported" in refused(resource)


def test_the_neutral_labels_are_not_taken_for_the_wording() -> None:
    message = refused(export(FDI))
    assert "every text is BackTo's neutral label (such as 'FDI item 1')" in message


def test_a_resource_that_is_not_a_questionnaire_is_refused() -> None:
    assert refused({"resourceType": "Patient", "id": "p1"}) == (
        "fdi.fhir.json: resourceType is 'Patient'; only a FHIR Questionnaire "
        '("resourceType": "Questionnaire") can be imported as an instrument\'s wording'
    )
    assert "it is not a FHIR resource (it has no resourceType)" in refused(["a list"])


def test_an_unknown_instrument_or_version_is_named() -> None:
    resource = export()
    resource["id"] = "fdi-teen"
    resource["url"] = f"{BASE}/fhir/Questionnaire/fdi-teen"
    assert "id 'fdi-teen' and url" in refused(resource)
    assert "must be one of: " in refused(resource)
    resource = export()
    resource["version"] = "2.0.0"
    assert "instrument 'fdi-child' has no version '2.0.0'; versions: 1.0.0" in refused(resource)
    del resource["version"]
    assert "version: missing; say which version of fdi-child" in refused(resource)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("{", "fdi.fhir.json is not a JSON file: line 1, column 2"),
        (b"\xff\xfe{}", "fdi.fhir.json is not a JSON file: it is not UTF-8 text"),
        (
            '{"resourceType": "Questionnaire", "text": "' + "x" * 600_000 + '"}',
            "fdi.fhir.json: the file is too large: a Questionnaire is at most 512 KB",
        ),
        ('{"item": ' * 40 + "1" + "}" * 40, "nest 40 deep; a Questionnaire nests at most 16"),
        ('{"resourceType": "Questionnaire", "v": ' + "9" * 400 + "}", "a number has 400 digits"),
    ],
)
def test_a_malformed_or_huge_file_is_refused_before_it_is_read(
    content: str | bytes, expected: str
) -> None:
    with pytest.raises(InstrumentPackError, match=re.escape(expected)):
        pack_from_questionnaire(content, source="fdi.fhir.json")


def test_an_upload_is_read_as_a_pack_or_a_questionnaire() -> None:
    pack_file = json.dumps(made_up_pack(FDI).model_dump(mode="json"))
    questionnaire = json.dumps(export())
    assert not is_fhir_resource(pack_file) and is_fhir_resource(questionnaire.encode())
    from_pack = pack_from_upload(pack_file, source="fdi.json")
    from_questionnaire = pack_from_upload(questionnaire, source="fdi.fhir.json")
    assert from_pack.items == from_questionnaire.items
    assert from_pack.option_labels == from_questionnaire.option_labels


def test_an_item_backto_fills_is_read_only_in_the_questionnaire() -> None:
    """The months a healthcare-use form covers are filled by BackTo, never asked: a system
    that renders the exported Questionnaire shows it, if at all, as not to be answered."""
    items = {i["linkId"]: i for i in export(instrument_registry().get("healthcare-use"))["item"]}
    assert items["months_covered"]["readOnly"] is True
    assert "readOnly" not in items["emergency"]
    Questionnaire.model_validate(export(instrument_registry().get("healthcare-use")))

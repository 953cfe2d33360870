"""An instrument in its reader's language: shipped translations of the project's own
instruments, their strict validation, and licensed translations installed as packs."""

import copy
import json

import pytest

from backto.clinical.instrument_languages import in_language, languages_of
from backto.clinical.instrument_packs import InstrumentPack, InstrumentPackError, apply_pack
from backto.clinical.instrument_registry import (
    SHIPPED_INSTRUMENTS_DIR,
    InstrumentFileError,
    instrument_from_data,
    instrument_registry,
)
from backto.clinical.languages import base_language
from backto.clinical.scoring import score

PROJECT_WRITTEN = (
    "daily-diary",
    "daily-diary-parent",
    "nrs-pain",
    "pgic-child",
    "pgic-parent",
    "school",
)


def data(instrument_id: str) -> dict:
    return json.loads((SHIPPED_INSTRUMENTS_DIR / f"{instrument_id}.json").read_text())


@pytest.mark.parametrize("instrument_id", PROJECT_WRITTEN)
def test_the_projects_instruments_ship_in_spanish_marked_as_not_validated(instrument_id):
    english = instrument_registry().get(instrument_id)
    spanish = in_language(english, "es")
    assert english.language == "en" and languages_of(english) == ("en", "es")
    assert spanish.language == "es" and spanish.translations == {}
    assert spanish.wording is not None and spanish.wording.validated is False
    assert "BackTo project" in spanish.wording.source
    assert spanish.link_ids == english.link_ids and spanish.scoring == english.scoring
    for before, after in zip(english.items, spanish.items, strict=True):
        assert after.text and after.text != before.text
        assert [o.value for o in after.answerOption] == [o.value for o in before.answerOption]


@pytest.mark.parametrize("instrument_id", PROJECT_WRITTEN)
def test_scoring_is_identical_in_both_languages(instrument_id):
    english = instrument_registry().get(instrument_id)
    spanish = in_language(english, "es")
    answers = {
        item.linkId: item.answerOption[-1].value if item.answerOption else item.minValue
        for item in english.items
        if item.type != "text"
    }
    assert score(spanish, answers) == score(english, answers)


def test_the_child_is_told_tu_and_the_parent_usted():
    child = in_language(instrument_registry().get("pgic-child"), "es")
    parent = in_language(instrument_registry().get("pgic-parent"), "es")
    assert "empezaste" in child.items[0].text and "Piensa" in (child.instructions or "")
    assert "su hijo" in parent.items[0].text and "Piense" in (parent.instructions or "")


def test_without_a_version_in_the_language_the_instrument_is_unchanged():
    for instrument_id in ("gad-7", "asq", "fdi-child"):
        instrument = instrument_registry().get(instrument_id)
        assert in_language(instrument, "es") is instrument
    nrs = instrument_registry().get("nrs-pain")
    assert in_language(nrs, "en") is nrs and in_language(nrs, "fr") is nrs
    assert in_language(nrs, "es-MX").language == "es" and base_language("es_mx") == "es"


def refused(changed: dict) -> str:
    with pytest.raises(InstrumentFileError) as error:
        instrument_from_data(changed, source="nrs-pain.json")
    return str(error.value)


def test_a_translation_missing_a_linkid_is_refused_naming_it():
    changed = data("nrs-pain")
    del changed["translations"]["es"]["items"]["worst_week"]
    assert "missing linkId 'worst_week'" in refused(changed)


def test_a_translation_with_an_extra_linkid_is_refused_naming_it():
    changed = data("nrs-pain")
    changed["translations"]["es"]["items"]["ayer"] = "¿Y ayer?"
    assert "'ayer' not a linkId" in refused(changed)


def test_a_translation_missing_an_answer_is_refused_naming_it():
    changed = data("daily-diary")
    del changed["translations"]["es"]["answers"]["mood"]["0"]
    assert "item 'mood' misses answer 0" in refused(changed)
    changed = data("nrs-pain")
    del changed["translations"]["es"]["option_labels"]["10"]
    assert "misses answer 10" in refused(changed)


def test_a_translation_with_an_extra_answer_or_field_is_refused():
    changed = data("daily-diary")
    changed["translations"]["es"]["answers"]["mood"]["7"] = "Feliz"
    assert "7 not an answer of item 'mood'" in refused(changed)
    changed = data("pgic-child")
    changed["translations"]["es"]["subtitle"] = "otra cosa"
    assert "subtitle" in refused(changed)
    changed = data("pgic-child")
    del changed["translations"]["es"]["instructions"]
    assert "instructions: required" in refused(changed)


def test_a_licensed_instrument_file_carries_no_translation():
    changed = data("fdi-child")
    changed["translations"] = copy.deepcopy(data("pgic-child")["translations"])
    assert "text_ships is false" in refused(changed)


def spanish_gad7(**changes) -> InstrumentPack:
    gad = instrument_registry().get("gad-7")
    fields = {
        "instrument": "gad-7",
        "version": gad.version,
        "language": "es",
        "validated": True,
        "licensed_to": "Clínica de prueba",
        "title": "Escala GAD-7 (prueba)",
        "items": {item.linkId: f"Texto de prueba {item.linkId}" for item in gad.items},
        "option_labels": {str(o.value): f"Respuesta {o.value}" for o in gad.items[0].answerOption},
    } | changes
    return InstrumentPack.model_validate(fields)


def test_a_spanish_pack_words_a_licensed_instrument_in_spanish():
    gad = instrument_registry().get("gad-7")
    spanish = apply_pack(gad, spanish_gad7(), source="gad7-es.json")
    assert spanish.language == "es" and spanish.title == "Escala GAD-7 (prueba)"
    assert spanish.wording is not None and spanish.wording.validated is True
    assert spanish.items[0].text == f"Texto de prueba {gad.items[0].linkId}"
    assert spanish.items[0].answerOption[0].label == "Respuesta 0"
    answers = {item.linkId: 2 for item in gad.items if item.type == "choice"}
    assert score(spanish, answers) == score(gad, answers)


def test_a_spanish_pack_must_label_every_answer():
    gad = instrument_registry().get("gad-7")
    with pytest.raises(InstrumentPackError, match="has no answer labels"):
        apply_pack(gad, spanish_gad7(option_labels=None), source="gad7-es.json")

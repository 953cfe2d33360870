"""Which questionnaires a clinic has worded, per reader's language (issue 22): a licensed one is
worded for every reader once the clinic installs its English wording; a Spanish pack alone words
it for Spanish readers only, so it is not sent to English readers, who would see neutral labels."""

from backto.capabilities.instruments.actions import instrument_pack_install
from backto.capabilities.instruments.queries import (
    instrument_with_text,
    worded_keys,
    wording_missing,
)
from backto.capabilities.measures.queries import FamilyWording, due_for_family
from backto.clinical.instrument_packs import InstrumentPack as PackContent
from backto.clinical.instrument_registry import instrument_registry
from tests.conftest import install_test_wording
from tests.measures.conftest import baseline

FDI = instrument_registry().get("fdi-parent")


def install_spanish_fdi(clinic) -> None:
    pack = PackContent(
        instrument=FDI.id,
        version=FDI.version,
        language="es",
        validated=True,
        licensed_to="the test clinic",
        items={item.linkId: f"Pregunta {item.linkId}" for item in FDI.items},
        option_labels={str(o.value): f"Opción {o.value}" for o in FDI.items[0].answerOption},
    )
    instrument_pack_install(clinic=clinic, pack=pack, source_name="fdi-es.json", username="t")


def test_shipped_wording_is_worded_in_every_language(clinic):
    pgic = instrument_registry().get("pgic-parent")
    assert pgic.key in worded_keys(clinic)
    assert pgic.key in worded_keys(clinic, "es")
    assert FDI.key not in worded_keys(clinic) and FDI.key not in worded_keys(clinic, "es")


def test_a_spanish_pack_alone_words_it_for_spanish_readers_only(clinic):
    install_spanish_fdi(clinic)
    assert FDI.key not in worded_keys(clinic)
    assert FDI.key in worded_keys(clinic, "es") and FDI.key in worded_keys(clinic, "es-MX")
    # An English reader would be shown the neutral labels: still missing for the admin.
    assert instrument_with_text(clinic, FDI.id).items[0].text == FDI.items[0].text
    assert [i.id for i in wording_missing(clinic, [FDI.id])] == [FDI.id]


def test_the_english_pack_words_it_for_every_reader(clinic):
    install_test_wording(clinic, FDI.id)
    assert FDI.key in worded_keys(clinic) and FDI.key in worded_keys(clinic, "es")
    assert wording_missing(clinic, [FDI.id]) == []


def test_an_english_reader_is_not_sent_a_questionnaire_worded_only_in_spanish(
    clinic, gina, maya, active
):
    install_spanish_fdi(clinic)
    fdi = baseline(active, FDI.id)
    assert FamilyWording(clinic).at_visit(fdi)
    waiting = due_for_family(gina, [maya.pk])
    assert fdi not in waiting.to_fill_in.get(maya.pk, [])
    install_test_wording(clinic, FDI.id)
    assert not FamilyWording(clinic).at_visit(fdi)
    assert fdi in due_for_family(gina, [maya.pk]).to_fill_in[maya.pk]


def test_it_is_one_query(clinic, django_assert_num_queries):
    with django_assert_num_queries(1):
        worded_keys(clinic, "es")

"""The clinic admin's questionnaires page lists the languages each questionnaire can be shown in
(issue 22): its English wording (shipped or installed), the Spanish BackTo ships, and the
clinic's installed translations, validated or not; read in one query however many there are."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from backto.capabilities.instruments.actions import instrument_pack_install
from backto.capabilities.instruments.queries import WordingLanguage, wording_languages
from backto.clinical.instrument_packs import InstrumentPack as PackContent
from backto.clinical.instrument_registry import instrument_registry
from tests.conftest import install_test_wording

URL = reverse("instrument_admin")


def install_spanish(clinic, instrument_id: str, *, validated: bool) -> None:
    instrument = instrument_registry().get(instrument_id)
    pack = PackContent(
        instrument=instrument.id,
        version=instrument.version,
        language="es",
        validated=validated,
        items={item.linkId: f"Pregunta {item.linkId}" for item in instrument.items},
        option_labels={str(o.value): f"Opción {o.value}" for o in instrument.items[0].answerOption},
    )
    instrument_pack_install(clinic=clinic, pack=pack, source_name="es.json", username="t")


def key(instrument_id: str) -> tuple[str, str]:
    return instrument_registry().get(instrument_id).key


def test_the_languages_of_each_instrument(clinic):
    found = wording_languages(clinic)
    assert found[key("pgic-parent")] == [
        WordingLanguage("en", installed=False, original=True, validated=True),
        WordingLanguage("es", installed=False, original=False, validated=False),
    ]
    assert found[key("fdi-parent")] == []  # licensed, nothing installed
    install_spanish(clinic, "fdi-parent", validated=True)
    assert wording_languages(clinic)[key("fdi-parent")] == [
        WordingLanguage("es", installed=True, original=False, validated=True)
    ]
    install_test_wording(clinic, "fdi-parent")
    assert [(w.language, w.installed) for w in wording_languages(clinic)[key("fdi-parent")]] == [
        ("en", True),
        ("es", True),
    ]


def test_a_newer_spanish_revision_decides_whether_it_is_validated(clinic):
    install_spanish(clinic, "fdi-child", validated=False)
    install_spanish(clinic, "fdi-child", validated=True)
    assert wording_languages(clinic)[key("fdi-child")][-1].validated is True


def test_the_admin_reads_the_languages_on_the_page(as_user, ada, clinic):
    install_spanish(clinic, "fdi-parent", validated=False)
    page = as_user(ada).get(URL).content.decode()
    assert "Shown in: English (ships with BackTo); Spanish (ships with BackTo, not a validated" in (
        page
    )
    assert (
        "Shown in: Spanish (installed pack, not a validated translation). Without its English "
        "wording it is not sent to families." in page
    )
    assert "Shown in: no language yet (neutral labels only)." in page  # fdi-child


def test_the_page_in_spanish(as_user, ada, clinic):
    ada.language = "es"
    ada.save(update_fields=["language"])
    install_test_wording(clinic, "fdi-parent")
    install_spanish(clinic, "fdi-parent", validated=True)
    page = as_user(ada).get(URL).content.decode()
    assert "<h1>Cuestionarios</h1>" in page
    assert (
        "Se muestra en: inglés (instalado); español (paquete instalado, traducción validada)"
        in (page)
    )


def test_the_page_reads_the_same_number_of_queries_however_many_packs(as_user, ada, clinic):
    client = as_user(ada)
    client.get(URL)
    with CaptureQueriesContext(connection) as before:
        assert client.get(URL).status_code == 200
    install_test_wording(clinic)
    for instrument_id in ("fdi-parent", "fdi-child", "gad-7"):
        install_spanish(clinic, instrument_id, validated=True)
    with CaptureQueriesContext(connection) as after:
        assert client.get(URL).status_code == 200
    assert len(after) == len(before)

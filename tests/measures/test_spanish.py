"""A family that reads Spanish answers its questionnaires in Spanish when the clinic has them,
else in English, and the care team is told which (never silently)."""

from django.urls import reverse

from backto.capabilities.instruments.actions import instrument_pack_install
from backto.capabilities.instruments.queries import instrument_with_text
from backto.clinical.instrument_packs import InstrumentPack as PackContent
from backto.clinical.instrument_registry import instrument_registry
from tests.conftest import install_test_wording
from tests.measures.conftest import baseline


def url(administration) -> str:
    return reverse("administration", args=[administration.pk])


def reads_spanish(person) -> None:
    person.language = "es"
    person.save(update_fields=["language"])


def answer_all(client, administration, value: str = "2") -> None:
    instrument = instrument_registry().get(administration.instrument_id)
    answers = {item.linkId: value for item in instrument.items if item.type == "choice"}
    response = client.post(url(administration), {**answers, "nav": "finish"})
    assert response.status_code == 302, response.content.decode()[:2000]


def test_a_spanish_parent_answers_a_project_instrument_in_spanish(as_user, gina, pat, active):
    reads_spanish(gina)
    school = baseline(active, "school")
    page = as_user(gina).get(url(school)).content.decode()
    assert '<html lang="es"' in page
    assert "Asistencia a la escuela" in page and "Todo el día en la escuela" in page
    assert "Full day at school" not in page and 'lang="en"' not in page
    assert "Guardar y terminar después" in page and "están en inglés" not in page
    answer_all(as_user(gina), school)
    school.refresh_from_db()
    assert (school.state, school.language, school.reader_language) == ("completed", "es", "es")
    assert school.wording_revision is None
    result = as_user(pat).get(url(school)).content.decode()
    assert (
        "Answered in Spanish, in the BackTo project&#x27;s wording: not a validated translation."
        in result
    )


def test_an_english_reader_is_asked_in_english(as_user, gina, active):
    school = baseline(active, "school")
    page = as_user(gina).get(url(school)).content.decode()
    assert "School attendance" in page and "Asistencia" not in page
    answer_all(as_user(gina), school)
    school.refresh_from_db()
    assert (school.language, school.reader_language) == ("en", "en")


def test_a_licensed_instrument_without_spanish_is_shown_in_english_and_the_team_is_told(
    as_user, gina, pat, active, clinic
):
    install_test_wording(clinic, "fdi-parent")
    reads_spanish(gina)
    fdi = baseline(active, "fdi-parent")
    page = as_user(gina).get(url(fdi)).content.decode()
    assert "Test wording of fdi-parent item 1" in page
    assert '<div lang="en">' in page and "están en inglés" in page
    answer_all(as_user(gina), fdi)
    fdi.refresh_from_db()
    assert (fdi.language, fdi.reader_language) == ("en", "es")
    note = "Answered in English: this family reads Spanish; no Spanish version is installed."
    staff = as_user(pat)
    assert note in staff.get(url(fdi)).content.decode()
    measures = staff.get(reverse("episode_measures", args=[active.pk])).content.decode()
    assert note in measures


def test_a_spanish_pack_installs_and_is_then_shown(as_user, gina, pat, active, clinic):
    install_test_wording(clinic, "fdi-parent")
    fdi = instrument_registry().get("fdi-parent")
    spanish = PackContent(
        instrument=fdi.id,
        version=fdi.version,
        language="es",
        validated=False,
        licensed_to="the test clinic",
        title="Inventario de prueba",
        items={item.linkId: f"Pregunta de prueba {item.linkId}" for item in fdi.items},
        option_labels={str(o.value): f"Opción {o.value}" for o in fdi.items[0].answerOption},
    )
    row = instrument_pack_install(
        clinic=clinic, pack=spanish, source_name="fdi-es.json", username="tests"
    )
    assert row.language == "es" and row.revision == 2
    reads_spanish(gina)
    administration = baseline(active, "fdi-parent")
    page = as_user(gina).get(url(administration)).content.decode()
    assert "Pregunta de prueba 1" in page and "Opción 0" in page
    assert "Test wording" not in page and "No es una traducción validada." in page
    answer_all(as_user(gina), administration)
    administration.refresh_from_db()
    assert (administration.language, administration.wording_revision) == ("es", 2)
    result = as_user(pat).get(url(administration)).content.decode()
    assert "not a validated translation" in result


def test_a_spanish_pack_for_a_shipped_instrument_is_its_spanish_wording(clinic):
    gad = instrument_registry().get("gad-7")
    pack = PackContent(
        instrument=gad.id,
        version=gad.version,
        language="es",
        validated=True,
        items={item.linkId: f"Texto {item.linkId}" for item in gad.items},
        option_labels={str(o.value): f"R {o.value}" for o in gad.items[0].answerOption},
    )
    row = instrument_pack_install(clinic=clinic, pack=pack, source_name="gad-es", username="t")
    assert row.language == "es"
    assert instrument_with_text(clinic, "gad-7", language="es").items[0].text.startswith("Texto")
    assert instrument_with_text(clinic, "gad-7").language == "en"

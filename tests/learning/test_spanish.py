"""The learning pages and the pain-cycle explainer in Spanish: the shipped pages readable at
their readers' grade by a Spanish formula, served to a Spanish reader, and the explainer's every
word in Spanish."""

import json
import re

import pytest
from django.urls import reverse
from django.utils import translation

from backto.capabilities.learning import explainer
from backto.capabilities.learning.content import AUDIENCES, content_language, shipped_pages
from backto.capabilities.learning.models import LearningPage, PageAssignment
from backto.capabilities.learning.readability import (
    MAX_GRADE,
    fernandez_huerta,
    grade_from_ease,
    plain_text,
    reading_grade,
)
from backto.clinical.pain_cycle import PRESETS, WORDS, describe, describe_beat, run
from tests.conftest import spanish
from tests.learning.test_content import running_text

SPANISH = list(shipped_pages("es").values())


def test_every_english_page_has_a_spanish_page_on_the_same_topic() -> None:
    assert set(shipped_pages("es")) == set(shipped_pages())
    for page in SPANISH:
        english = shipped_pages()[(page.audience, page.slug)]
        assert page.position == english.position and page.title != english.title


@pytest.mark.parametrize("page", SPANISH, ids=lambda p: f"es/{p.audience}/{p.slug}")
def test_each_spanish_page_reads_at_or_below_its_readers_grade(page) -> None:
    grade = reading_grade(page.body, "es")
    assert grade <= MAX_GRADE[page.audience], f"grade {grade:.1f}"
    assert page.title and page.summary and len(page.body) > 300


@pytest.mark.parametrize("page", SPANISH, ids=lambda p: f"es/{p.audience}/{p.slug}")
def test_no_spanish_page_tells_a_reader_they_have_a_diagnosis(page) -> None:
    text = " ".join([page.title, page.summary, plain_text(page.body)]).lower()
    subject = r"(tú|usted|su hij[oa]|tu hij[oa]|él|ella|ellos|su niñ[oa])"
    pattern = rf"\b{subject}\s+(tiene|tienes|tuvo|padece|padeces)\s+(el\s+)?(amps|crps|sdrc|fibromialgia)\b"
    assert not re.search(pattern, text)
    assert not re.search(r"\b(tu|su)\s+(amps|crps|fibromialgia)\b", text)


def test_the_kids_pages_say_tu_and_the_parents_pages_say_usted() -> None:
    """Words a parents' page quotes (the child's question, praise said out loud) aside."""
    for page in SPANISH:
        text = re.sub(r"¿[^?]*\?|\"[^\"]*\"", "", plain_text(page.body).lower())
        if page.audience == "kids":
            assert not re.search(r"\busted\b", text), page.slug
        else:
            assert not re.search(r"\b(tú|tienes|puedes|quieres)\b", text), page.slug


def test_the_spanish_pain_cycle_pages_lead_to_the_explainer_and_signs_put_fever_first() -> None:
    for audience in AUDIENCES:
        assert "(/learn/explainer/)" in shipped_pages("es")[(audience, "pain-cycle")].body
        body = shipped_pages("es")[(audience, "signs")].body.lower()
        assert "fiebre" in body[: len(body) // 2]


def test_fernandez_huerta_on_a_known_sentence() -> None:
    # 7 words, 2 sentences, 11 syllables: el ga·to se sen·tó, el pe·rro co·rrió.
    text = "El gato se sentó. El perro corrió."
    assert fernandez_huerta(text) == pytest.approx(206.84 - 60 * 11 / 7 - 1.02 * 7 / 2)


def test_the_published_table_turns_reading_ease_into_the_same_grade_targets() -> None:
    table = {100: 3.0, 90: 4.0, 85: 4.5, 80: 5.0, 70: 6.0, 65: 7.0, 60: 8.0, 50: 12.0, 0: 18.0}
    for ease, grade in table.items():
        assert grade_from_ease(ease) == pytest.approx(grade)
    # The targets mean the table's bands: kids 90 or more (4th grade), parents 60 or more.
    assert grade_from_ease(90) <= MAX_GRADE["kids"] < grade_from_ease(89.9)
    assert grade_from_ease(60) <= MAX_GRADE["parents"] < grade_from_ease(59.9)
    assert grade_from_ease(150) == 0.0


def test_spanish_text_is_graded_in_spanish_and_english_stays_english() -> None:
    import textstat

    english = "The cat sat on the mat. It was a sunny day."
    before = textstat.flesch_kincaid_grade(english)
    hard = "Consideraciones interdisciplinarias imprescindibles caracterizaron la rehabilitación."
    assert reading_grade(hard, "es") > 12
    assert reading_grade("Tu cuerpo tiene una alarma. Te cuida.", "es") < 4
    assert textstat.flesch_kincaid_grade(english) == before


def test_a_language_code_finds_its_pages() -> None:
    assert content_language("es") == content_language("es-mx") == "es"
    assert content_language("fr") == content_language(None) == "en"


@pytest.mark.parametrize("audience", AUDIENCES)
def test_each_spanish_index_page_reads_at_or_below_its_readers_grade(as_user, gina, audience):
    html = as_user(spanish(gina)).get(reverse("learning_index"), {"for": audience})
    text = running_text(html.content.decode())
    assert shipped_pages("es")[(audience, "pain-cycle")].summary in text
    grade = grade_from_ease(fernandez_huerta(text))
    assert grade <= MAX_GRADE[audience], f"grade {grade:.1f}: {text}"


def test_a_spanish_guardian_reads_the_spanish_pages(as_user, gina):
    client = as_user(spanish(gina))
    index = client.get(reverse("learning_index")).content.decode()
    assert '<html lang="es"' in index
    assert shipped_pages("es")[("parents", "what-is-amps")].title in index
    assert shipped_pages()[("parents", "what-is-amps")].title not in index
    assert "Páginas para aprender" in index
    page = client.get(reverse("learning_page", args=["parents", "pain-cycle"])).content.decode()
    assert shipped_pages("es")[("parents", "pain-cycle")].title in page
    assert "El mismo tema, para niños y adolescentes" in page
    assert shipped_pages("es")[("kids", "pain-cycle")].title in page
    assert 'lang="en"' not in page


def test_a_spanish_teen_reads_the_kids_pages_in_spanish(as_user, maya_teen):
    index = as_user(spanish(maya_teen)).get(reverse("learning_index")).content.decode()
    assert "Aprende sobre tu alarma del dolor" in index
    assert shipped_pages("es")[("kids", "pain-cycle")].title in index
    assert "Prueba el ciclo de la alarma del dolor" in index


def test_an_english_reader_still_reads_english(as_user, gina):
    page = as_user(gina).get(reverse("learning_page", args=["parents", "pain-cycle"]))
    assert shipped_pages()[("parents", "pain-cycle")].title in page.content.decode()


def add_english_page(client):
    return client.post(
        reverse("learning_page_new"),
        {"audience": "parents", "title": "Parking", "summary": "Where to park.", "body": "Lot B."},
    )


def test_a_page_without_spanish_is_shown_in_english_marked_as_english(as_user, ada, gina):
    add_english_page(as_user(ada))
    client = as_user(spanish(gina))
    index = client.get(reverse("learning_index")).content.decode()
    assert re.search(r'<li class="card" lang="en">.*Parking', index)
    assert "Por ahora, esta página solo está en inglés." in index
    page = client.get(reverse("learning_page", args=["parents", "parking"])).content.decode()
    assert '<article class="learning-page" lang="en">' in page
    assert "Esta página todavía no está en su idioma. Aquí está en inglés." in page


def test_the_clinic_writes_the_spanish_version_of_its_page(as_user, ada, gina, olive):
    add_english_page(as_user(ada))
    edit = reverse("learning_page_edit", args=["parents", "parking"]) + "?language=es"
    form = as_user(ada).get(edit).content.decode()
    assert "no Spanish version yet" in form and "Lot B." in form
    response = as_user(ada).post(
        edit, {"title": "Estacionamiento", "summary": "Dónde estacionar.", "body": "Lote B."}
    )
    assert response.status_code == 302 and response["Location"] == edit
    assert LearningPage.objects.filter(slug="parking").count() == 2
    spanish_page = as_user(spanish(gina)).get(reverse("learning_page", args=["parents", "parking"]))
    assert "Lote B." in spanish_page.content.decode()
    admin = as_user(ada).get(reverse("learning_admin")).content.decode()
    assert "Estacionamiento" in admin and "Parking" in admin


def test_the_clinic_changes_the_spanish_wording_of_a_shipped_page_only(as_user, ada, gina):
    shipped = shipped_pages("es")[("parents", "what-is-amps")]
    edit = reverse("learning_page_edit", args=["parents", "what-is-amps"]) + "?language=es"
    as_user(ada).post(edit, {"title": shipped.title, "summary": shipped.summary, "body": "Hola."})
    row = LearningPage.objects.get()
    assert (row.language, row.title, row.body) == ("es", "", "Hola.")
    english = as_user(gina).get(reverse("learning_page", args=["parents", "what-is-amps"]))
    assert "Hola." not in english.content.decode()
    restore = reverse("learning_page_restore", args=["parents", "what-is-amps"]) + "?language=es"
    as_user(ada).post(restore)
    assert LearningPage.objects.get().body == ""


def test_a_spanish_version_over_its_target_is_flagged_by_the_spanish_formula(as_user, ada):
    preview = reverse("learning_page_preview", args=["kids", "signs"]) + "?language=es"
    hard = "Consideraciones interdisciplinarias imprescindibles caracterizaron la rehabilitación."
    text = as_user(ada).post(preview, {"title": "Difícil", "body": hard}).content.decode()
    assert "Reading level (Fernández Huerta)" in text and "above the target of 4" in text
    admin = as_user(ada).get(reverse("learning_admin")).content.decode()
    assert admin.count("<td>Spanish</td>") == len(SPANISH) and "above the target" not in admin


def test_hiding_a_page_hides_it_in_every_language(as_user, ada, gina):
    edit = reverse("learning_page_edit", args=["kids", "signs"]) + "?language=es"
    as_user(ada).post(edit, {"title": "Señales", "summary": "", "body": "Texto."})
    as_user(ada).post(reverse("learning_page_visibility", args=["kids", "signs"]), {"hidden": "1"})
    url = reverse("learning_page", args=["kids", "signs"])
    assert as_user(gina).get(url).status_code == 404
    assert as_user(spanish(gina)).get(url).status_code == 404


def test_a_spanish_family_sees_the_suggested_page_in_spanish(as_user, pat, gina, maya, episode):
    PageAssignment.objects.create(
        patient=maya,
        audience="parents",
        slug="pain-cycle",
        assigned_by=pat,
        note="Antes del jueves",
    )
    client = as_user(spanish(gina))
    home = client.get(reverse("family_home")).content.decode()
    assert "Páginas que sugiere el equipo de atención" in home
    assert shipped_pages("es")[("parents", "pain-cycle")].title in home
    page = client.get(reverse("learning_page", args=["parents", "pain-cycle"])).content.decode()
    assert "El equipo de atención sugirió esta página para la familia de Maya." in page
    assert "Ya la leí" in page
    read = reverse("learning_suggestion_read", args=[PageAssignment.objects.get().pk])
    assert "Gracias por leer" in client.post(read, follow=True).content.decode()


def spanish_words():
    with translation.override("es"):
        return explainer.words()


def test_the_explainers_english_words_are_the_models() -> None:
    with translation.override("en"):
        said = explainer.words()
    assert {key: said[key] for key in WORDS} == WORDS


def test_every_word_of_the_explainer_has_spanish_with_its_placeholders() -> None:
    with translation.override("en"):
        english = explainer.words()
    words = spanish_words()
    for key, text in words.items():
        assert text != english[key] or key == "pause", key
        assert sorted(re.findall(r"%\(\w+\)s", text)) == sorted(
            re.findall(r"%\(\w+\)s", english[key])
        ), key


def test_a_spanish_reader_gets_the_explainer_in_spanish(as_user, maya_teen):
    response = as_user(spanish(maya_teen)).get(reverse("explainer"), {"preset": "amplified"})
    html = response.content.decode()
    words = spanish_words()
    assert describe(PRESETS["amplified"], words) in html
    assert describe_beat(run(PRESETS["amplified"])[-1], words) in html
    assert "Sensibilidad de la alarma" in html and "No es un modelo médico" in html
    assert 'aria-valuetext="8 de 10"' in html and "Pulso 24 de 24" in html
    data = re.search(r'data-words="([^"]*)"', html)
    assert data is not None
    from html import unescape

    assert json.loads(unescape(data.group(1))) == words
    for english in ("Stimulus", "Alarm sensitivity", "Play the loop", "Loop gain", "Beat "):
        assert english not in html.replace('name="stimulus"', ""), english


def test_the_script_holds_no_words() -> None:
    from django.conf import settings

    script = (settings.BASE_DIR / "static" / "backto" / "pain-cycle.js").read_text()
    code = "\n".join(line for line in script.splitlines() if not line.strip().startswith("//"))
    for phrase in ("Play the loop", "Pause", " of 10", "Beat ", "Loop gain", "stimulus stops"):
        assert phrase not in code, phrase

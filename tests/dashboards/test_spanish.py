"""The family's home in Spanish (a parent's "usted", a teen's "tú"), the clinic's own texts in the
reader's language where the clinic wrote them, and the family's language shown to staff."""

from django.urls import reverse

from tests.conftest import spanish, start_program
from tests.dashboards.test_celebration import celebration, days_written, saved

HOME = reverse("family_home")


def test_a_spanish_guardian_reads_the_family_home_in_spanish(as_user, gina, maya, episode, pat):
    start_program(episode, pat)
    page = as_user(spanish(gina)).get(HOME).content.decode()
    assert '<html lang="es">' in page
    for words in (
        "Hola, Gina",
        "Maya está en el programa. Cada pequeño paso cuenta.",
        "Diario del día",
        "ejercicios de hoy",
        "Progreso",
        "Equipo de atención",
        "fisioterapia",
        "Quién ha abierto el expediente de Maya",
        "Inicio",
        "Mensajes",
        "Cerrar sesión",
        "No da diagnósticos",
    ):
        assert words in page, words
    for english in ("Today's diary", "Care team", "Sign out", "Every small step counts"):
        assert english not in page, english


def test_a_spanish_teen_is_spoken_to_as_tu(as_user, maya_teen, maya, episode, pat):
    start_program(episode, pat)
    page = as_user(spanish(maya_teen)).get(HOME).content.decode()
    assert "Tu programa" in page and "Estás en el programa." in page
    assert "Escribir el diario de hoy" in page and "Mis ejercicios" in page


def test_the_celebration_counts_days_in_spanish(as_user, gina, maya_teen, maya, active):
    days_written(maya, maya_teen, [0, 1, 2, 3])
    page = as_user(spanish(gina)).get(saved(maya, "created")).content.decode()
    said = celebration(page)
    assert "¡Guardado! Gracias por escribir hoy." in said
    assert "Ya van 4 días seguidos con el diario de Maya." in said


def test_the_clinic_s_own_spanish_texts_reach_a_spanish_reader(as_user, gina, maya, clinic):
    clinic.phone = "555 0100"
    clinic.hours = "Mon–Fri 8am–5pm"
    clinic.when_to_call = "Call us if the pain is new."
    clinic.crisis_line = "988"
    clinic.translations = {"es": {"hours": "lunes a viernes, de 8 a 17 h"}}
    clinic.save()
    page = as_user(spanish(gina)).get(HOME).content.decode()
    assert "Cómo comunicarse con Lakeside Pain Program" in page
    assert "<dd>lunes a viernes, de 8 a 17 h</dd>" in page
    # Not written in Spanish: the English text, marked as English for a screen reader.
    assert '<p lang="en">Call us if the pain is new.</p>' in page
    english = clinic.text_for_reader("hours", "en")
    assert str(english) == "Mon–Fri 8am–5pm" and english.lang == ""


def test_the_default_help_message_comes_in_spanish(clinic):
    words = clinic.text_for_reader("help_message", "es")
    assert "988" in str(words) and "911" in str(words) and words.lang == ""
    assert "llame" in str(words)
    clinic.help_message = "Call Dr. Lee at home."
    assert clinic.text_for_reader("help_message", "es").lang == "en"


def test_the_access_log_is_in_spanish(as_user, gina, maya):
    page = as_user(spanish(gina)).get(reverse("access_log", args=[maya.pk])).content.decode()
    assert "Quién ha abierto el expediente de Maya" in page
    assert "Parte del expediente" in page and "Vio" in page


def test_staff_see_the_family_s_language_on_the_overview(as_user, pat, gina, maya, episode):
    maya.family_language = "es"
    maya.save(update_fields=["family_language"])
    page = as_user(pat).get(reverse("patient_overview", args=[maya.pk])).content.decode()
    assert "Language BackTo uses with this family" in page
    assert '<span lang="es">Español</span>' in page
    # Gina's account still reads English: the care team sees that it differs.
    assert "reads BackTo in" in page and '<span lang="en">English</span>' in page


def test_the_family_does_not_see_the_staff_language_notes(as_user, gina, maya, episode):
    page = as_user(gina).get(reverse("patient_overview", args=[maya.pk])).content.decode()
    assert "Language BackTo uses with this family" not in page and "reads BackTo in" not in page


def test_staff_see_the_family_s_language_on_the_caseload(as_user, cora, pat, maya, episode, leo):
    maya.family_language = "es"
    maya.save(update_fields=["family_language"])
    page = as_user(pat).get(reverse("clinician_home")).content.decode()
    assert page.count('<span lang="es">Español</span>') == 1

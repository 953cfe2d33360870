"""The progress page and the reports in the reader's language (issue #22): a Spanish-speaking
family reads its page, charts and family report in Spanish; a letter follows the clinic."""

from html import unescape

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.dateformat import format as date_format

from backto.readers.progress.functional import what_you_can_do
from backto.readers.progress.queries import episode_progress
from backto.readers.progress.reports import (
    REPORTS,
    render_report,
    report_context,
    report_language,
)
from tests.conftest import TODAY
from tests.progress.test_functional_tests_progress import (  # noqa: F401
    FIRST,
    LATEST,
    record,
    tested,
)
from tests.progress.test_reports import pdf_pages


def reads_spanish(user):
    user.language = "es"
    user.save(update_fields=["language"])
    return user


def family_speaks_spanish(episode):
    patient = episode.patient
    patient.family_language = "es"
    patient.save(update_fields=["family_language"])
    return episode


def url(episode):
    return reverse("progress", args=[episode.pk])


def test_a_spanish_speaking_parent_reads_the_page_and_its_charts_in_spanish(as_user, gina, running):
    page = unescape(as_user(reads_spanish(gina)).get(url(running)).content.decode())
    assert '<html lang="es"' in page
    assert "Progreso de Maya" in page and "Actividad por semana" in page
    assert "Asistencia a la escuela por semana" in page and "Semana del" in page
    assert "Ver los números" in page and "Números de Actividad por semana" in page
    assert "Logros recientes" in page and "Informe de progreso para la familia (PDF)" in page
    assert "de 4 esta semana" in page
    # The chart's text alternative too.
    assert "Promedios de cada semana según el diario del día" in page
    for english in ("Show the numbers", "Activity by week", "Recent wins", "Week of", "Reports"):
        assert english not in page


def test_a_spanish_speaking_teen_reads_their_own_page_addressed_as_tu(as_user, maya_teen, running):
    page = unescape(as_user(reads_spanish(maya_teen)).get(url(running)).content.decode())
    assert "Mi progreso" in page and "Mis logros recientes" in page and "Mi actividad" in page
    assert "My progress" not in page


def test_the_dates_on_the_page_read_in_spanish(as_user, gina, running):
    page = unescape(as_user(reads_spanish(gina)).get(url(running)).content.decode())
    start = episode_progress(running, until=TODAY).start
    with translation.override("es"):
        said = date_format(start, r"j \d\e F \d\e Y")
    assert f"El programa empezó el {said}" in page and " de " in said


def test_what_the_child_can_do_reads_in_spanish(tested):  # noqa: F811
    progress = episode_progress(tested, until=TODAY)
    with translation.override("es"):
        parent = what_you_can_do(progress.functional, name="Maya")
        child = what_you_can_do(progress.functional)
        # with its year when the first test was in another year than the latest (the clock's)
        day = date_format(FIRST, r"j \d\e F" if FIRST.year == LATEST.year else r"j \d\e F \d\e Y")
    assert parent[0] == f"Maya caminó 520 metros en 6 minutos (380 metros el {day})"
    assert child[0] == f"caminaste 520 metros en 6 minutos (380 metros el {day})"
    assert child[1] == f"te levantaste de una silla 14 veces en 30 segundos (9 veces el {day})"


def test_the_length_of_a_program_is_counted_in_the_readers_language(running):
    progress = episode_progress(running, until=TODAY)
    with translation.override("es"):
        words = progress.length_words
    assert words.endswith("semanas") or "semanas y" in words or "días" in words
    assert "week" not in words


# --- Reports -----------------------------------------------------------------------------------


def test_the_family_report_is_in_the_familys_language_made_by_the_care_team(running, pat, gina):
    from backto.capabilities.wins.actions import win_add

    win_add(by=gina, patient=running.patient, text="Caminé hasta el buzón", happened_on=TODAY)
    family_speaks_spanish(running)
    report = REPORTS["family"]
    with translation.override("en"):  # the person asking reads English
        context = report_context(report, running, signer=pat)
        html, pdf = render_report(report, context)
        assert translation.get_language() == "en"  # given back to them afterwards
    assert context["language"] == "es"
    assert '<html lang="es">' in html
    text = " ".join(text for _, text in pdf_pages(pdf))
    assert "Cómo le va a Maya" in text and "Informe de progreso para la familia" in text
    assert "Logros" in text and "Día a día" in text and "Caminé hasta el buzón" in text
    assert "Actividad por semana" in text and "Semana del" in text
    assert "De dónde vienen los números" in text and "Página 1 de" in text
    assert "nacido o nacida el" in text and " de " in text  # the dates' Spanish word order
    for english in ("How Maya is doing", "Wins", "Day by day", "Where the numbers", "Page 1"):
        assert english not in text


def test_a_parent_downloads_the_family_report_in_their_own_accounts_language(
    as_user, gina, running
):
    reads_spanish(gina)  # the patient's family language is still English
    assert report_language(REPORTS["family"], running, gina) == "es"
    response = as_user(gina).get(reverse("report_pdf", args=[running.pk, "family"]))
    assert response.status_code == 200
    text = " ".join(text for _, text in pdf_pages(response.content))
    assert "Cómo le va a Maya" in text and "How Maya is doing" not in text


def test_staff_make_the_family_report_in_the_patients_family_language(as_user, pat, running):
    family_speaks_spanish(running)
    assert report_language(REPORTS["family"], running, pat) == "es"
    response = as_user(pat).get(reverse("report_pdf", args=[running.pk, "family"]))
    text = " ".join(text for _, text in pdf_pages(response.content))
    assert "Cómo le va a Maya" in text


def test_the_physician_letter_stays_in_the_clinics_language_when_the_family_speaks_spanish(
    as_user, pat, gina, running
):
    reads_spanish(gina)
    family_speaks_spanish(running)
    for kind in ("physician", "discharge", "school"):
        assert report_language(REPORTS[kind], running, gina) == "en"
    response = as_user(pat).get(reverse("report_pdf", args=[running.pk, "physician"]))
    text = " ".join(text for _, text in pdf_pages(response.content))
    assert "Dear colleague," in text and "Letter to the child's physician" in text
    assert "Estimado colega" not in text and "Página" not in text


@pytest.mark.parametrize("printer", ["pat", "gina"])
def test_a_spanish_clinics_physician_letter_is_in_spanish_whoever_asks(
    request, printer, running, pat
):
    clinic = running.patient.clinic
    clinic.language = "es"
    clinic.save(update_fields=["language"])
    user = request.getfixturevalue(printer)
    assert report_language(REPORTS["physician"], running, user) == "es"
    report = REPORTS["physician"]
    _, pdf = render_report(report, report_context(report, running, signer=pat))
    text = " ".join(text for _, text in pdf_pages(pdf))
    assert "Estimado colega:" in text and "Atentamente," in text
    assert "Carta al médico del niño o la niña" in text and "De dónde vienen los números" in text
    assert "Dear colleague" not in text and "With kind regards" not in text

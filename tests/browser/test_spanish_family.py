"""A parent who reads Spanish, on a phone, from the sign-in page to the family report: the diary, a
questionnaire, a learning page and the report, all in Spanish, and axe-core finds nothing on any of
them (the page's `lang` included)."""

import pypdfium2
import pytest
from playwright.sync_api import Page, expect

from backto.capabilities.diary.models import DiaryEntry
from backto.capabilities.measures.actions import mark_due
from backto.capabilities.measures.models import Administration
from tests.browser.conftest import assert_accessible, assert_no_sideways_scroll
from tests.conftest import PASSWORD, TODAY

pytestmark = pytest.mark.browser


def spanish_page(page: Page) -> None:
    expect(page.locator("html")).to_have_attribute("lang", "es")
    assert_no_sideways_scroll(page)
    assert_accessible(page)


@pytest.mark.phone
def test_a_spanish_speaking_parent_goes_through_the_program_in_spanish(
    new_page, live_server, gina, maya, running
):
    maya.family_language = "es"
    maya.save(update_fields=["family_language"])
    gina.language = "es"
    gina.save(update_fields=["language"])
    page = new_page(locale="es-MX")

    # Signing in: the page follows the browser's language before anyone is known.
    page.goto(f"{live_server.url}/accounts/login/")
    spanish_page(page)
    page.get_by_label("Usuario o correo electrónico").fill("gina")
    page.get_by_label("Contraseña").fill(PASSWORD)
    page.get_by_role("button", name="Iniciar sesión").click()
    page.wait_for_load_state()
    spanish_page(page)

    # Today's diary, in three steps and a summary.
    page.goto(f"{live_server.url}/patients/{maya.pk}/diary/")
    spanish_page(page)
    next_step = page.get_by_role("button", name="Siguiente", exact=True)
    page.get_by_label("Como la mitad").check()
    page.get_by_label("Sí, parte del día").check()
    page.get_by_label("¿Más o menos cuántas horas estuvo en la escuela?").fill("3")
    page.get_by_label("Algunos").check()
    next_step.click()
    page.get_by_label("¿Más o menos cuántas horas durmió anoche su hijo o hija?").fill("9")
    page.get_by_role("group", name="¿Cómo durmió anoche su hijo o hija?").get_by_label(
        "Más o menos"
    ).check()
    page.get_by_label("Un poco de tristeza o preocupación").check()
    spanish_page(page)
    next_step.click()
    next_step.click()
    spanish_page(page)  # the summary, to check before saving
    page.get_by_role("button", name="Guardar mi día").click()
    page.wait_for_load_state()
    spanish_page(page)  # the family's home, with the celebration
    entry = DiaryEntry.objects.get(respondent="parent")
    assert entry.answers["school_hours"] == 3 and entry.answers["mood"] == 1

    # The school questionnaire, written by the project in Spanish too.
    mark_due(TODAY)
    school = Administration.objects.get(
        episode=running, instrument_id="school", respondent="parent", state="due"
    )
    page.goto(f"{live_server.url}/questionnaires/{school.pk}/")
    spanish_page(page)
    expect(page.get_by_text("La última semana de clases, el lunes")).to_be_visible()
    for day in ("mon", "tue", "wed", "thu", "fri"):
        page.locator(f"input[name={day}][value='2']").check()
    page.locator("input[name=missed_4wk]").fill("21")
    page.get_by_role("button", name="Terminar", exact=True).click()
    expect(page.get_by_text("21 no está permitido", exact=False).first).to_be_visible()
    spanish_page(page)  # the message that names what is allowed, in Spanish
    page.locator("input[name=missed_4wk]").fill("3")
    page.get_by_role("button", name="Terminar", exact=True).click()
    page.wait_for_load_state()
    school.refresh_from_db()
    assert school.state == "completed" and school.answers["missed_4wk"] == 3
    assert school.language == "es"

    # A learning page written for Spanish-speaking parents.
    page.goto(f"{live_server.url}/learn/parents/pain-cycle/")
    spanish_page(page)
    expect(page.get_by_role("heading", level=1)).not_to_have_text("")

    # The family report, from the progress page: a PDF in Spanish.
    page.goto(f"{live_server.url}/episodes/{running.pk}/progress/")
    spanish_page(page)
    link = page.get_by_role("link", name="Informe de progreso para la familia (PDF)")
    response = page.request.get(live_server.url + link.get_attribute("href"))
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    document = pypdfium2.PdfDocument(response.body())
    text = " ".join(p.get_textpage().get_text_range() for p in document)
    document.close()
    assert "Informe" in text and "Progress report" not in text

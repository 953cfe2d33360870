"""The progress page in the browser: the chart's numbers open from their table, keyboard first,
and every page around it passes axe."""

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_accessible, assert_no_sideways_scroll, sign_in, sign_out

pytestmark = pytest.mark.browser


def test_the_pt_opens_the_numbers_behind_the_function_chart(page: Page, live_server, pat, running):
    sign_in(page, live_server.url, "pat")
    page.goto(f"{live_server.url}/episodes/{running.pk}/progress/")
    expect(page.get_by_role("heading", name="Function and pain by week")).to_be_visible()
    chart = page.get_by_role("img", name="Function and pain by week")
    expect(chart).to_be_visible()
    assert_accessible(page)
    table = page.get_by_role("region", name="Numbers for Function and pain by week")
    expect(table).to_be_hidden()
    summary = page.get_by_text("Show the numbers: Function and pain by week")
    summary.focus()
    page.keyboard.press("Enter")
    expect(table).to_be_visible()
    rows = table.get_by_role("row")
    expect(rows).to_have_count(1 + 8)  # a header and eight weeks
    expect(rows.nth(1)).to_contain_text("1")
    expect(rows.nth(8)).to_contain_text("4")
    assert_accessible(page)


@pytest.mark.phone
def test_a_teen_sees_her_progress_on_a_phone_without_pain(
    page: Page, live_server, maya_teen, running
):
    sign_in(page, live_server.url, "maya13")
    page.get_by_role("link", name="My progress").click()
    expect(page.get_by_role("heading", name="My progress", exact=True)).to_be_visible()
    expect(page.get_by_role("img", name="Activity by week")).to_be_visible()
    assert "pain" not in page.locator("main").inner_text().lower()
    assert_no_sideways_scroll(page, 360)
    assert_accessible(page)


def test_the_school_plan_pages_are_accessible(page: Page, live_server, pat, gina, running):
    sign_in(page, live_server.url, "pat")
    page.goto(f"{live_server.url}/episodes/{running.pk}/school-plan/")
    page.get_by_label("Attendance plan").fill("Mornings for two weeks, then full days.")
    page.get_by_role("button", name="Save the plan").click()
    expect(page.get_by_text("Waiting for a parent or guardian")).to_be_visible()
    assert_accessible(page)
    sign_out(page)
    sign_in(page, live_server.url, "gina")
    page.goto(f"{live_server.url}/episodes/{running.pk}/school-plan/")
    assert_accessible(page)
    page.get_by_role("button", name="I agree").click()
    expect(page.get_by_text("You approved this")).to_be_visible()


def test_a_spanish_speaking_parent_reads_the_progress_page_and_its_numbers_in_spanish(
    page: Page, live_server, gina, running
):
    gina.language = "es"
    gina.save(update_fields=["language"])
    sign_in(page, live_server.url, "gina")
    page.goto(f"{live_server.url}/episodes/{running.pk}/progress/")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.get_by_role("heading", name="Progreso de Maya")).to_be_visible()
    expect(page.get_by_role("img", name="Actividad por semana")).to_be_visible()
    page.get_by_text("Ver los números: Actividad por semana").click()
    table = page.get_by_role("region", name="Números de Actividad por semana")
    expect(table).to_be_visible()
    expect(table.get_by_role("columnheader", name="Semana del")).to_be_visible()
    expect(
        page.get_by_role("link", name="Informe de progreso para la familia (PDF)")
    ).to_be_visible()
    assert_accessible(page)

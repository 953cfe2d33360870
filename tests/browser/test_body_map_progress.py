"""The body map on the progress page in the browser (issue #19): the allodynia area, the touch
practice and the painful regions pass axe and open their numbers by keyboard; the family's words
about touch read on a phone."""

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_accessible, assert_no_sideways_scroll, sign_in
from tests.progress.test_body_map_progress import examined

pytestmark = pytest.mark.browser


def test_the_pt_reads_the_allodynia_area_and_painful_regions(
    page: Page, live_server, pat, gina, running
):
    examined(running, pat, gina)
    sign_in(page, live_server.url, "pat")
    page.goto(f"{live_server.url}/episodes/{running.pk}/progress/")
    expect(page.get_by_role("heading", name="Allodynia area", exact=True)).to_be_visible()
    expect(page.get_by_role("img", name="Allodynia area over time")).to_be_visible()
    expect(page.get_by_role("img", name="Painful regions over time")).to_be_visible()
    summary = page.get_by_text("Show the numbers: Painful regions")
    summary.focus()
    page.keyboard.press("Enter")
    table = page.get_by_role("region", name="Numbers for Painful regions")
    expect(table).to_be_visible()
    expect(table.get_by_role("row")).to_have_count(1 + 4)  # a header and four maps
    assert_accessible(page)


@pytest.mark.phone
def test_a_parent_reads_that_the_sensitive_area_got_smaller_on_a_phone(
    page: Page, live_server, pat, gina, running
):
    examined(running, pat, gina)
    sign_in(page, live_server.url, "gina")
    page.goto(f"{live_server.url}/episodes/{running.pk}/progress/")
    expect(page.get_by_text("sensitive to touch got smaller")).to_be_visible()
    assert "allodynia" not in page.locator("main").inner_text().lower()
    assert_no_sideways_scroll(page, 360)
    assert_accessible(page)

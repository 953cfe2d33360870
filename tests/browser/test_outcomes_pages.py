"""The coordinator's caseload with flags and the outcomes page, in Chromium with axe-core."""

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_accessible, sign_in
from tests.conftest import TODAY
from tests.core.test_demo import run_demo

pytestmark = pytest.mark.browser


def test_the_coordinator_filters_the_caseload_and_reads_outcomes(page: Page, live_server, db):
    run_demo("--patients", "24", "--seed", "2")
    sign_in(page, live_server.url, "demo-coordinator")
    page.get_by_label("Whose patients").select_option("clinic")
    page.get_by_label("Sort by").select_option("flags")
    expect(page.locator("#caseload table")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Show only").select_option("safety")
    expect(page.locator("#caseload")).to_contain_text("1 patient")
    expect(page.locator("#caseload")).to_contain_text("Safety answer")
    page.get_by_role("link", name="Outcomes").click()
    page.get_by_label("Program started from").fill("2020-01-01")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("heading", name="FDI bands")).to_be_visible()
    expect(page.get_by_role("region", name="FDI bands by time point")).to_be_visible()
    assert_accessible(page)


def test_the_coordinator_names_a_study_and_downloads_its_export(page: Page, live_server, db):
    run_demo("--patients", "24", "--seed", "2")
    sign_in(page, live_server.url, "demo-coordinator")
    page.get_by_role("link", name="Research export").click()
    assert_accessible(page)
    page.get_by_label("Study code").fill("PAIN-2026")
    page.get_by_role("button", name="Name a study").click()
    expect(page.get_by_role("region", name="Studies")).to_contain_text("PAIN-2026")
    page.locator('form input[name="start"]').first.fill("2020-01-01")
    page.locator('form input[name="end"]').first.fill(TODAY.isoformat())
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the zip").click()
    assert download.value.suggested_filename.endswith(".zip")
    assert_accessible(page)

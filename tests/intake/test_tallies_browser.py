"""The intake page with its numbers from the body map and the exam, in Chromium: axe-core finds
nothing, nothing scrolls sideways on a phone, and the body map link works by keyboard."""

from datetime import timedelta

import pytest
from playwright.sync_api import Page

from backto.capabilities.measures.models import Administration
from tests.browser.conftest import assert_accessible, sign_in
from tests.conftest import TODAY
from tests.exam.exam_rows import pain_map
from tests.intake.test_tallies_from_exam import SIGNS_ALL_NO, WIDESPREAD, exam, typed_intake

pytestmark = pytest.mark.browser


@pytest.mark.phone
def test_the_clinician_reads_the_exams_numbers_on_a_phone(
    page: Page, live_server, pat, maya_teen, episode
):
    typed_intake(episode, pat)
    pain_map(episode, maya_teen, TODAY - timedelta(days=2), WIDESPREAD)
    exam(episode, pat, 1, {**SIGNS_ALL_NO, "allodynia": "yes"}, "1.4")
    sign_in(page, live_server.url, "pat")
    page.goto(f"{live_server.url}/episodes/{episode.pk}/intake/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 380
    assert_accessible(page)
    assert page.get_by_text("Budapest clinical criteria tally: met").is_visible()
    link = page.get_by_role("link", name="See the body map").first
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/episodes/{episode.pk}/body-map/")


@pytest.mark.phone
def test_a_parent_is_sent_to_the_body_map_on_a_phone(page: Page, live_server, gina, episode):
    Administration.objects.create(
        episode=episode,
        instrument_id="fdi-parent",
        respondent="parent",
        timepoint="baseline",
        label="Baseline",
        due_on=TODAY,
        state="due",
    )
    sign_in(page, live_server.url, "gina")
    page.goto(f"{live_server.url}/episodes/{episode.pk}/intake/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 380
    assert_accessible(page)
    page.get_by_role("link", name="Mark where it hurts on the body map").click()
    page.wait_for_url(f"**/episodes/{episode.pk}/where-it-bothered/?for=parent")

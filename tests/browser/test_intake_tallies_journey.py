"""The intake page with its numbers from the body map and the exam, in Chromium: axe-core finds
nothing, nothing scrolls sideways on a phone, and the body map link works by keyboard."""

from datetime import timedelta

import pytest
from playwright.sync_api import Page

from backto.capabilities.measures.models import Administration
from tests.browser.conftest import assert_accessible, assert_no_sideways_scroll, sign_in
from tests.conftest import TODAY
from tests.exam.exam_rows import pain_map
from tests.intake.test_tallies_from_exam import (
    ALLODYNIA_ONLY,
    FOUR_AREAS,
    SIGNS_ALL_NO,
    WIDESPREAD,
    exam,
    typed_intake,
)

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
    assert_no_sideways_scroll(page, 380)
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
    assert_no_sideways_scroll(page, 380)
    assert_accessible(page)
    page.get_by_role("link", name="Mark where it hurts on the body map").click()
    page.wait_for_url(f"**/episodes/{episode.pk}/where-it-bothered/?for=parent")


@pytest.mark.phone
def test_the_clinician_types_what_the_exam_left_unknown_beside_the_parents_map_on_a_phone(
    page: Page, live_server, pat, gina, maya_teen, episode
):
    """Issue #19's review: the signs the exam left unknown are typed (by keyboard) and the
    parent's baseline map shows beside the child's "Nowhere right now"; axe finds nothing."""
    typed_intake(episode, pat)
    pain_map(episode, maya_teen, TODAY - timedelta(days=2), [])
    pain_map(episode, gina, TODAY - timedelta(days=3), FOUR_AREAS, respondent="parent")
    exam(episode, pat, 1, ALLODYNIA_ONLY, None)
    sign_in(page, live_server.url, "pat")
    page.goto(f"{live_server.url}/episodes/{episode.pk}/intake/")
    assert_no_sideways_scroll(page, 380)
    assert_accessible(page)
    assert page.get_by_text("a parent marked 4 painful regions (WPI 4)").first.is_visible()
    difference = page.get_by_label("Measured skin temperature difference")
    difference.focus()
    page.keyboard.type("1.6")
    tremor = page.get_by_label("Tremor (seen at exam)")
    tremor.focus()
    tremor.select_option("yes")
    page.get_by_role("button", name="Save").focus()
    with page.expect_navigation():  # saved: back to the same page, with the new tally
        page.keyboard.press("Enter")
    assert page.get_by_text("Saved.").is_visible()
    source = page.get_by_text("as typed in the intake where that exam left them unknown")
    assert "temperature difference: 1.6 °C as typed in the intake" in source.inner_text()
    assert_accessible(page)

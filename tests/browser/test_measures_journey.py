"""A child answers the FDI one question per screen on a phone (keyboard only), stops half way and
resumes; the PT sees the score with its change; a safety answer reaches the care team."""

import re

import pytest
from playwright.sync_api import Page, expect

from backto.capabilities.measures.models import Administration
from tests.browser.conftest import assert_accessible, assert_no_sideways_scroll, sign_in, sign_out

pytestmark = pytest.mark.browser


@pytest.mark.phone
def test_a_child_answers_the_fdi_one_question_per_screen(
    page: Page, live_server, worded, maya_teen, pat, maya, active
):
    sign_in(page, live_server.url, "maya13")
    expect(page.get_by_role("heading", name="Today for you")).to_be_visible()
    page.get_by_role("link", name="Functional Disability Inventory, child form").click()
    expect(page.get_by_text("Question 1 of 15")).to_be_visible()
    assert_no_sideways_scroll(page, 360)
    assert_accessible(page)
    # The first answers by keyboard: focus the option, select it with space, go on with Next.
    for number in range(1, 8):
        expect(page.get_by_text(f"Question {number} of 15")).to_be_visible()
        page.get_by_label("2", exact=True).focus()
        page.keyboard.press("Space")
        page.get_by_role("button", name="Next").focus()
        page.keyboard.press("Enter")
        page.wait_for_load_state()
    # She stops here; coming back later starts where she left off.
    expect(page.get_by_text("Question 8 of 15")).to_be_visible()
    page.get_by_role("link", name="Home").click()
    page.get_by_role("link", name="Functional Disability Inventory, child form").click()
    expect(page.get_by_text("Question 8 of 15")).to_be_visible()
    page.get_by_role("button", name="Back").click()
    expect(page.get_by_text("Question 7 of 15")).to_be_visible()
    expect(page.get_by_label("2", exact=True)).to_be_checked()
    page.get_by_role("button", name="Next").click()
    for _ in range(8, 15):
        page.get_by_label("1", exact=True).check()
        page.get_by_role("button", name="Next").click()
    expect(page.get_by_text("Question 15 of 15")).to_be_visible()
    page.get_by_label("1", exact=True).check()
    page.get_by_role("button", name="Finish").click()
    expect(page.get_by_role("heading", name="All done. Thank you!")).to_be_visible()
    assert_accessible(page)
    fdi = Administration.objects.get(
        episode=active, instrument_id="fdi-child", timepoint="baseline"
    )
    assert fdi.state == "completed" and fdi.result["total"] == "22.0"  # 7 x 2 + 8 x 1


def test_the_pt_reads_results_and_enters_a_paper_form(page: Page, live_server, pat, maya, active):
    sign_in(page, live_server.url, "pat")
    page.goto(f"{live_server.url}/episodes/{active.pk}/measures/")
    assert_accessible(page)
    page.get_by_role(
        "link", name=re.compile("Enter paper form for Functional Disability Inventory, parent form")
    ).first.click()
    expect(page.get_by_text("on the family's behalf")).to_be_visible()
    assert_accessible(page)
    for number in range(1, 16):
        page.get_by_role("group", name=f"FDI item {number}", exact=True).get_by_label(
            "3", exact=True
        ).check()
    page.get_by_role("button", name="Finish", exact=True).click()
    expect(page.get_by_text("entered from paper")).to_be_visible()
    expect(page.get_by_text("45.0", exact=True)).to_be_visible()
    assert_accessible(page)
    page.goto(f"{live_server.url}/patients/{maya.pk}/")
    expect(page.get_by_role("heading", name="Questionnaire results")).to_be_visible()
    assert_accessible(page)


def test_a_safety_alert_and_the_questionnaire_admin_page_are_accessible(
    page: Page, live_server, maya_teen, pat, ada, maya, active
):
    import uuid

    from django.utils import timezone

    from backto.capabilities.diary.actions import diary_entry_submit

    diary_entry_submit(
        by=maya_teen,
        patient=maya,
        day=timezone.localdate(),
        respondent="child",
        answers={
            "activity": 2,
            "school": 9,
            "sleep_hours": 8,
            "sleep_quality": 2,
            "mood": 0,
            "home_program": 1,
        },
        idempotency_key=uuid.uuid4(),
    )
    sign_in(page, live_server.url, "pat")
    expect(page.get_by_role("heading", name="Safety alerts to acknowledge (1)")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("daily diary")).click()
    assert_accessible(page)
    page.get_by_label("What was done").fill("Called the family; safety plan reviewed.")
    page.get_by_role("button", name="Acknowledge").click()
    expect(page.get_by_text("Alert acknowledged")).to_be_visible()
    sign_out(page)
    sign_in(page, live_server.url, "ada")
    page.get_by_role("link", name="Questionnaires", exact=True).click()
    expect(page.get_by_role("heading", name="Questionnaires")).to_be_visible()
    assert_accessible(page)

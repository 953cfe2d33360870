"""Questionnaires on a 390-px phone use the diary's controls: a parent types the days missed in a
number box (not 21 stacked radios) and taps cards for the days; a child rates pain on a slider
one question per screen, and a question left unrated stays unanswered."""

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from backto.capabilities.measures.models import Administration
from tests.browser.conftest import (
    ARTIFACTS,
    assert_accessible,
    assert_no_sideways_scroll,
    sign_in,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def phone(new_page: Callable[..., Page]) -> Page:
    return new_page()


def small_targets(page: Page) -> list[str]:
    return page.evaluate(
        """() => Array.from(document.querySelectorAll(
            'form input:not([type=hidden]), form button, form textarea, form select'))
          .filter((el) => el.getClientRects().length)
          .map((el) => [el, el.getBoundingClientRect()])
          .filter(([el, box]) => box.width < 44 || box.height < 44)
          .map(([el, box]) => `${el.name} ${Math.round(box.width)}x${Math.round(box.height)}`)"""
    )


def test_a_parent_types_the_days_missed_in_a_number_box(
    phone: Page, live_server, gina, maya, active
):
    school = Administration.objects.get(
        episode=active, instrument_id="school", timepoint="baseline"
    )
    sign_in(phone, live_server.url, "gina")
    phone.goto(f"{live_server.url}/questionnaires/{school.pk}/")
    missed = phone.locator("input[name=missed_4wk]")
    expect(missed).to_have_attribute("type", "number")
    expect(phone.locator("input[name=missed_4wk][type=radio]")).to_have_count(0)
    assert small_targets(phone) == []
    assert_no_sideways_scroll(phone)
    assert_accessible(phone)
    for day in ("mon", "tue", "wed", "thu", "fri"):
        phone.locator(f"input[name={day}][value='2']").tap()
    missed.fill("21")
    phone.get_by_role("button", name="Finish", exact=True).click()
    expect(
        phone.get_by_text("21 is not allowed; choose a whole number from 0 to 20.")
    ).to_be_visible()
    phone.screenshot(path=str(ARTIFACTS / "questionnaire-thumb-school.png"), full_page=True)
    phone.locator("input[name=missed_4wk]").fill("3")
    phone.get_by_role("button", name="Finish", exact=True).click()
    school.refresh_from_db()
    assert school.state == "completed"
    assert school.answers["missed_4wk"] == 3 and school.answers["mon"] == 2


def test_a_child_rates_pain_on_a_slider_one_question_per_screen(
    phone: Page, live_server, maya_teen, maya, active
):
    nrs = Administration.objects.get(episode=active, instrument_id="nrs-pain", timepoint="baseline")
    sign_in(phone, live_server.url, "maya13")
    phone.goto(f"{live_server.url}/questionnaires/{nrs.pk}/")
    slider = phone.get_by_role("slider")
    expect(slider).to_be_visible()
    assert small_targets(phone) == []
    assert_accessible(phone)
    slider.focus()
    phone.keyboard.press("ArrowRight")  # 6: moving it rates it
    expect(phone.get_by_label("I'll rate it")).to_be_checked()
    expect(slider).to_have_attribute("aria-valuetext", "6 out of 10")
    phone.screenshot(path=str(ARTIFACTS / "questionnaire-thumb-nrs.png"))
    phone.get_by_role("button", name="Next").click()
    expect(phone.get_by_text("Question 2 of 3")).to_be_visible()
    phone.get_by_role("button", name="Next").click()  # left unrated
    expect(phone.get_by_text("Question 3 of 3")).to_be_visible()
    slider = phone.get_by_role("slider")
    slider.focus()
    phone.keyboard.press("End")
    expect(slider).to_have_attribute("aria-valuetext", "10, worst pain you can imagine")
    phone.get_by_role("button", name="Finish", exact=True).click()
    phone.get_by_role("button", name="Finish", exact=True).click()  # yes, with one skipped
    nrs.refresh_from_db()
    assert nrs.answers == {"current": 6, "usual_week": None, "worst_week": 10} or (
        nrs.answers.get("current") == 6
        and nrs.answers.get("usual_week") is None
        and nrs.answers.get("worst_week") == 10
    )

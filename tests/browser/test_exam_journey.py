"""A PT records functional tests on a tablet (768 px) by keyboard only: a 6-minute walk and a
grip test, a mistake refused naming its field and put right; a timed up and go by touch; axe
finds nothing on the page at each step."""

import pytest
from playwright.sync_api import Page, expect

from backto.capabilities.exam.models import FunctionalTest
from tests.browser.conftest import TABLET, assert_accessible, assert_no_sideways_scroll, sign_in

pytestmark = pytest.mark.browser


def type_and_tab(page: Page, *values: str) -> None:
    """Type each value into the focused field and Tab on (an empty value skips the field)."""
    for value in values:
        if value:
            page.keyboard.type(value)
        page.keyboard.press("Tab")


@pytest.mark.tablet
def test_a_pt_records_a_walk_and_a_grip_test_by_keyboard(page: Page, live_server, pat, referred):
    sign_in(page, live_server.url, "pat")
    page.goto(f"{live_server.url}/episodes/{referred.pk}/functional-tests/")
    expect(page.get_by_role("heading", name="Functional tests", exact=True)).to_be_visible()
    assert_accessible(page)

    # The 6-minute walk is the first test: from the day (today by default; Chromium stops on
    # its month, day, year and calendar button) on, by Tab.
    page.get_by_label("Day tested").focus()
    distance = page.get_by_label("Distance walked (m)")
    for _ in range(5):
        page.keyboard.press("Tab")
        if distance.evaluate("field => field === document.activeElement"):
            break
    expect(distance).to_be_focused()
    type_and_tab(page, "480", "30", "1", "152")
    expect(page.get_by_label("Note (optional)")).to_be_focused()
    page.keyboard.type("Steady pace")
    page.keyboard.press("Enter")
    expect(page.get_by_text("6-minute walk test saved.")).to_be_visible()
    walk = page.get_by_role("region", name="Table of 6-minute walk test, 30 m course results")
    expect(walk).to_contain_text("Distance: 480.0 m")
    expect(walk).to_contain_text("no reference: no pediatric reference equation")
    expect(walk).to_contain_text("30 m course; 1 rest; height 152 cm")
    assert_accessible(page)

    # Grip strength, chosen by keyboard; a trial above the limit is refused naming the field.
    page.get_by_role("link", name="Grip strength").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/functional-tests/?test=grip#record")
    page.wait_for_load_state("load")
    expect(page.get_by_role("heading", name="Grip strength", exact=True)).to_be_visible()
    first = page.get_by_label("Left hand, trial 1 (kg)")
    first.focus()
    expect(first).to_be_focused()
    type_and_tab(page, "12.3", "140", "13", "20.04", "", "")
    page.keyboard.press("Enter")
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("The test was not saved")
    expect(alert).to_contain_text(
        "Left hand, trial 2 (kg): Trial 2: 140 is not allowed: kg, 0 to 100"
    )
    assert_accessible(page)
    # The summary's link takes the keyboard to the field; it is put right.
    alert.get_by_role("link", name="Left hand, trial 2 (kg)").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_label("Left hand, trial 2 (kg)")).to_be_focused()
    page.keyboard.press("Control+A")
    page.keyboard.type("14.55")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Grip strength saved.")).to_be_visible()
    grip = page.get_by_role("region", name="Table of Grip strength results")
    expect(grip).to_contain_text("Left hand: 14.6 kg")
    expect(grip).to_contain_text("Right hand: 20.0 kg")
    assert_no_sideways_scroll(page, TABLET["width"])
    assert_accessible(page)
    assert sorted(FunctionalTest.objects.values_list("test_id", flat=True)) == ["6mwt", "grip"]


@pytest.mark.tablet
def test_a_pt_records_a_timed_up_and_go_by_touch(page: Page, live_server, pat, referred):
    sign_in(page, live_server.url, "pat")
    page.goto(f"{live_server.url}/episodes/{referred.pk}/functional-tests/")
    page.get_by_role("link", name="Timed up and go").tap()
    page.wait_for_url("**/functional-tests/?test=tug#record")
    page.wait_for_load_state("load")
    expect(page.get_by_role("heading", name="Timed up and go", exact=True)).to_be_visible()
    page.get_by_label("Time (seconds)").tap()
    page.keyboard.type("7.25")
    page.get_by_label("Fast, without running").tap()
    page.get_by_role("button", name="Save the result").tap()
    expect(page.get_by_text("Timed up and go saved.")).to_be_visible()
    expect(page.get_by_role("heading", name="Timed up and go, fast pace")).to_be_visible()
    assert_accessible(page)
    assert FunctionalTest.objects.get().result["values"] == {"seconds": 7.3}
    # The child's overview shows it in its card, which links back to the page.
    page.goto(f"{live_server.url}/patients/{referred.patient_id}/")
    card = page.get_by_role("region", name="Table of functional tests: latest and change")
    expect(card).to_contain_text("Time 7.3 s")
    expect(card).to_contain_text("needs a second result")
    assert_accessible(page)
    page.get_by_role("link", name="Functional tests over time, and record one").tap()
    expect(page.get_by_role("heading", name="Functional tests", exact=True)).to_be_visible()

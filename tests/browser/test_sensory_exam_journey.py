"""A PT records a sensory exam on a tablet (768 px): by keyboard only (a brush territory drawn on
the body map, a mistake refused naming its field and put right, temperatures both sides, a sign
chosen with the arrow keys), and by touch (a cold territory tapped on the map); axe finds nothing
on the page at each step."""

from decimal import Decimal

import pytest
from playwright.sync_api import Locator, Page, expect

from backto.capabilities.exam.models import SensoryExam
from tests.browser.conftest import TABLET, assert_accessible, assert_no_sideways_scroll, sign_in

pytestmark = pytest.mark.browser


def stimulus(page: Page, name: str) -> Locator:
    """The fieldset of one stimulus, by its legend."""
    return page.get_by_role("group", name=name, exact=True)


def focused(locator: Locator) -> bool:
    return bool(locator.evaluate("field => field === document.activeElement"))


@pytest.mark.tablet
def test_a_pt_records_an_exam_by_keyboard(page: Page, live_server, pat, referred):
    sign_in(page, live_server.url, "pat")
    page.goto(f"{live_server.url}/episodes/{referred.pk}/sensory-exam/")
    expect(page.get_by_role("heading", name="Sensory exam", exact=True)).to_be_visible()
    assert_accessible(page)

    brush = stimulus(page, "Light brush")
    brush.get_by_label("Light brush tested").focus()
    page.keyboard.press("Space")
    expect(brush.get_by_label("Light brush tested")).to_be_checked()
    # The map opens from its summary by Enter; a region is a checkbox ticked by Space.
    brush.get_by_text("Draw where it evoked pain").focus()
    page.keyboard.press("Enter")
    shin = brush.get_by_label("Right shin")
    shin.focus()
    expect(shin).to_be_focused()
    page.keyboard.press("Space")
    expect(shin).to_be_checked()
    brush.get_by_label("Top of the right foot").focus()
    page.keyboard.press("Space")
    # Saved without the evoked pain: refused, naming the field, with a link to it.
    page.get_by_role("button", name="Save the exam").focus()
    page.keyboard.press("Enter")
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("The exam was not saved")
    expect(alert).to_contain_text("Light brush: evoked pain (0 to 10): Required with a territory")
    assert_accessible(page)
    alert.get_by_role("link", name="Light brush: evoked pain (0 to 10)").focus()
    page.keyboard.press("Enter")
    pain = page.get_by_label("Light brush: evoked pain (0 to 10)")
    expect(pain).to_be_focused()
    page.keyboard.type("6")
    # What was drawn is kept, and the map is open to show it.
    expect(stimulus(page, "Light brush").get_by_label("Right shin")).to_be_checked()

    # Temperatures, Tab by Tab: where, the affected side, the other side.
    site = page.get_by_label("Skin temperature, site 1: where")
    site.focus()
    page.keyboard.type("Back of the foot")
    for value in ("30.1", "31.6"):
        page.keyboard.press("Tab")
        page.keyboard.type(value)
    expect(page.get_by_label("Skin temperature, site 1: other side (°C)")).to_have_value("31.6")
    # A sign: the radio group moves with the arrow keys.
    colour = page.get_by_role("group", name="Colour change", exact=True)
    colour.get_by_label("Not checked").focus()
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    expect(colour.get_by_label("Yes", exact=True)).to_be_checked()
    page.get_by_label("Note (optional)").focus()
    page.keyboard.type("Managed well")
    page.keyboard.press("Enter")

    expect(page.get_by_text("Sensory exam saved.")).to_be_visible()
    latest = page.locator("section", has=page.get_by_role("heading", name="Exam on "))
    expect(latest).to_contain_text("Allodynia area: 3.2% of body surface")
    temperatures = page.get_by_role("region", name="Skin temperature on")
    expect(temperatures).to_contain_text("-1.5 °C · flagged: more than 1.0 °C")
    expect(page.get_by_text("Signs recorded at this exam: 2 of 4 categories")).to_be_visible()
    expect(page.get_by_role("img", name="Allodynia territory on")).to_be_visible()
    assert_no_sideways_scroll(page, TABLET["width"])
    assert_accessible(page)
    exam = SensoryExam.objects.get()
    # Maya is 13: the shin is 0.30 of a 6 % lower leg, the top of the foot 0.4 of 3.5 %.
    assert exam.allodynia_percent == Decimal("3.2")
    assert exam.result["temperature_difference_c"] == "-1.5"


@pytest.mark.tablet
def test_a_pt_records_an_exam_by_touch(page: Page, live_server, pat, referred):
    sign_in(page, live_server.url, "pat")
    page.goto(f"{live_server.url}/episodes/{referred.pk}/sensory-exam/")
    cold = stimulus(page, "Cold")
    cold.get_by_text("Draw where it evoked pain").tap()
    heel = cold.get_by_label("Right heel and sole")
    heel.tap()
    expect(heel).to_be_checked()
    cold.get_by_label("Cold: evoked pain (0 to 10)").tap()
    page.keyboard.type("5")
    pinprick = stimulus(page, "Pinprick")
    pinprick.get_by_label("Pinprick tested").tap()
    page.get_by_role("group", name="Tremor", exact=True).get_by_label("No", exact=True).tap()
    page.get_by_role("button", name="Save the exam").tap()
    expect(page.get_by_text("Sensory exam saved.")).to_be_visible()
    findings = page.get_by_role("region", name="Stimuli tested on")
    expect(findings).to_contain_text("Right heel and sole")
    expect(findings).to_contain_text("nowhere: no pain evoked")
    assert_accessible(page)
    exam = SensoryExam.objects.get()
    assert exam.result["budapest_signs"]["allodynia"] == "yes"
    assert exam.result["budapest_signs"]["hyperalgesia"] == "no"
    assert exam.result["budapest_signs"]["tremor"] == "no"
    # The child's overview shows the area in its card, which links back to the page.
    page.goto(f"{live_server.url}/patients/{referred.patient_id}/")
    card = page.locator("section", has=page.get_by_role("heading", name="Allodynia area"))
    expect(card).to_contain_text("1.8% of body surface")
    assert_accessible(page)
    card.get_by_role("link", name="Sensory exams over time, and record one").tap()
    expect(page.get_by_role("heading", name="Sensory exam", exact=True)).to_be_visible()


@pytest.mark.tablet
def test_a_double_tap_on_save_keeps_one_exam(page: Page, live_server, pat, referred):
    """The same form sent twice (what a double tap sends: the same fields, the same hidden key),
    then Save pressed on the same page: one exam is kept. (The sends follow each other: the test
    database, SQLite in memory, locks a table against two writes at once; the action's
    IntegrityError path covers sends that overlap on a real database.)"""
    sign_in(page, live_server.url, "pat")
    page.goto(f"{live_server.url}/episodes/{referred.pk}/sensory-exam/")
    cold = stimulus(page, "Cold")
    cold.get_by_text("Draw where it evoked pain").tap()
    cold.get_by_label("Right heel and sole").tap()
    cold.get_by_label("Cold: evoked pain (0 to 10)").tap()
    page.keyboard.type("5")
    statuses = page.evaluate(
        """async () => {
            const form = document.querySelector("form[action$='/sensory-exam/record/']");
            const send = () => fetch(form.action, {method: "POST", body: new FormData(form)});
            const first = await send();
            const second = await send();
            return [first.status, second.status];
        }"""
    )
    assert statuses == [200, 200]  # each followed the redirect to the page
    page.get_by_role("button", name="Save the exam").click()
    expect(page.get_by_text("Sensory exam saved.")).to_be_visible()
    assert SensoryExam.objects.count() == 1
    expect(page.get_by_role("heading", name="Exam on ")).to_have_count(1)
    assert_accessible(page)

"""The diary on a 390-px phone, by thumb: a child completes it by taps in a bounded number of
interactions, every target is at least 44 x 44, axe finds nothing at any step; the same diary
saves without JavaScript, and by keyboard alone."""

from collections.abc import Callable

import pytest
from playwright.sync_api import Locator, Page, expect

from backto.capabilities.diary.models import DiaryEntry
from tests.browser.conftest import (
    ARTIFACTS,
    assert_accessible,
    assert_no_sideways_scroll,
    sign_in,
)

pytestmark = pytest.mark.browser

# The child's diary by taps (a tap on the phone's number pad counts as one, like any other):
# one answer and Next on each of the eight steps (16), two more for the hours of sleep (the box,
# then the digit), the win left empty (its Next counted above), pain by one tap on the slider
# (its Next counted), and Save my day on the summary. Keep this from growing.
MAX_CHILD_TAPS = 18
# The parent's diary is quicker still: three steps (the day; sleep and mood; skills, a win and
# pain), then the summary. Even with a part day at school (its hours: two taps more), five
# answers, the two hour boxes (four taps), three Nexts and Save.
MAX_PARENT_TAPS = 13
# The smallest touch target allowed (WCAG 2.2 2.5.8 asks 24; the issue asks 44 by 44).
MIN_TARGET = 44


@pytest.fixture
def phone(new_page: Callable[..., Page]) -> Callable[..., Page]:
    """phone(js=True) -> a page in a 390 x 844 touch screen context of its own."""
    return lambda js=True: new_page(java_script_enabled=js)


class Thumb:
    """Taps on the page, counted."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.count = 0

    def tap(self, target: Locator) -> None:
        target.tap()
        self.count += 1

    def type(self, target: Locator, text: str) -> None:
        """A tap on the box, then one tap per key of the phone's keyboard."""
        self.tap(target)
        self.page.keyboard.type(text)
        self.count += len(text)

    def slide(self, target: Locator, value: int, high: int = 10) -> None:
        """One tap on a slider's track where `value` sits."""
        box = target.bounding_box()
        assert box is not None
        thumb = 16  # the track runs between the thumb's centres at either end
        x = box["x"] + thumb / 2 + (box["width"] - thumb) * value / high
        self.page.touchscreen.tap(x, box["y"] + box["height"] / 2)
        self.count += 1

    def next(self) -> None:
        self.tap(self.page.get_by_role("button", name="Next", exact=True))


def small_targets(page: Page) -> list[str]:
    """The visible interactive things in the diary's part of the page smaller than 44 x 44."""
    return page.evaluate(
        """(min) => {
          const scope = document.querySelectorAll('form.diary-form, nav.diary-links');
          const found = [];
          scope.forEach((root) => root.querySelectorAll(
            'a[href], button, input:not([type=hidden]), select, textarea, summary'
          ).forEach((el) => {
            const box = el.getBoundingClientRect();
            const style = getComputedStyle(el);
            if (!el.getClientRects().length || style.visibility === 'hidden') { return; }
            if (box.width < min || box.height < min) {
              found.push(`${el.tagName} ${el.name || el.textContent.trim()}: ` +
                         `${Math.round(box.width)}x${Math.round(box.height)}`);
            }
          }));
          return found;
        }""",
        MIN_TARGET,
    )


def check_step(page: Page, number: int, total: int) -> None:
    expect(page.locator("[data-step-count]")).to_contain_text(f"Step {number} of {total}")
    assert page.evaluate("document.activeElement.tagName") == ("H2" if number > 1 else "BODY")
    assert_no_sideways_scroll(page)
    assert small_targets(page) == []
    assert_accessible(page)


def test_a_child_completes_the_diary_by_taps(phone, live_server, maya_teen, maya, episode):
    page = phone()
    sign_in(page, live_server.url, "maya13")
    page.goto(f"{live_server.url}/patients/{maya.pk}/diary/")
    thumb = Thumb(page)
    total = 9  # eight steps and the summary

    check_step(page, 1, total)
    thumb.tap(page.get_by_label("Most of it"))
    thumb.next()
    check_step(page, 2, total)
    thumb.tap(page.get_by_label("Yes, the whole day"))
    expect(page.get_by_label("About how many hours were you at school?")).to_be_hidden()
    thumb.next()
    check_step(page, 3, total)
    thumb.type(page.get_by_label("About how many hours did you sleep last night?"), "8")
    thumb.tap(page.get_by_label("Well", exact=True))
    thumb.next()
    check_step(page, 4, total)
    thumb.tap(page.get_by_label("Good", exact=True))
    page.screenshot(path=str(ARTIFACTS / "diary-thumb-mood.png"))
    thumb.next()
    check_step(page, 5, total)
    thumb.tap(page.get_by_label("Slow breathing"))
    thumb.next()
    check_step(page, 6, total)
    thumb.tap(page.get_by_label("All of them"))
    thumb.next()
    check_step(page, 7, total)
    thumb.next()  # no win written today: that is fine
    check_step(page, 8, total)
    slider = page.get_by_role("slider", name="How much does it hurt right now?")
    thumb.slide(slider, 3)
    chosen = int(slider.input_value())
    page.screenshot(path=str(ARTIFACTS / "diary-thumb-pain.png"))
    expect(page.get_by_label("I'll rate it")).to_be_checked()
    expect(page.locator("output")).to_have_text(str(chosen))
    assert slider.get_attribute("aria-valuetext") in (f"{chosen} out of 10", "0, no hurt")
    thumb.next()
    check_step(page, 9, total)
    page.screenshot(path=str(ARTIFACTS / "diary-thumb-summary.png"), full_page=True)
    summary = page.locator("[data-summary]")
    expect(summary).to_contain_text("Most of it")
    expect(summary).to_contain_text("8 hours · Well")
    expect(summary).to_contain_text("Nothing written (that is OK)")
    expect(summary).to_contain_text("3 out of 10" if chosen == 3 else f"{chosen} out of 10")
    thumb.tap(page.get_by_role("button", name="Save my day"))

    expect(page).to_have_url(f"{live_server.url}/family/?diary={maya.pk}&saved=created#saved")
    assert thumb.count <= MAX_CHILD_TAPS, thumb.count
    # The draft kept on the phone until the server had the entry is gone once the diary shows it.
    page.goto(f"{live_server.url}/patients/{maya.pk}/diary/")
    expect(page.get_by_text("You already wrote this day")).to_be_visible()
    drafts = "Object.keys(window.localStorage).filter(k => k.startsWith('backto:diary')).length"
    assert page.evaluate(drafts) == 0
    entry = DiaryEntry.objects.get()
    assert entry.answers == {
        "activity": 3,
        "school": 2,
        "sleep_hours": 8,
        "sleep_quality": 3,
        "mood": 3,
        "coping": [1],
        "home_program": 2,
        "pain": chosen,
    }


def test_pain_left_unrated_is_not_recorded(phone, live_server, maya_teen, maya, episode):
    """The slider sits in the middle until the child moves it; untouched, nothing is stored."""
    page = phone()
    sign_in(page, live_server.url, "maya13")
    page.goto(f"{live_server.url}/patients/{maya.pk}/diary/")
    next_button = page.get_by_role("button", name="Next", exact=True)
    page.get_by_label("Most of it").check()
    next_button.click()
    page.get_by_label("There was no school today").check()
    next_button.click()
    page.get_by_label("About how many hours did you sleep last night?").fill("9.5")
    page.get_by_role("group", name="How did you sleep last night?").get_by_label("Okay").check()
    next_button.click()
    page.get_by_label("Great").check()
    next_button.click()
    next_button.click()  # what helped: nothing ticked
    page.get_by_label("Some of them").check()
    next_button.click()
    next_button.click()  # the win
    expect(page.locator("output")).to_have_text("–")
    next_button.click()
    page.get_by_role("button", name="Save my day").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    entry = DiaryEntry.objects.get()
    assert "pain" not in entry.answers and entry.answers["sleep_hours"] == 9.5


def test_the_parent_diary_is_quicker_still(phone, live_server, gina, maya, episode):
    page = phone()
    sign_in(page, live_server.url, "gina")
    page.goto(f"{live_server.url}/patients/{maya.pk}/diary/")
    thumb = Thumb(page)
    total = 4
    check_step(page, 1, total)
    thumb.tap(page.get_by_label("About half"))
    thumb.tap(page.get_by_label("Yes, part of the day"))
    thumb.type(page.get_by_label("About how many hours was your child at school?"), "3")
    thumb.tap(page.get_by_label("Some of them"))
    thumb.next()
    check_step(page, 2, total)
    thumb.type(page.get_by_label("About how many hours did your child sleep last night?"), "9")
    thumb.tap(
        page.get_by_role("group", name="How did your child sleep last night?").get_by_label("Okay")
    )
    thumb.tap(page.get_by_label("A bit sad or worried"))
    thumb.next()
    check_step(page, 3, total)
    thumb.next()
    check_step(page, 4, total)
    thumb.tap(page.get_by_role("button", name="Save my day"))
    expect(page).to_have_url(f"{live_server.url}/family/?diary={maya.pk}&saved=created#saved")
    assert thumb.count <= MAX_PARENT_TAPS, thumb.count
    entry = DiaryEntry.objects.get(respondent="parent")
    assert entry.answers["school_hours"] == 3 and entry.answers["mood"] == 1


def test_without_javascript_the_same_diary_is_one_form_that_saves(
    phone, live_server, maya_teen, maya, episode
):
    page = phone(js=False)
    sign_in(page, live_server.url, "maya13")
    page.goto(f"{live_server.url}/patients/{maya.pk}/diary/")
    expect(page.get_by_role("button", name="Next")).to_be_hidden()
    assert small_targets(page) == []
    assert_no_sideways_scroll(page)
    page.get_by_label("A little").check()
    page.get_by_label("Yes, part of the day").check()
    page.get_by_label("About how many hours were you at school?").fill("3.5")
    page.get_by_label("About how many hours did you sleep last night?").fill("7")
    page.get_by_label("Badly", exact=True).check()
    page.get_by_label("Okay", exact=True).nth(1).check()  # mood (sleep has an Okay too)
    page.get_by_label("Talking with someone").check()
    page.get_by_label("No", exact=True).check()
    page.get_by_label("What went well today? Write one win, big or small.").fill("Saw a friend")
    page.get_by_role("slider").fill("6")
    page.get_by_label("I'll rate it").check()
    page.get_by_role("group", name="Keep these answers between me and my care team").get_by_label(
        "My win today"
    ).check()
    page.get_by_role("button", name="Save my day").click()
    expect(page).to_have_url(f"{live_server.url}/family/?diary={maya.pk}&saved=created#saved")
    entry = DiaryEntry.objects.get()
    assert entry.answers["pain"] == 6 and entry.answers["mood"] == 2
    assert entry.answers["school_hours"] == 3.5 and entry.private_fields == ["win"]


def tab_to(page: Page, selector: str, limit: int = 60) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"document.activeElement.matches({selector!r})"):
            return
    raise AssertionError(f"Tab never reached {selector}")


def test_keyboard_alone_completes_the_diary(phone, live_server, maya_teen, maya, episode):
    page = phone()
    sign_in(page, live_server.url, "maya13")
    page.goto(f"{live_server.url}/patients/{maya.pk}/diary/")

    def choose(name: str, presses: int) -> None:
        """Tab into a group of radios (the first has focus) and arrow down `presses` times;
        Space picks the first."""
        tab_to(page, f"input[name={name}]")
        if presses:
            for _ in range(presses):
                page.keyboard.press("ArrowDown")
        else:
            page.keyboard.press("Space")

    def next_step() -> None:
        tab_to(page, "[data-step-next]")
        page.keyboard.press("Enter")

    choose("activity", 4)  # All of it
    next_step()
    choose("school", 0)  # Yes, the whole day
    next_step()
    tab_to(page, "input[name=sleep_hours]")
    page.keyboard.type("8")
    page.keyboard.press("Enter")  # Enter in the box moves on too, with the quality unanswered
    expect(page.locator("[data-step-count]")).to_contain_text("Step 4 of 9")
    tab_to(page, "[data-step-back]")
    page.keyboard.press("Enter")
    choose("sleep_quality", 3)  # Well
    next_step()
    choose("mood", 4)  # Great
    next_step()
    tab_to(page, "input[name=coping]")
    page.keyboard.press("Space")  # Slow breathing
    next_step()
    choose("home_program", 1)  # Some of them
    next_step()
    next_step()  # the win
    tab_to(page, "input[name=pain]")
    page.keyboard.press("ArrowLeft")  # 4: moving the slider rates it
    next_step()
    tab_to(page, "button[type=submit]")
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{live_server.url}/family/?diary={maya.pk}&saved=created#saved")
    answers = DiaryEntry.objects.get().answers
    assert (answers["activity"], answers["school"], answers["sleep_quality"]) == (4, 2, 3)
    assert (answers["mood"], answers["coping"], answers["home_program"]) == (4, [1], 1)
    assert answers["pain"] == 4 and answers["sleep_hours"] == 8


def test_a_question_still_to_answer_is_shown_on_the_summary_and_its_step_reopens(
    phone, live_server, maya_teen, maya, episode
):
    page = phone()
    sign_in(page, live_server.url, "maya13")
    page.goto(f"{live_server.url}/patients/{maya.pk}/diary/")
    next_button = page.get_by_role("button", name="Next", exact=True)
    page.get_by_label("All of it").check()
    next_button.click()
    page.get_by_label("There was no school today").check()
    next_button.click()
    page.get_by_label("About how many hours did you sleep last night?").fill("10")
    page.get_by_label("Very well").check()
    next_button.click()
    for _ in range(5):  # mood, what helped, exercises, the win, pain: all passed by
        next_button.click()
    expect(page.locator(".diary-summary-row.missing")).to_have_count(2)  # mood, exercises
    page.get_by_role("button", name="Save my day").click()
    # The server sends the form back; the first step with a question to answer opens.
    expect(page.locator("[data-step-count]")).to_contain_text("Step 4 of 9: How I felt")
    expect(page.get_by_role("heading", name="How I felt", exact=True)).to_be_focused()
    expect(page.get_by_text("How I felt: please choose an answer.")).to_be_visible()
    assert_accessible(page)
    assert not DiaryEntry.objects.exists()
    page.get_by_role("group", name="How did you feel today?").get_by_label("Okay").check()
    for _ in range(2):
        next_button.click()
    page.get_by_label("Some of them").check()
    for _ in range(3):
        next_button.click()
    page.get_by_role("button", name="Save my day").click()
    expect(page).to_have_url(f"{live_server.url}/family/?diary={maya.pk}&saved=created#saved")
    assert DiaryEntry.objects.get().answers["school"] == 9


def test_a_spanish_parent_fills_the_diary_in_spanish_by_thumb(
    phone, live_server, gina, maya, episode
):
    """Spanish words run longer: the same diary in Spanish keeps every target at 44 x 44, no
    sideways scroll and nothing for axe, in as few taps as in English."""
    gina.language = "es"
    gina.save(update_fields=["language"])
    page = phone()
    sign_in(page, live_server.url, "gina")
    page.goto(f"{live_server.url}/patients/{maya.pk}/diary/")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "El día de Maya: el diario de la madre, el padre o el tutor"
    )
    thumb = Thumb(page)
    next_button = page.get_by_role("button", name="Siguiente", exact=True)

    def check() -> None:
        assert_no_sideways_scroll(page)
        assert small_targets(page) == []
        assert_accessible(page)

    check()
    expect(page.locator("[data-step-count]")).to_contain_text("Paso 1 de 4")
    thumb.tap(page.get_by_label("Como la mitad"))
    thumb.tap(page.get_by_label("Sí, parte del día"))
    thumb.type(page.get_by_label("¿Más o menos cuántas horas estuvo en la escuela?"), "3")
    thumb.tap(page.get_by_label("Algunos"))
    thumb.tap(next_button)
    check()
    thumb.type(page.get_by_label("¿Más o menos cuántas horas durmió anoche su hijo o hija?"), "9")
    thumb.tap(
        page.get_by_role("group", name="¿Cómo durmió anoche su hijo o hija?").get_by_label(
            "Más o menos"
        )
    )
    thumb.tap(page.get_by_label("Un poco de tristeza o preocupación"))
    thumb.tap(next_button)
    check()
    thumb.tap(next_button)
    check()
    expect(page.locator("[data-step-count]")).to_contain_text("Paso 4 de 4")
    summary = page.locator("[data-summary]")
    expect(summary.get_by_role("button", name="Cambiar: ").first).to_be_visible()
    expect(summary).to_contain_text("Como la mitad")
    page.screenshot(path=str(ARTIFACTS / "diary-thumb-spanish-summary.png"), full_page=True)
    thumb.tap(page.get_by_role("button", name="Guardar mi día"))
    expect(page).to_have_url(f"{live_server.url}/family/?diary={maya.pk}&saved=created#saved")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    assert thumb.count <= MAX_PARENT_TAPS, thumb.count
    entry = DiaryEntry.objects.get(respondent="parent")
    assert entry.answers["school_hours"] == 3 and entry.answers["mood"] == 1

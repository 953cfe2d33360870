"""The learning pages and the pain-cycle explainer in Chromium: the sliders by keyboard, the
script's model against the Python one, reduced motion, and axe on every page."""

import random
from dataclasses import asdict

import pytest
from django.utils import translation
from playwright.sync_api import Browser, Page, expect

from backto.capabilities.learning import explainer
from backto.clinical.pain_cycle import PRESETS, Settings, describe, describe_beat, run
from tests.browser.conftest import assert_accessible, assert_no_sideways_scroll, sign_in, sign_out

pytestmark = pytest.mark.browser


def summary(page: Page):
    return page.locator("[data-summary]")


@pytest.mark.phone
def test_a_teen_turns_the_alarm_up_and_treatment_settles_it(page: Page, live_server, maya_teen):
    sign_in(page, live_server.url, "maya13")
    page.get_by_role("link", name="Learn").click()
    page.get_by_role("link", name="Try the pain alarm loop").click()
    expect(summary(page)).to_have_text(describe(PRESETS["normal"]))
    assert_accessible(page)

    sensitivity = page.get_by_role("slider", name="Alarm sensitivity")
    sensitivity.focus()
    for _ in range(8):
        page.keyboard.press("ArrowRight")
    expect(sensitivity).to_have_attribute("aria-valuetext", "8 of 10")
    expect(summary(page)).to_have_text(describe(PRESETS["amplified"]))
    expect(page.locator("[data-gain]")).to_have_text("1.33")

    for lever in ("Moving the body", "Desensitization", "Coping skills", "Sleep"):
        slider = page.get_by_role("slider", name=lever)
        slider.focus()
        for _ in range(6):
            page.keyboard.press("ArrowRight")
    expect(summary(page)).to_have_text(describe(PRESETS["treated"]))
    assert "quiet by beat 11" in summary(page).inner_text()

    # Step through the loop beat by beat: each beat is described in words.
    page.get_by_role("slider", name="Beat").fill("1")
    expect(page.locator("[data-beat-text]")).to_have_text(describe_beat(run(PRESETS["treated"])[0]))
    page.get_by_role("button", name="Next beat").click()
    expect(page.locator("[data-beat-text]")).to_have_text(describe_beat(run(PRESETS["treated"])[1]))
    assert_no_sideways_scroll(page, 360)
    assert_accessible(page)


def test_the_presets_and_play_respect_reduced_motion(browser: Browser, live_server, gina):
    context = browser.new_context(reduced_motion="reduce")
    page = context.new_page()
    sign_in(page, live_server.url, "gina")
    page.goto(f"{live_server.url}/learn/explainer/")
    page.get_by_role("button", name="An amplified alarm", exact=True).click()
    expect(summary(page)).to_have_text(describe(PRESETS["amplified"]))
    page.get_by_role("slider", name="Beat").fill("2")
    page.get_by_role("button", name="Play the loop").click()
    # With reduced motion, Play shows the last beat at once instead of animating.
    expect(page.locator("[data-beat-text]")).to_have_text(
        describe_beat(run(PRESETS["amplified"])[-1])
    )
    expect(page.get_by_role("button", name="Play the loop")).to_have_attribute(
        "aria-pressed", "false"
    )
    context.close()


def test_the_pages_script_gives_the_same_numbers_and_words_as_the_model(
    page: Page, live_server, gina
):
    sign_in(page, live_server.url, "gina")
    page.goto(f"{live_server.url}/learn/explainer/")
    rng = random.Random(8)
    cases = [*PRESETS.values(), Settings(stimulus=0), Settings(*[10] * 6), Settings(*[0] * 6)]
    cases += [Settings(*[rng.randint(0, 10) for _ in range(6)]) for _ in range(300)]
    from_script = page.evaluate(
        """cases => cases.map(s => {
            const model = window.BackToPainCycle;
            const beats = model.run(s);
            return {beats: beats, describe: model.describe(s),
                    beat: beats.map(model.describeBeat), gain: model.loopGain(s)};
        })""",
        [asdict(s) for s in cases],
    )
    for settings, script in zip(cases, from_script, strict=True):
        beats = run(settings)
        assert script["beats"] == [asdict(b) for b in beats], settings
        assert script["describe"] == describe(settings)
        assert script["beat"] == [describe_beat(b) for b in beats]


def test_a_spanish_teen_plays_the_loop_in_spanish(page: Page, live_server, maya_teen):
    maya_teen.language = "es"
    maya_teen.save(update_fields=["language"])
    with translation.override("es"):
        words = explainer.words()
    sign_in(page, live_server.url, "maya13")
    page.goto(f"{live_server.url}/learn/")
    page.get_by_role("link", name="Prueba el ciclo de la alarma del dolor").click()
    expect(summary(page)).to_have_text(describe(PRESETS["normal"], words))
    sensitivity = page.get_by_role("slider", name="Sensibilidad de la alarma")
    sensitivity.fill("8")
    expect(sensitivity).to_have_attribute("aria-valuetext", "8 de 10")
    expect(summary(page)).to_have_text(describe(PRESETS["amplified"], words))
    page.get_by_role("slider", name="Pulso").fill("1")
    beat = describe_beat(run(PRESETS["amplified"])[0], words)
    expect(page.locator("[data-beat-text]")).to_have_text(beat)
    expect(page.get_by_role("button", name="Ver el ciclo en marcha")).to_be_visible()
    assert_accessible(page)


def test_a_pt_suggests_a_page_and_the_guardian_reads_it(
    page: Page, live_server, pat, gina, maya, episode
):
    sign_in(page, live_server.url, "pat")
    page.goto(f"{live_server.url}/patients/{maya.pk}/")
    page.get_by_role("link", name="Suggest pages to the family").click()
    page.get_by_role("combobox", name="Page").select_option("parents/pain-cycle")
    page.get_by_label("Note for the family (optional)").fill("Worth a look before Thursday")
    page.get_by_role("button", name="Suggest it").click()
    expect(page.get_by_text("not read yet")).to_be_visible()
    assert_accessible(page)
    sign_out(page)

    sign_in(page, live_server.url, "gina")
    page.get_by_role("link", name="The pain cycle").click()
    expect(page.get_by_role("heading", level=1, name="The pain cycle")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="I have read it").click()
    expect(page.get_by_text("Thank you for reading")).to_be_visible()
    page.get_by_role("link", name="Learn").click()
    expect(page.get_by_role("link", name="The pain cycle")).to_be_visible()
    assert_accessible(page)


def test_the_admin_edits_a_page_and_sees_its_reading_level(page: Page, live_server, ada):
    sign_in(page, live_server.url, "ada")
    page.get_by_role("link", name="Learning pages").click()
    assert_accessible(page)
    page.get_by_role("link", name="Your pain alarm").click()
    page.get_by_label("Page (Markdown)").fill("Your body has an alarm. It keeps you safe.")
    page.get_by_role("button", name="Preview and check the reading level").click()
    expect(page.get_by_role("status")).to_contain_text("within the target of 4")
    assert_accessible(page)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Page saved.")).to_be_visible()
    expect(page.get_by_role("button", name="Go back to BackTo's wording")).to_be_visible()

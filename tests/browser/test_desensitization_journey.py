"""A family records a texture rub's textures on a phone, by touch-sized controls and by keyboard,
with and without JavaScript; the PT reads the log by week. axe-core finds nothing on each page."""

import re

import pytest
from playwright.sync_api import Browser, Page, ViewportSize, expect

from backto.capabilities.homeprogram import actions
from backto.capabilities.homeprogram.models import DesensitizationLog, Exercise, ExerciseLog
from tests.browser.conftest import ARTIFACTS, assert_accessible, assert_no_sideways_scroll, sign_in
from tests.conftest import TODAY

pytestmark = pytest.mark.browser

PHONE_390: ViewportSize = {"width": 390, "height": 844}


@pytest.fixture
def texture_rub(pat, episode, clinic):
    actions.starter_library_load(clinic=clinic)
    return actions.home_program_add(
        by=pat,
        episode=episode,
        exercise=Exercise.objects.get(clinic=clinic, name="Texture rub"),
        minutes=5,
        start_date=TODAY,
        times_per_day=1,
        days_per_week=7,
    )


def assert_big_targets(page: Page) -> None:
    """Every control of the texture fields is at least 44 by 44 CSS pixels or as wide as the
    card (a select or box is full width), and nothing scrolls sideways."""
    controls = page.locator(".textures select, .textures input, .textures summary, .checklist .btn")
    assert controls.count() >= 5
    for n in range(controls.count()):
        control = controls.nth(n)
        if not control.is_visible():
            continue
        box = control.bounding_box()
        assert box is not None and box["height"] >= 44 and box["width"] >= 44, (
            control.evaluate("e => e.outerHTML"),
            box,
        )
    assert_no_sideways_scroll(page)


def test_a_family_records_textures_on_a_phone_by_keyboard(
    browser: Browser, live_server, gina, episode, texture_rub
):
    context = browser.new_context(viewport=PHONE_390)
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        sign_in(page, live_server.url, "gina")
        page.goto(f"{live_server.url}/episodes/{episode.pk}/exercises/")
        expect(page.get_by_text("0 of 1 done")).to_be_visible()
        assert_big_targets(page)
        assert_accessible(page)
        # By keyboard alone: the first texture, its minutes, then a second texture.
        page.get_by_role("combobox", name="Texture or stimulus").first.focus()
        page.keyboard.press("Tab")  # the minutes box
        assert page.evaluate("document.activeElement.name") == "minutes_1"
        page.get_by_role("combobox", name="Texture or stimulus").first.select_option("soft_towel")
        page.get_by_role("spinbutton", name="Minutes").first.fill("5")
        summary = page.get_by_text("Add another texture")
        summary.focus()
        page.keyboard.press("Enter")  # opens the second and third rows
        second = page.locator("fieldset", has_text="Texture 2")
        second.get_by_role("combobox").select_option("other")
        second.get_by_role("spinbutton", name="Minutes").fill("3")
        second.get_by_role("textbox", name="If something else: what was it?").fill("sponge")
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "desensitization-phone-form.png"), full_page=True)
        assert_accessible(page)
        page.get_by_role("button", name=re.compile("Mark done.*Texture rub")).focus()
        page.keyboard.press("Enter")
        expect(page.get_by_text("1 of 1 done. All done, well done!")).to_be_visible()
        expect(
            page.get_by_text("Textures: Soft towel, 5 minutes; sponge, 3 minutes.")
        ).to_be_visible()
        page.reload()
        expect(
            page.get_by_text("This week Maya went up to a soft towel for 5 minutes")
        ).to_be_visible()
        assert_accessible(page)
        assert list(DesensitizationLog.objects.values_list("stimulus", "minutes")) == [
            ("soft_towel", 5),
            ("other", 3),
        ]
    finally:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "desensitization-phone.png"), full_page=True)
        context.close()


def test_without_javascript_a_wrong_minute_is_shown_beside_its_field(
    browser: Browser, live_server, gina, episode, texture_rub
):
    # None of the site's scripts load (htmx among them), so each tick is a plain form post; axe
    # still runs, as Playwright injects it into the page.
    context = browser.new_context(viewport=PHONE_390)
    context.route(re.compile(r"\.js(\?.*)?$"), lambda route: route.abort())
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        sign_in(page, live_server.url, "gina")
        page.goto(f"{live_server.url}/episodes/{episode.pk}/exercises/")
        page.get_by_role("combobox", name="Texture or stimulus").first.select_option("brush")
        page.get_by_role("spinbutton", name="Minutes").first.fill("90")
        page.get_by_role("button", name=re.compile("Mark done.*Texture rub")).click()
        minutes = page.get_by_role("spinbutton", name="Minutes").first
        expect(page.get_by_text("Give whole minutes from 1 to 60.")).to_be_visible()
        expect(minutes).to_have_value("90")
        assert not ExerciseLog.objects.exists()
        assert_accessible(page)
        minutes.fill("2")
        page.get_by_role("button", name=re.compile("Mark done.*Texture rub")).click()
        expect(page.get_by_text("Textures: Brush, 2 minutes.")).to_be_visible()
        assert page.evaluate("typeof window.htmx") == "undefined"
        assert_accessible(page)
    finally:
        context.close()


def test_the_pt_reads_the_log_by_week_and_cannot_tick(
    page: Page, live_server, gina, pat, episode, texture_rub
):
    from backto.clinical.desensitization import Tolerated

    actions.exercise_tick(
        by=gina,
        item=texture_rub,
        day=TODAY,
        done=True,
        tolerated=[Tolerated("rough_towel", 4), Tolerated("vibration", 6)],
    )
    sign_in(page, live_server.url, "pat")
    page.goto(f"{live_server.url}/episodes/{episode.pk}/home-program/")
    table = page.get_by_role("region", name="Desensitization log by week")
    expect(table).to_contain_text("Rough towel (step 5 of 8)")
    expect(table).to_contain_text("vibration")
    assert_accessible(page)
    page.goto(f"{live_server.url}/episodes/{episode.pk}/exercises/")
    expect(
        page.get_by_text("Textures: Rough towel, 4 minutes; Vibration, 6 minutes.")
    ).to_be_visible()
    expect(page.get_by_role("button", name=re.compile("Mark done|undo"))).to_have_count(0)
    assert_accessible(page)

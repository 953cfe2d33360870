"""The design system in Chromium: the design page fits a 1280-px screen and a 390-px phone with
nothing for axe to find; the caseload shows its whole "Needs doing" column; the buttons and links
of the caseload and the family's exercises page are big enough for a finger."""

from collections.abc import Callable
from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, ViewportSize

from backto.capabilities.homeprogram import actions
from backto.capabilities.homeprogram.models import Exercise
from tests.browser.conftest import PHONE_390, assert_accessible, sign_in
from tests.conftest import PASSWORD, TODAY

pytestmark = [pytest.mark.browser, pytest.mark.urls("tests.core.design_urls")]

DESKTOP: ViewportSize = {"width": 1280, "height": 900}
TARGET = 44

# Buttons and links in the main content smaller than a finger, leaving out links that sit in a
# line of text (a paragraph, a list item's sentence, a table caption), which WCAG 2.5.8 exempts.
SMALL_TARGETS = """() => [...document.querySelectorAll(
    'main a[href], main button, main summary, main input:not([type=hidden]), main select')]
  .filter(el => el.getClientRects().length && getComputedStyle(el).visibility !== 'hidden')
  .filter(el => !(el.tagName === 'A' && getComputedStyle(el).display === 'inline'
                  && el.closest('p, li, dd, caption, .helptext')))
  .filter(el => !['checkbox', 'radio'].includes(el.type))
  .map(el => [el.outerHTML.slice(0, 90), Math.round(el.getBoundingClientRect().height)])
  .filter(([, height]) => height < 44)"""


@pytest.fixture
def sized(new_page: Callable[..., Page]) -> Callable[[ViewportSize], Page]:
    """sized(viewport) -> a fresh page at that size (a mouse, not a touch screen)."""
    return lambda viewport: new_page(viewport=viewport, has_touch=False, is_mobile=False)


def scrolls_sideways(page: Page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth > window.innerWidth")


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE_390], ids=["1280", "390"])
def test_the_design_page_fits_and_axe_finds_nothing(sized, live_server, gina, viewport):
    page = sized(viewport)
    sign_in(page, live_server.url, "gina")
    assert page.goto(f"{live_server.url}/design/").status == 200
    assert not scrolls_sideways(page)
    assert_accessible(page)
    # Every chart fills its card's width, and its words stay 11 to 20 px on screen.
    charts = page.evaluate("""() => [...document.querySelectorAll('svg.chart')].map(svg => {
        const card = svg.parentElement.getBoundingClientRect();
        const size = t => parseFloat(getComputedStyle(t).fontSize) * svg.getScreenCTM().a;
        const text = [...svg.querySelectorAll('text')].map(size);
        const padding = parseFloat(getComputedStyle(svg.parentElement).paddingLeft);
        return [svg.getBoundingClientRect().width, card.width - 2 * padding, Math.min(...text), Math.max(...text)];
    })""")
    assert charts
    for width, room, smallest_text, largest_text in charts:
        assert width == pytest.approx(room, abs=2)
        assert 11 <= smallest_text <= largest_text <= 20


def test_the_caseload_shows_what_needs_doing_at_1280(sized, live_server, db):
    # The demo clinic: a dozen children with flags, overdue questionnaires and several to-dos.
    call_command("demo", "--password", PASSWORD, stdout=StringIO(), stderr=StringIO())
    page = sized(DESKTOP)
    sign_in(page, live_server.url, "demo-pt")
    page.goto(f"{live_server.url}/clinic/")
    header = page.get_by_role("columnheader", name="Needs doing")
    right = header.evaluate("th => th.getBoundingClientRect().right")
    wrap = page.locator(".table-wrap").first
    wrap_right = wrap.evaluate("w => w.getBoundingClientRect().right")
    assert right <= wrap_right <= DESKTOP["width"]
    assert not wrap.evaluate("w => w.scrollWidth > w.clientWidth")  # fits: nothing to scroll to
    assert page.locator("table.caseload tbody tr").count() >= 8
    assert page.locator("table.caseload .badge.bad").count() >= 1  # a flag, drawn in full
    assert not scrolls_sideways(page)
    assert page.evaluate(SMALL_TARGETS) == []
    assert_accessible(page)


def test_the_caseload_scrolls_on_purpose_on_a_phone(sized, live_server, pat, maya, episode):
    page = sized(PHONE_390)
    sign_in(page, live_server.url, "pat")
    page.goto(f"{live_server.url}/clinic/")
    assert not scrolls_sideways(page)
    wrap = page.get_by_role("region", name="Patients")
    assert wrap.get_attribute("tabindex") == "0"
    assert "scroll" in (wrap.get_attribute("aria-label") or "").lower()
    assert page.evaluate(SMALL_TARGETS) == []
    assert_accessible(page)


def test_the_exercises_page_has_big_enough_targets(
    sized, live_server, pat, gina, maya, episode, clinic
):
    actions.starter_library_load(clinic=clinic)
    actions.home_program_add(
        by=pat,
        episode=episode,
        exercise=Exercise.objects.get(name="Daily walk"),
        minutes=10,
        start_date=TODAY,
        times_per_day=1,
        days_per_week=7,
    )
    page = sized(PHONE_390)
    sign_in(page, live_server.url, "gina")
    page.goto(f"{live_server.url}/episodes/{episode.pk}/exercises/")
    assert not scrolls_sideways(page)
    assert page.evaluate(SMALL_TARGETS) == []


def test_the_exercise_library_and_home_program_have_big_enough_targets(
    sized, live_server, pat, maya, episode, clinic
):
    actions.starter_library_load(clinic=clinic)
    actions.home_program_add(
        by=pat,
        episode=episode,
        exercise=Exercise.objects.get(name="Daily walk"),
        minutes=10,
        start_date=TODAY,
        times_per_day=1,
        days_per_week=7,
    )
    page = sized(DESKTOP)
    sign_in(page, live_server.url, "pat")
    for path in ("/clinic/exercises/", f"/episodes/{episode.pk}/home-program/"):
        page.goto(live_server.url + path)
        assert not scrolls_sideways(page), path
        assert page.evaluate(SMALL_TARGETS) == [], path

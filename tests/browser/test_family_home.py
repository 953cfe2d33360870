"""The family's home and the diary's month on a 390-px phone in Chromium: today's to-dos as one
list of 44-px links with ticks and words, the celebration after a diary save (its animation only
when motion is welcome), the month calendar without sideways scrolling, axe finding nothing."""

import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import Any, Literal

import pytest
from playwright.sync_api import Page, expect

from backto.capabilities.diary.models import DiaryEntry
from backto.capabilities.homeprogram import actions as home_program
from tests.browser.conftest import (
    ARTIFACTS,
    assert_accessible,
    assert_no_sideways_scroll,
    sign_in,
)
from tests.conftest import TODAY

pytestmark = pytest.mark.browser


@pytest.fixture
def phone(new_page: Callable[..., Page]) -> Callable[..., Page]:
    """A 390 x 844 phone; `phone(motion="no-preference")` for one that welcomes animation."""

    def open_page(motion: Literal["reduce", "no-preference"] = "reduce") -> Page:
        return new_page(reduced_motion=motion)

    return open_page


def write_diary(patient: Any, author: Any, day: Any, respondent: str = "child") -> None:
    DiaryEntry.objects.create(
        patient=patient,
        day=day,
        respondent=respondent,
        author=author,
        answers={"activity": 3, "mood": 3, "sleep_hours": 8},
        instrument_id="daily-diary" if respondent == "child" else "parent-diary",
        instrument_version="1.0.0",
        idempotency_key=uuid.uuid4(),
    )


def keep(page: Page, name: str) -> None:
    """A screenshot of the page as it is now, for a person to look at."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_a_guardian_sees_todays_to_dos_ticked_as_they_are_done(
    phone, live_server, worded, gina, pat, maya, active, walk_item
):
    home_program.exercise_tick(by=gina, item=walk_item, day=TODAY, done=True)
    write_diary(maya, gina, TODAY, respondent="parent")
    page = phone()
    sign_in(page, live_server.url, "gina")
    todos = page.get_by_role("list", name="Today")
    expect(todos.get_by_role("link", name="Your diary (done)")).to_be_visible()
    expect(
        todos.get_by_role("link", name="Maya's diary together with Maya (to do)")
    ).to_be_visible()
    expect(todos.get_by_role("link", name="Today's exercises (done)")).to_be_visible()
    expect(
        todos.get_by_role("link", name="Functional Disability Inventory, parent form")
    ).to_be_visible()
    links = todos.get_by_role("link")
    assert links.count() >= 4
    for n in range(links.count()):
        box = links.nth(n).bounding_box()
        assert box is not None and box["height"] >= 44 and box["width"] >= 44
    # A tick drawn beside each done item, none beside those to do.
    assert todos.locator("a.is-done svg.icon").count() == 2
    assert todos.locator("a:not(.is-done) svg.icon").count() == 0
    assert_no_sideways_scroll(page)
    assert_accessible(page)
    keep(page, "family-home-to-dos-390")
    todos.get_by_role("link", name="Maya's diary together with Maya (to do)").click()
    expect(page).to_have_url(f"{live_server.url}/patients/{maya.pk}/diary/?as=child")


def test_a_teen_is_celebrated_after_saving_with_the_days_in_a_row(
    phone, live_server, maya_teen, maya, active
):
    for n in range(3):
        write_diary(maya, maya_teen, TODAY - timedelta(days=n))
    page = phone()
    sign_in(page, live_server.url, "maya13")
    page.goto(f"{live_server.url}/family/?diary={maya.pk}&saved=created#saved")
    saved = page.locator("#saved")
    expect(saved).to_have_attribute("role", "status")
    expect(saved).to_contain_text("Saved. Thank you for writing today!")
    expect(saved).to_contain_text("That makes 3 days in a row.")
    expect(saved).to_contain_text("A milestone: 3 diary days in all!")
    expect(
        page.get_by_role("list", name="Today for you").get_by_role("link", name="My diary (done)")
    ).to_be_visible()
    # Reduced motion: nothing moves.
    assert saved.evaluate("el => getComputedStyle(el).animationName") == "none"
    assert_no_sideways_scroll(page)
    assert_accessible(page)
    keep(page, "family-home-celebration-390")

    moving = phone(motion="no-preference")
    sign_in(moving, live_server.url, "maya13")
    moving.goto(f"{live_server.url}/family/?diary={maya.pk}&saved=edited#saved")
    expect(moving.locator("#saved")).to_contain_text("Saved. Your changes are in.")
    assert moving.locator("#saved").evaluate("el => getComputedStyle(el).animationName") != "none"


def test_the_diary_month_fits_a_phone_and_opens_a_day(
    phone, live_server, gina, maya_teen, maya, active
):
    for n in range(min(TODAY.day, 12)):
        write_diary(maya, maya_teen, TODAY - timedelta(days=n))
    write_diary(maya, gina, TODAY, respondent="parent")
    page = phone()
    sign_in(page, live_server.url, "gina")
    page.goto(f"{live_server.url}/patients/{maya.pk}/diary/calendar/")
    expect(page.get_by_role("heading", name=f"{TODAY:%B %Y}")).to_be_visible()
    grid = page.get_by_role("table")
    expect(grid.get_by_role("columnheader")).to_have_count(7)
    assert_no_sideways_scroll(page)
    days = grid.get_by_role("link")
    for n in range(days.count()):
        box = days.nth(n).bounding_box()
        assert box is not None and box["height"] >= 44 and box["width"] >= 44
    assert_accessible(page)
    today = grid.locator('a[aria-current="date"]')
    expect(today).to_contain_text("Maya's entry")
    expect(today).to_contain_text("parent's entry")
    first = TODAY.replace(day=1)
    grid.get_by_role("link", name=f"{first.day} {first:%B}, {first:%A}").click()
    expect(page.get_by_role("heading", name=f"{first:%A} {first.day} {first:%B}")).to_be_visible()
    assert_no_sideways_scroll(page)
    assert_accessible(page)
    keep(page, "diary-month-390")
    page.get_by_role("link", name="Previous month").click()
    before = first - timedelta(days=1)
    expect(page.get_by_role("heading", name=f"{before:%B %Y}")).to_be_visible()
    assert_no_sideways_scroll(page)

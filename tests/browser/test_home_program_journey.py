"""A family ticks today's exercises on a phone; the PT sees the adherence."""

import re

import pytest
from playwright.sync_api import Page, expect

from backto.capabilities.homeprogram import actions
from backto.capabilities.homeprogram.models import Exercise, ExerciseLog
from tests.browser.conftest import assert_accessible, assert_no_sideways_scroll, sign_in
from tests.conftest import TODAY

pytestmark = pytest.mark.browser


@pytest.mark.phone
def test_a_family_ticks_todays_exercises_on_a_phone(
    page: Page, live_server, pat, gina, maya, episode, clinic
):
    actions.starter_library_load(clinic=clinic)
    for name in ("Daily walk", "Texture rub"):
        actions.home_program_add(
            by=pat,
            episode=episode,
            exercise=Exercise.objects.get(name=name),
            minutes=10,
            start_date=TODAY,
            times_per_day=1,
            days_per_week=7,
        )
    sign_in(page, live_server.url, "gina")
    page.goto(f"{live_server.url}/episodes/{episode.pk}/exercises/")
    expect(page.get_by_text("0 of 2 done")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name=re.compile("Mark done.*Daily walk")).click()
    expect(page.get_by_text("1 of 2 done")).to_be_visible()
    page.get_by_role("button", name=re.compile("Mark done.*Texture rub")).click()
    expect(page.get_by_text("2 of 2 done. All done, well done!")).to_be_visible()
    assert ExerciseLog.objects.count() == 2
    assert_no_sideways_scroll(page, 360)
    assert_accessible(page)


def test_the_home_program_pages_are_accessible(page: Page, live_server, pat, episode, clinic):
    actions.starter_library_load(clinic=clinic)
    actions.home_program_add(
        by=pat,
        episode=episode,
        exercise=Exercise.objects.get(name="Daily walk"),
        minutes=10,
        add_minutes_per_week=5,
        start_date=TODAY,
        times_per_day=1,
        days_per_week=7,
    )
    sign_in(page, live_server.url, "pat")
    for path in (
        "/clinic/exercises/",
        f"/episodes/{episode.pk}/home-program/",
        f"/episodes/{episode.pk}/home-program/sheet/",
    ):
        assert page.goto(live_server.url + path).status == 200
        assert_accessible(page)

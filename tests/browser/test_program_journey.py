"""From intake to an active plan with a home program, as a physical therapist does it."""

import re

import pytest
from playwright.sync_api import Page, expect

from backto.capabilities.careplan.models import CarePlan
from backto.capabilities.homeprogram.actions import starter_library_load
from backto.capabilities.homeprogram.models import HomeProgramItem
from backto.capabilities.intake.models import Intake
from tests.browser.conftest import assert_accessible, sign_in

pytestmark = pytest.mark.browser


def test_intake_through_to_an_active_plan_with_a_home_program(
    page: Page, live_server, pat, maya, episode, clinic
):
    starter_library_load(clinic=clinic)
    sign_in(page, live_server.url, "pat")
    page.get_by_role("link", name="Maya Lindqvist").click()
    page.get_by_role("button", name="Start intake").click()

    page.get_by_role("link", name="Intake and screening").click()
    page.get_by_label("Onset date").fill("2026-03-01")
    page.get_by_role("group", name="Allodynia: pain from light touch").get_by_label(
        "Yes", exact=True
    ).check()
    for flag in ("Fever", "Night pain that wakes the child", "Focal bone pain"):
        page.get_by_role("group", name=flag, exact=True).get_by_label("No", exact=True).check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Red flags not yet checked")).to_be_visible()
    page.get_by_role("button", name="Confirm this intake").click()
    expect(page.get_by_text(re.compile("Confirmed by Pat PT"))).to_be_visible()
    assert Intake.objects.get().confirmed_by == pat

    page.get_by_role("link", name="Back", exact=True).click()
    page.get_by_role("button", name="Start the program").click()
    expect(page.get_by_role("heading", name="What Maya wants to get back to")).to_be_visible()

    page.goto(f"{live_server.url}/episodes/{episode.pk}/plan/")
    page.get_by_role("button", name="Start the plan").click()
    page.get_by_label("Setting").select_option("intensive")
    page.get_by_label("Physical therapy: sessions a week").fill("5")
    page.get_by_label("Physical therapy: minutes a session").fill("60")
    page.get_by_role("button", name="Save draft").click()
    page.get_by_role("button", name="Make this the plan").click()
    expect(page.get_by_role("heading", name="In force: version 1")).to_be_visible()
    assert CarePlan.objects.get().state == "active"
    assert_accessible(page)

    page.goto(f"{live_server.url}/episodes/{episode.pk}/home-program/")
    page.get_by_role("combobox", name="Exercise").select_option(label="Daily walk")
    page.get_by_role("spinbutton", name="Minutes:", exact=True).fill("10")
    page.get_by_label("Add minutes each week").fill("5")
    page.get_by_role("button", name="Add to the program").click()
    expect(page.get_by_role("cell", name="10 minutes")).to_be_visible()
    assert HomeProgramItem.objects.get().add_minutes_per_week == 5
    assert_accessible(page)

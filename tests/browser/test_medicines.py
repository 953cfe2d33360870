"""The medicine list on a phone and on a desktop screen: a physical therapist adds a medicine
from the child's record, a physician of the care team confirms the list; axe finds nothing on
the way, and no page scrolls sideways."""

import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from backto.access.patients import actions
from backto.access.patients.models import Discipline
from backto.capabilities.medicines.models import Medicine
from tests.browser.conftest import (
    PHONE,
    assert_accessible,
    assert_no_sideways_scroll,
    sign_in,
)

pytestmark = pytest.mark.browser

SCREENS: dict[str, dict[str, Any]] = {
    "phone": {"viewport": PHONE, "has_touch": True, "is_mobile": True},
    "desktop": {"viewport": {"width": 1280, "height": 900}, "has_touch": False, "is_mobile": False},
}


def check(page: Page, width: int) -> None:
    assert_no_sideways_scroll(page, width)
    assert_accessible(page)


@pytest.mark.parametrize("screen", SCREENS)
def test_a_pt_adds_a_medicine_and_a_physician_confirms_the_list(
    new_page: Callable[..., Page], live_server, screen, pat, phil, cora, maya, episode
):
    actions.care_team_add(by=cora, episode=episode, clinician=phil, discipline=Discipline.MEDICINE)
    options = SCREENS[screen]
    width = options["viewport"]["width"]
    page = new_page(**options)

    sign_in(page, live_server.url, "pat")
    page.goto(f"{live_server.url}/patients/{maya.pk}/")
    page.get_by_role("link", name="The medicine list").click()
    expect(page.get_by_role("heading", name="Maya's medicines", exact=True)).to_be_visible()
    expect(page.get_by_text("talk with your doctor")).to_be_visible()
    check(page, width)

    page.get_by_label("Which medicine").select_option("Gabapentin")
    page.get_by_label("What it is for").fill("Foot pain at night")
    page.get_by_label("How often, in words").fill("Every evening")
    page.get_by_label("Started:", exact=True).fill("2026-03-10")
    page.get_by_label("Only the month it started").check()
    page.get_by_label("Did it help? In the family's words").fill("A little, she sleeps better")
    page.get_by_role("button", name="Add to the list").click()
    expect(page.get_by_role("status")).to_contain_text("A physician of the care team confirms")
    entry = page.get_by_role("listitem").filter(has_text="Gabapentin")
    expect(entry).to_contain_text("March 2026")
    expect(entry).to_contain_text("Not confirmed yet")
    check(page, width)
    entry.get_by_role("link", name="Edit Gabapentin").click()
    expect(page.get_by_role("heading", name="Edit Gabapentin")).to_be_visible()
    check(page, width)
    page.get_by_role("link", name="Back to the medicines").click()

    page = new_page(**options)  # the physician, on a device of their own
    sign_in(page, live_server.url, "phil")
    page.goto(f"{live_server.url}/patients/{maya.pk}/medicines/")
    expect(page.get_by_text("1 entry waits for a physician")).to_be_visible()
    check(page, width)
    page.get_by_role("button", name="Confirm the list as shown").click()
    expect(page.get_by_role("status")).to_contain_text("Confirmed: 1 entry, as shown.")
    expect(page.get_by_text(re.compile("confirmed the whole list on"))).to_be_visible()
    expect(page.get_by_role("button", name="Confirm the list as shown")).to_have_count(0)
    check(page, width)

    medicine = Medicine.objects.get()
    assert (medicine.name, medicine.added_by, medicine.confirmed_by) == ("Gabapentin", pat, phil)


@pytest.mark.parametrize("screen", SCREENS)
def test_the_clinic_admin_keeps_the_names(new_page: Callable[..., Page], live_server, screen, ada):
    options = SCREENS[screen]
    width = options["viewport"]["width"]
    page = new_page(**options)
    sign_in(page, live_server.url, "ada")
    page.goto(f"{live_server.url}/clinic/medicine-names/")
    expect(page.get_by_role("listitem").filter(has_text="Melatonin")).to_be_visible()
    check(page, width)
    page.get_by_role("button", name="Keep these names, to rename or hide some").click()
    page.get_by_label("Offer “Naproxen” when a medicine is added").uncheck()
    page.get_by_role("button", name="Save Naproxen").click()
    expect(page.get_by_role("status")).to_contain_text("Saved “Naproxen”.")
    expect(page.get_by_label("Offer “Naproxen” when a medicine is added")).not_to_be_checked()
    page.get_by_label("Medicine name").fill("Duloxetine")
    page.get_by_role("button", name="Add to the list").click()
    expect(page.get_by_label("Name (now “Duloxetine”)")).to_be_visible()
    check(page, width)


def test_a_parent_finds_the_list_from_home_and_adds_to_it_on_a_phone(
    new_page: Callable[..., Page], live_server, gina, maya, episode
):
    page = new_page(**SCREENS["phone"])
    sign_in(page, live_server.url, "gina")
    page.get_by_role("link", name="Maya's medicines").click()
    expect(page.get_by_text("talk with your doctor")).to_be_visible()
    page.get_by_label("Or write its name").fill("Magnesium")
    page.get_by_label("Did it help? In the family's words").fill("Hard to say")
    page.get_by_role("button", name="Add to the list").click()
    expect(page.get_by_role("listitem").filter(has_text="Magnesium")).to_contain_text(
        "Not confirmed yet"
    )
    check(page, PHONE["width"])

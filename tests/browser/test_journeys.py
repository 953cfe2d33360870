"""The journeys people take: a clinician opens a patient, a guardian sees only their child."""

import re

import pytest
from playwright.sync_api import Page, expect

from backto.access.patients.models import Episode
from tests.browser.conftest import assert_accessible, assert_no_sideways_scroll, sign_in

pytestmark = pytest.mark.browser


def test_a_clinician_signs_in_opens_a_patient_and_starts_intake(
    page: Page, live_server, pat, episode, leo
):
    page.goto(live_server.url)
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    assert_accessible(page)
    sign_in(page, live_server.url, "pat")
    expect(page.get_by_role("heading", name="My patients")).to_be_visible()
    expect(page.get_by_role("link", name="Leo Okafor")).to_have_count(0)
    assert_accessible(page)
    page.get_by_role("link", name="Maya Lindqvist").click()
    expect(page.get_by_role("heading", name=re.compile("Maya Lindqvist"))).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Start intake").click()
    expect(page.get_by_role("status")).to_contain_text("Episode is now: Intake")
    episode.refresh_from_db()
    assert episode.state == "intake"


def test_the_caseload_filter_works_with_and_without_htmx(
    page: Page, live_server, cora, episode, leo
):
    sign_in(page, live_server.url, "cora")
    page.get_by_label("Whose patients").select_option("clinic")
    expect(page.get_by_role("link", name="Maya Lindqvist")).to_be_visible()
    page.get_by_label("Stage").select_option("")
    expect(page.get_by_role("link", name="Leo Okafor")).to_be_visible()
    assert "show=clinic" in page.url
    assert_accessible(page)


@pytest.mark.phone
def test_a_guardian_on_a_phone_sees_only_their_own_child(
    page: Page, live_server, gina, maya, episode, leo
):
    sign_in(page, live_server.url, "gina")
    expect(page.get_by_role("heading", name="Maya")).to_be_visible()
    expect(page.get_by_text("Leo")).to_have_count(0)
    assert_no_sideways_scroll(page, 360)
    assert_accessible(page)
    page.get_by_role("link", name="Maya's record", exact=True).click()
    expect(page.get_by_role("heading", name=re.compile("Maya Lindqvist"))).to_be_visible()
    expect(page.get_by_role("button", name="Start intake")).to_have_count(0)
    assert_accessible(page)
    response = page.goto(f"{live_server.url}/patients/{leo.pk}/")
    assert response.status == 404
    expect(page.get_by_role("heading", name="We could not find that page")).to_be_visible()
    assert_accessible(page)
    page.goto(f"{live_server.url}/family/")
    page.get_by_role("link", name="Who has opened Maya's record").click()
    expect(page.get_by_role("cell", name="gina").first).to_be_visible()
    assert_accessible(page)
    assert Episode.objects.get(pk=episode.pk).state == "referred"


def test_the_keyboard_reaches_the_main_content_first(page: Page, live_server, db):
    page.goto(f"{live_server.url}/accounts/login/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert "Skip to main content" in focused
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.name") == "username"


@pytest.mark.phone
def test_a_family_on_a_phone_finds_how_to_reach_the_clinic_after_a_hard_day(
    page: Page, live_server, clinic, gina, maya, active
):
    from backto.capabilities.diary.models import DiaryEntry

    clinic.phone = "(555) 010-0100"
    clinic.hours = "Mon–Fri 8am–5pm"
    clinic.crisis_line = "Children's hospital on-call line, (555) 010-0199"
    clinic.when_to_call = "Call us if a new pain keeps your child from sleeping."
    clinic.save()
    sign_in(page, live_server.url, "gina")
    card = page.get_by_role("region", name="How to reach Lakeside Pain Program")
    expect(card.get_by_role("link", name="(555) 010-0100")).to_be_visible()
    expect(card.get_by_text("Children's hospital on-call line")).to_be_visible()
    assert_no_sideways_scroll(page, 360)
    assert_accessible(page)
    page.get_by_role("link", name="Today's diary").click()
    page.get_by_role("link", name="Fill Maya's own diary together").click()
    next_step = page.get_by_role("button", name="Next", exact=True)
    page.get_by_label("Most of it").check()
    next_step.click()
    page.get_by_label("Yes, the whole day").check()
    next_step.click()
    page.get_by_label("About how many hours did you sleep last night?").fill("7")
    page.get_by_label("Well", exact=True).check()
    next_step.click()
    page.get_by_label("Very sad, scared or upset").check()
    next_step.click()
    next_step.click()  # what helped
    page.get_by_label("All of them").check()
    while next_step.is_visible():  # the win and pain, left for another day
        next_step.click()
    page.get_by_role("button", name="Save my day").click()
    # the family home, the clinic's help message first (above the celebration)
    help_message = page.locator("main .notice.warning")
    expect(help_message).to_contain_text("Then call the clinic")
    expect(help_message.get_by_role("link", name="(555) 010-0100")).to_be_visible()
    expect(help_message).to_contain_text("Children's hospital on-call line")
    # the home's celebration fades in: axe judges the page once it has settled
    for _ in range(50):
        if page.evaluate("document.getAnimations().every((a) => a.playState !== 'running')"):
            break
        page.wait_for_timeout(100)
    assert_accessible(page)
    assert DiaryEntry.objects.get().safety_alert

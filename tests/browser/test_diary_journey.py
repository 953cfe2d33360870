"""A teen fills today's diary on a phone and keeps her mood private; the guardian cannot see it,
the PT can."""

import pytest
from playwright.sync_api import Page, expect

from backto.capabilities.diary.models import DiaryEntry
from tests.browser.conftest import assert_accessible, assert_no_sideways_scroll, sign_in, sign_out

pytestmark = pytest.mark.browser


@pytest.mark.phone
def test_a_teen_writes_her_diary_on_a_phone_and_keeps_mood_private(
    page: Page, live_server, maya_teen, gina, pat, maya, episode
):
    from backto.access.patients.actions import episode_transition

    episode_transition(by=pat, episode=episode, target="intake")
    episode_transition(by=pat, episode=episode, target="active")
    sign_in(page, live_server.url, "maya13")
    page.get_by_role("link", name="Write today's diary").click()
    expect(page.get_by_role("heading", name="My day")).to_be_visible()
    assert_no_sideways_scroll(page, 360)
    assert_accessible(page)
    next_step = page.get_by_role("button", name="Next", exact=True)
    page.get_by_label("Most of it").check()
    next_step.click()
    page.get_by_label("Yes, the whole day").check()
    next_step.click()
    page.get_by_label("About how many hours did you sleep last night?").fill("8")
    page.get_by_label("Well", exact=True).check()
    next_step.click()
    page.get_by_label("A bit sad or worried").check()
    next_step.click()
    page.get_by_label("Slow breathing").check()
    next_step.click()
    page.get_by_label("All of them").check()
    next_step.click()
    page.get_by_label("What went well today? Write one win, big or small.").fill(
        "Walked to my first class"
    )
    next_step.click()
    next_step.click()  # pain: not rated today
    expect(page.get_by_role("heading", name="Check and save")).to_be_focused()
    assert_accessible(page)
    page.get_by_role("group", name="Keep these answers between me and my care team").get_by_label(
        "How I felt"
    ).check()
    page.get_by_role("button", name="Save my day").click()
    expect(page.locator("#saved[role=status]")).to_contain_text(
        "Saved. Thank you for writing today!"
    )
    entry = DiaryEntry.objects.get()
    assert entry.private_fields == ["mood"]
    assert entry.answers["sleep_hours"] == 8

    sign_out(page)
    sign_in(page, live_server.url, "gina")
    page.goto(f"{live_server.url}/patients/{maya.pk}/diary/calendar/")
    expect(page.get_by_text("Walked to my first class")).to_be_visible()
    expect(page.get_by_text("A bit sad or worried")).to_have_count(0)
    expect(page.get_by_text("kept between Maya and the care team")).to_be_visible()
    assert_accessible(page)

    sign_out(page)
    sign_in(page, live_server.url, "pat")
    page.goto(f"{live_server.url}/patients/{maya.pk}/diary/calendar/")
    expect(page.locator("#day").get_by_text("A bit sad or worried")).to_be_visible()
    expect(page.get_by_text("private from guardians")).to_be_visible()
    assert_accessible(page)


@pytest.mark.phone
def test_a_diary_typed_before_a_lost_connection_comes_back(
    page: Page, live_server, maya_teen, maya, episode
):
    sign_in(page, live_server.url, "maya13")
    page.goto(f"{live_server.url}/patients/{maya.pk}/diary/")
    page.get_by_label("About half").check()
    for _ in range(6):  # on to the win, one step a screen
        page.get_by_role("button", name="Next", exact=True).click()
    page.get_by_label("What went well today? Write one win, big or small.").fill(
        "Made it to practice"
    )
    page.reload()
    expect(page.get_by_label("What went well today? Write one win, big or small.")).to_have_value(
        "Made it to practice"
    )
    expect(page.get_by_label("About half")).to_be_checked()
    # Signing out forgets the unsent draft: the next person on this phone does not find it.
    sign_out(page)
    assert (
        page.evaluate(
            "Object.keys(window.localStorage).filter(k => k.startsWith('backto:')).length"
        )
        == 0
    )


@pytest.mark.phone
def test_a_draft_is_forgotten_when_the_session_has_expired(
    page: Page, live_server, maya_teen, maya, episode
):
    """The server no longer knows the session (it expired, or was ended elsewhere): the sign-in
    page it sends back forgets the drafts, so the next person on this phone finds none."""
    from django.contrib.sessions.models import Session

    sign_in(page, live_server.url, "maya13")
    page.goto(f"{live_server.url}/patients/{maya.pk}/diary/")
    for _ in range(6):  # on to the win, one step a screen
        page.get_by_role("button", name="Next", exact=True).click()
    page.get_by_label("What went well today? Write one win, big or small.").fill("A private win")
    drafts = "Object.keys(window.localStorage).filter(k => k.startsWith('backto:')).length"
    assert page.evaluate(drafts) == 1
    Session.objects.all().delete()  # what expiry does on the server
    page.reload()
    expect(page.get_by_role("heading", name="Sign in to BackTo")).to_be_visible()
    assert page.evaluate(drafts) == 0
    assert_accessible(page)
    sign_in(page, live_server.url, "maya13")
    page.goto(f"{live_server.url}/patients/{maya.pk}/diary/")
    expect(page.get_by_label("What went well today? Write one win, big or small.")).to_have_value(
        ""
    )

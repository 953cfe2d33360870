"""Every page a person can reach, checked by axe-core in Chromium."""

import pytest
from playwright.sync_api import Page

from tests.browser.conftest import assert_accessible, assert_no_sideways_scroll, sign_in
from tests.conftest import TODAY

pytestmark = pytest.mark.browser


def test_the_admin_pages_are_accessible(page: Page, live_server, ada, gina, maya, episode):
    sign_in(page, live_server.url, "ada")
    for path in (
        "/manage/staff/",
        f"/manage/staff/{ada.pk}/",
        "/manage/families/",
        "/manage/invitations/",
        "/manage/audit/",
        "/manage/clinic/",
        "/patients/new/",
        "/account/api-tokens/",
    ):
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        assert_accessible(page)


def test_a_new_api_token_is_shown_once_and_the_page_stays_accessible(page: Page, live_server, pat):
    sign_in(page, live_server.url, "pat")
    page.goto(live_server.url + "/account/api-tokens/")
    page.get_by_label("Name").fill("Hospital feed")
    page.get_by_label("Read and write").check()
    page.get_by_role("button", name="Make the token").click()
    token = page.get_by_role("textbox", name="Token").input_value()
    assert token.startswith("bt_")
    assert_accessible(page)
    page.goto(live_server.url + "/account/api-tokens/")
    assert token not in page.content()
    page.get_by_role("button", name="Revoke Hospital feed").click()
    assert "no longer works" in page.content()
    assert_accessible(page)


@pytest.mark.phone
def test_the_program_pages_are_accessible(page: Page, live_server, pat, gina, maya, episode, goal):

    from backto.capabilities.careplan.actions import session_record
    from backto.capabilities.goals.actions import goal_rate
    from backto.capabilities.wins.models import Win

    goal_rate(by=pat, goal=goal, level=0, rated_on=TODAY)
    session = session_record(
        by=pat,
        episode=episode,
        date=TODAY,
        discipline="pt",
        minutes=60,
        attended=True,
        subjective="Walked to the mailbox",
    )
    Win.objects.create(patient=maya, text="Walked to the mailbox", happened_on=TODAY, added_by=gina)
    sign_in(page, live_server.url, "pat")
    for path in (
        f"/patients/{maya.pk}/",
        f"/episodes/{episode.pk}/goals/",
        f"/goals/{goal.pk}/",
        f"/goals/{goal.pk}/edit/",
        f"/patients/{maya.pk}/wins/",
        f"/patients/{maya.pk}/diary/calendar/",
        f"/episodes/{episode.pk}/care-team/",
        f"/patients/{maya.pk}/referral/",
        f"/patients/{maya.pk}/access-log/",
        f"/episodes/{episode.pk}/intake/",
        f"/episodes/{episode.pk}/sessions/",
        f"/sessions/{session.pk}/",
        f"/episodes/{episode.pk}/plan/",
    ):
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        assert_no_sideways_scroll(page, 380)
        assert_accessible(page)


@pytest.mark.phone
def test_a_family_answers_the_intake_questions_on_a_phone(
    page: Page, live_server, gina, maya, episode
):
    from backto.capabilities.intake.models import Intake

    sign_in(page, live_server.url, "gina")
    page.goto(f"{live_server.url}/episodes/{episode.pk}/intake/")
    assert_accessible(page)
    page.get_by_role(
        "group", name="Does light touch hurt, like clothes, bedsheets or a gentle hand?"
    ).get_by_label("Yes").check()
    page.get_by_role(
        "group", name="Has your child had pain that wakes your child at night?"
    ).get_by_label("Yes").check()
    page.get_by_role("button", name="Save").click()
    assert Intake.objects.get().red_flags["night_pain"]["answer"] == "yes"
    summary = page.get_by_role("region", name="What your answers mean")
    assert "Please arrange a medical evaluation first" in summary.inner_text().splitlines()[1]
    assert_accessible(page)

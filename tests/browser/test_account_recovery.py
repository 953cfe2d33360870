"""A parent who forgot their password gets back in by email, and finds My account."""

import re

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_accessible, sign_in, sign_out

pytestmark = pytest.mark.browser

NEW_PASSWORD = "blue kites over the lake"


def test_a_parent_resets_a_forgotten_password_and_signs_in(
    page: Page, live_server, gina, maya, episode
):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_role("link", name="Forgot your password?").click()
    expect(page.get_by_role("heading", name="Forgot your password?")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Your email address").fill("Gina@example.org")
    page.get_by_role("button", name="Send me a link").click()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
    assert_accessible(page)

    assert mail.outbox[-1].to == ["gina@example.org"]
    path = re.search(r"https?://[^/\s]+(/accounts/reset/\S+/)", mail.outbox[-1].body).group(1)
    page.goto(live_server.url + path)
    expect(page.get_by_role("heading", name="Choose a new password")).to_be_visible()
    assert_accessible(page)
    page.get_by_label(re.compile(r"^New password:?$")).fill(NEW_PASSWORD)
    page.get_by_label("New password again").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Save my new password").click()
    expect(page.get_by_role("heading", name="Your new password is set")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Sign in").click()
    page.get_by_label("Username or email").fill("gina@example.org")
    page.get_by_label("Password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Maya")).to_be_visible()

    page.get_by_role("link", name="My account").click()
    expect(page.get_by_role("heading", name="My account")).to_be_visible()
    assert_accessible(page)

    page.goto(live_server.url + path)  # the link worked once
    expect(page.get_by_role("heading", name="This link does not work")).to_be_visible()


def test_the_new_account_pages_are_accessible_with_their_errors(
    page: Page, live_server, ada, gina, maya
):
    from backto.access.accounts.actions import RESET_LIMIT_PER_EMAIL, invitation_create

    invitation_create(by=ada, email="dad@example.org", kind="guardian", patient=maya)
    sign_in(page, live_server.url, "ada")
    page.goto(f"{live_server.url}/manage/invitations/")
    page.get_by_role("button", name="Resend invitation for dad@example.org").click()
    expect(page.get_by_role("status")).to_contain_text("on its way again")
    assert_accessible(page)

    page.goto(f"{live_server.url}/manage/families/")
    page.locator("#id_link-guardian").select_option(label="Gina Lindqvist (gina@example.org)")
    page.locator("#id_link-patient").select_option(label="Maya Lindqvist")
    page.locator("#id_link-relationship").select_option("mother")
    page.get_by_role("button", name="Link to this child").click()
    expect(page.get_by_text("is already linked to Maya Lindqvist")).to_be_visible()
    assert_accessible(page)

    page.goto(f"{live_server.url}/account/")
    page.get_by_label("New email address").fill("gina@example.org")
    page.get_by_label("Your current password").fill("not it")
    page.get_by_role("button", name="Change my email").click()
    expect(page.get_by_text("That is not your current password.")).to_be_visible()
    assert_accessible(page)

    sign_out(page)
    for _ in range(RESET_LIMIT_PER_EMAIL + 1):
        page.goto(f"{live_server.url}/accounts/password-reset/")
        page.get_by_label("Your email address").fill("gina@example.org")
        page.get_by_role("button", name="Send me a link").click()
    expect(page.get_by_role("alert")).to_contain_text("try again in an hour")
    assert_accessible(page)

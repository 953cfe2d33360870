"""A PT's first sign-in where the clinic asks staff for two steps: an authenticator app set up
with its QR code's key, recovery codes kept, then the second step at the next sign-in; every new
page passes axe."""

import base64

import pytest
from django_otp.oath import totp
from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_accessible, sign_in, sign_out

pytestmark = pytest.mark.browser


def app_code(secret: str, steps_ahead: int = 0) -> str:
    key = base64.b32decode(secret.replace(" ", ""))
    return f"{totp(key, t0=-30 * steps_ahead):06d}"


def test_a_pt_sets_up_an_authenticator_app_at_first_sign_in(
    page: Page, live_server, settings, pat, maya, episode
):
    settings.TWO_FACTOR_ENFORCED = True
    sign_in(page, live_server.url, "pat")
    expect(page.get_by_role("heading", name="Set up two-step sign-in")).to_be_visible()
    expect(page.get_by_text("Your clinic asks staff for a second step")).to_be_visible()
    # Chromium offers passkeys: django-otp-webauthn's script has put its button in.
    expect(page.get_by_role("button", name="Add a passkey")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Use an authenticator app").click()
    expect(page.get_by_role("heading", name="Add an authenticator app")).to_be_visible()
    expect(page.get_by_alt_text("QR code to add BackTo to your authenticator app")).to_be_visible()
    secret = page.locator("#app-key").inner_text()
    page.get_by_label("Code from the app").fill("000000")
    page.get_by_role("button", name="Turn on").click()
    expect(page.get_by_text("That code does not match")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Code from the app").fill(app_code(secret))
    page.get_by_role("button", name="Turn on").click()
    expect(page.get_by_role("heading", name="Your recovery codes")).to_be_visible()
    expect(page.get_by_role("list", name="Recovery codes").get_by_role("listitem")).to_have_count(
        10
    )
    assert_accessible(page)
    page.get_by_role("link", name="I have kept them – continue").click()
    expect(page.get_by_role("link", name="Maya")).to_be_visible()

    sign_out(page)
    sign_in(page, live_server.url, "pat")
    expect(page.get_by_role("heading", name="One more step")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Code").fill(app_code(secret, steps_ahead=1))  # a new code, not the last
    page.get_by_role("button", name="Go on").click()
    expect(page.get_by_role("link", name="Maya")).to_be_visible()

    page.get_by_role("link", name="My account").click()
    expect(page.get_by_role("heading", name="Two-step sign-in")).to_be_visible()
    expect(page.get_by_text("Recovery codes: 10 left")).to_be_visible()
    assert_accessible(page)


def test_the_confirm_page_is_accessible_with_its_error(page: Page, live_server, settings, gina):
    settings.SUDO_SECONDS = 0
    sign_in(page, live_server.url, "gina")
    page.goto(f"{live_server.url}/account/")
    page.get_by_role("link", name="Confirm it is me").click()
    expect(page.get_by_role("heading", name="Confirm it is you")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Your password").fill("not my password")
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_text("That does not match")).to_be_visible()
    assert_accessible(page)

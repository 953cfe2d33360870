"""Sudo mode: exports and changes to accounts, roles, two-step sign-in and clinic settings ask for
the password again once the sign-in (or the last confirmation) is BACKTO_SUDO_MINUTES old."""

import contextlib
import os
import subprocess
import sys
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from backto.access.accounts.models import Invitation
from tests.conftest import PASSWORD, audited


@pytest.fixture
def later(clock):
    """`with later(minutes):` runs its block that many minutes on (11: past the sudo minutes)."""

    @contextlib.contextmanager
    def moved(minutes=11):
        clock.shift(timedelta(minutes=minutes))
        try:
            yield
        finally:
            clock.shift(-timedelta(minutes=minutes))

    return moved


def sent_to_confirm(response):
    return response.status_code == 302 and response["Location"].startswith(reverse("sudo_confirm"))


def next_of(response):
    return parse_qs(urlsplit(response["Location"]).query)["next"][0]


def test_an_export_asks_again_after_the_sudo_minutes(as_user, cora, later):
    client = as_user(cora)
    url = reverse("outcomes_export") + "?start=2026-01-01&end=2026-06-01"
    assert not sent_to_confirm(client.get(url))
    with later():
        response = client.get(url)
        assert sent_to_confirm(response)
        assert next_of(response) == url
        back = client.post(reverse("sudo_confirm"), {"password": PASSWORD, "next": url})
        assert back["Location"] == url
        assert client.get(url).status_code == 409  # the export itself: too few children


def test_the_confirmation_lasts_the_sudo_minutes(as_user, cora, settings, later):
    settings.SUDO_SECONDS = 120
    client = as_user(cora)
    with later(minutes=1):
        assert not sent_to_confirm(client.get(reverse("outcomes_export")))
    with later(minutes=3):
        assert sent_to_confirm(client.get(reverse("outcomes_export")))


def test_backto_sudo_minutes_sets_it():
    env = {**os.environ, "BACKTO_SUDO_MINUTES": "3"}
    out = subprocess.run(
        [sys.executable, "-c", "import backto.settings as s; print(s.SUDO_SECONDS)"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip() == "180"


def test_role_changes_ask_again_and_change_nothing_before(as_user, ada, pat, later):
    client = as_user(ada)
    detail = reverse("staff_detail", args=[pat.pk])
    with later():
        response = client.post(detail, {"roles": ["clinic_admin"]}, HTTP_REFERER=detail)
        assert sent_to_confirm(response)
        assert next_of(response) == detail
        assert sent_to_confirm(client.get(detail))
    assert pat.role_keys == {"physical_therapist"}


def test_deactivation_asks_again(as_user, ada, pat, later):
    client = as_user(ada)
    with later():
        response = client.post(reverse("account_set_active", args=[pat.pk]), {"active": "0"})
    assert sent_to_confirm(response)
    pat.refresh_from_db()
    assert pat.is_active


def test_inviting_staff_asks_again(as_user, ada, later):
    client = as_user(ada)
    assert client.get(reverse("staff_list")).status_code == 200
    with later():
        assert client.get(reverse("staff_list")).status_code == 200
        response = client.post(
            reverse("staff_list"),
            {"email": "new@example.org", "display_name": "New", "roles": ["physician"]},
        )
    assert sent_to_confirm(response)
    assert not Invitation.objects.exists()


def test_clinic_settings_ask_again(as_user, ada, later):
    client = as_user(ada)
    with later():
        assert sent_to_confirm(client.get(reverse("clinic_settings")))


def test_my_account_asks_again_for_email_and_password_not_for_the_name(as_user, gina, later):
    client = as_user(gina)
    with later():
        page = client.get(reverse("my_account")).content.decode()
        assert "Confirm it is me" in page and "Change my email" not in page
        response = client.post(
            reverse("my_account_email"),
            {"email-email": "new@example.org", "email-current_password": PASSWORD},
        )
        assert sent_to_confirm(response)
        assert next_of(response) == reverse("my_account") + "#email"
        password = client.post(reverse("my_account_password"), {"password-old_password": PASSWORD})
        assert next_of(password) == reverse("my_account") + "#password"
        named = client.post(reverse("my_account_details"), {"details-display_name": "Gina L"})
        assert named.status_code == 302 and not sent_to_confirm(named)
    gina.refresh_from_db()
    assert gina.email == "gina@example.org" and gina.display_name == "Gina L"


def test_a_wrong_password_is_refused_and_counts_towards_the_pause(as_user, cora, settings, later):
    client = as_user(cora)
    with later():
        for _ in range(settings.AXES_FAILURE_LIMIT - 1):
            response = client.post(reverse("sudo_confirm"), {"password": "wrong"})
            assert b"That does not match" in response.content
        assert audited("login_failed", actor_username="cora")
        paused = client.post(reverse("sudo_confirm"), {"password": "wrong"})
        assert paused.status_code == 429
        right = client.post(reverse("sudo_confirm"), {"password": PASSWORD})
        assert right.status_code == 429
        assert sent_to_confirm(client.get(reverse("outcomes_export")))


def test_a_code_from_the_app_confirms_too(as_user, cora, later):
    device = TOTPDevice.objects.create(user=cora, name="app", confirmed=True)
    client = as_user(cora)
    with later():
        page = client.get(reverse("sudo_confirm")).content.decode()
        assert "authenticator app" in page
        code = f"{totp(device.bin_key):06d}"
        response = client.post(reverse("sudo_confirm"), {"code": code})
        assert response.status_code == 302
        assert not sent_to_confirm(client.get(reverse("outcomes_export")))


def test_confirming_sends_back_only_to_this_site(as_user, cora):
    response = as_user(cora).post(
        reverse("sudo_confirm"), {"password": PASSWORD, "next": "https://evil.example/x"}
    )
    assert response["Location"] == reverse("home")


def test_an_htmx_request_is_sent_to_confirm_by_header(as_user, cora, later):
    client = as_user(cora)
    with later():
        response = client.get(reverse("outcomes_export"), HTTP_HX_REQUEST="true")
    assert response["HX-Redirect"].startswith(reverse("sudo_confirm"))


@pytest.mark.parametrize("name", ["two_factor_setup", "two_factor_app"])
def test_adding_a_way_to_sign_in_asks_again(as_user, gina, name, later):
    client = as_user(gina)
    with later():
        assert sent_to_confirm(client.get(reverse(name)))


def test_removing_a_device_asks_again(as_user, gina, later):
    device = TOTPDevice.objects.create(user=gina, name="app", confirmed=True)
    client = as_user(gina)
    with later():
        response = client.post(reverse("two_factor_remove"), {"device": device.persistent_id})
    assert sent_to_confirm(response)
    assert TOTPDevice.objects.filter(pk=device.pk).exists()

import pytest
from django.urls import reverse

from tests.conftest import PASSWORD, audited

URL = reverse("login")
SAME_MESSAGE = b"do not match an active account"


def test_it_signs_in_with_a_username(client, pat):
    response = client.post(URL, {"username": "pat", "password": PASSWORD})
    assert response.status_code == 302
    assert audited("login", actor_id=pat.pk)


def test_it_signs_in_with_an_email_in_any_case(client, pat):
    response = client.post(URL, {"username": "PAT@example.org", "password": PASSWORD})
    assert response.status_code == 302


def test_it_says_the_same_for_an_unknown_user_and_a_wrong_password(client, pat):
    unknown = client.post(URL, {"username": "nobody", "password": PASSWORD})
    wrong = client.post(URL, {"username": "pat", "password": "not the password"})
    assert SAME_MESSAGE in unknown.content and SAME_MESSAGE in wrong.content
    assert audited("login_failed", actor_username="nobody")
    assert audited("login_failed", actor_username="pat")


def test_it_refuses_a_deactivated_account_with_the_same_message(client, pat):
    pat.is_active = False
    pat.save()
    response = client.post(URL, {"username": "pat", "password": PASSWORD})
    assert SAME_MESSAGE in response.content


def test_it_locks_out_after_repeated_failures(client, pat, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(URL, {"username": "pat", "password": "wrong"})
    response = client.post(URL, {"username": "pat", "password": PASSWORD})
    assert response.status_code == 429
    assert b"Too many sign-in tries" in response.content


def test_it_signs_out_only_by_post(as_user, pat):
    client = as_user(pat)
    assert client.get(reverse("logout")).status_code == 405
    assert client.post(reverse("logout")).status_code == 302
    assert audited("logout", actor_id=pat.pk)


def test_it_checks_csrf_on_sign_in(pat):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert strict.post(URL, {"username": "pat", "password": PASSWORD}).status_code == 403


def test_session_expires(settings):
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    assert settings.SESSION_COOKIE_AGE <= 24 * 3600


def test_passwords_are_hashed_with_argon2(settings):
    production = [h for h in settings.PASSWORD_HASHERS if "MD5" not in h]
    assert production[0].endswith("Argon2PasswordHasher")


@pytest.mark.parametrize("path", ["/healthz", reverse("login")])
def test_public_pages_need_no_sign_in(client, db, path):
    assert client.get(path).status_code == 200


def test_every_page_sends_security_headers(client, db):
    response = client.get(URL)
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_the_system_checks_pass_with_the_default_site_address(settings):
    """`backto migrate` runs them: passkeys' and the sign-in pause's settings must not stop it."""
    from django.core.checks import WARNING, run_checks

    assert settings.SITE_URL == "http://127.0.0.1:8000"
    problems = [
        m
        for m in run_checks()
        if m.level >= WARNING and m.id not in settings.SILENCED_SYSTEM_CHECKS
    ]
    assert [m.id for m in problems if m.id.split(".")[0] in ("otp_webauthn", "axes")] == []
    assert [str(m) for m in problems if m.is_serious()] == []

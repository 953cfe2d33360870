"""A forgotten password, reset by email: the same answer for every address, limits kept in the
database, every request and reset audited, and a link that works once and not for long."""

import os
import re
import subprocess
import sys
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from backto.access.accounts.actions import RESET_LIMIT_PER_EMAIL, RESET_LIMIT_PER_IP
from backto.audit.models import AuditEvent
from tests.conftest import PASSWORD, audited

URL = reverse("password_reset")
NEW_PASSWORD = "a brand new passphrase"


def later(minutes):
    """Travel ahead in the clinic's own time zone: Django's tokens read the local clock."""
    return time_machine.travel(timezone.localtime() + timedelta(minutes=minutes))


def ask(client, email, ip="127.0.0.1"):
    return client.post(URL, {"email": email}, REMOTE_ADDR=ip)


def reset_link():
    match = re.search(r"https?://\S+(/accounts/reset/\S+/)", mail.outbox[-1].body)
    assert match, mail.outbox[-1].body
    return match.group(1)


def set_password(client, link, password=NEW_PASSWORD):
    """Open the emailed link (Django moves the token into the session) and choose a password."""
    response = client.get(link)
    assert response.status_code == 302, "a valid link redirects to the form"
    return client.post(response["Location"], {"new_password1": password, "new_password2": password})


def signs_in(username, password):
    response = Client().post(reverse("login"), {"username": username, "password": password})
    return response.status_code == 302


def test_it_emails_a_link_that_sets_a_new_password(client, gina):
    assert ask(client, "GINA@example.org")["Location"] == reverse("password_reset_done")
    assert mail.outbox[-1].to == ["gina@example.org"]
    assert mail.outbox[-1].subject == "Reset your BackTo password"
    response = set_password(client, reset_link())
    assert response["Location"] == reverse("password_reset_complete")
    assert signs_in("gina", NEW_PASSWORD)
    assert signs_in("gina@example.org", NEW_PASSWORD)
    assert not signs_in("gina", PASSWORD)
    assert audited(
        "create",
        object_type="password_reset",
        actor_username="gina@example.org",
        detail="requested",
    )
    assert audited("update", actor_id=gina.pk, detail="password reset by email link")


def test_every_kind_of_account_can_reset(client, pat, gina, maya_teen):
    for user in (pat, gina, maya_teen):
        ask(client, user.email)
        set_password(client, reset_link())
        assert signs_in(user.username, NEW_PASSWORD)


def test_it_answers_the_same_whether_or_not_the_address_has_an_account(client, gina):
    known = ask(client, "gina@example.org")
    unknown = ask(client, "nobody@example.org")
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert len(mail.outbox) == 1
    assert audited("create", object_type="password_reset", actor_username="nobody@example.org")
    page = client.get(known["Location"])
    assert b"If a BackTo account uses that address" in page.content


def test_the_request_shows_in_the_clinics_audit_log(client, gina):
    ask(client, "gina@example.org")
    event = AuditEvent.objects.get(object_type="password_reset")
    assert (event.clinic_id, event.object_id, event.actor_id) == (
        gina.clinic_id,
        str(gina.pk),
        None,
    )
    assert event.ip_address == "127.0.0.1"


def test_the_email_carries_nothing_about_a_child(client, gina, maya_teen, maya, clinic):
    for user in (gina, maya_teen):
        ask(client, user.email)
        body = mail.outbox[-1].body + mail.outbox[-1].subject
        for private in ("Maya", "Lindqvist", user.username, clinic.name, "pain"):
            assert private not in body


def test_a_link_works_once(client, gina):
    ask(client, "gina@example.org")
    link = reset_link()
    set_password(client, link)
    again = client.get(link)
    assert again.status_code == 200
    assert b"This link does not work" in again.content
    assert not again.context["validlink"]


def test_a_link_works_for_the_configured_minutes_only(client, gina, settings):
    assert settings.PASSWORD_RESET_TIMEOUT == 60 * 60
    ask(client, "gina@example.org")
    link = reset_link()
    with later(minutes=59):
        assert client.get(link).status_code == 302
    with later(minutes=61):
        assert b"This link does not work" in Client().get(link).content


@pytest.mark.slow
def test_the_lifetime_comes_from_backto_password_reset_minutes():
    environment = {k: v for k, v in os.environ.items() if not k.startswith("BACKTO_")}
    environment.pop("PYTEST_CURRENT_TEST", None)
    environment.update(BACKTO_TESTING="1", BACKTO_PASSWORD_RESET_MINUTES="15")
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='backto.settings'; "
            "django.setup(); from django.conf import settings; "
            "print(settings.PASSWORD_RESET_TIMEOUT)",
        ],
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.stdout.strip() == "900", result.stderr


def test_a_new_password_must_be_strong(client, gina):
    ask(client, "gina@example.org")
    response = set_password(client, reset_link(), password="12345")
    assert response.status_code == 200
    assert b"too short" in response.content
    assert signs_in("gina", PASSWORD)


def test_the_two_new_passwords_must_match(client, gina):
    ask(client, "gina@example.org")
    response = client.get(reset_link())
    response = client.post(
        response["Location"], {"new_password1": NEW_PASSWORD, "new_password2": "something else"}
    )
    assert b"The two passwords are not the same." in response.content


def test_a_deactivated_account_gets_no_email(client, gina):
    gina.is_active = False
    gina.save()
    assert ask(client, "gina@example.org").status_code == 302
    assert mail.outbox == []


def test_it_limits_requests_for_one_address_kindly(client, gina):
    for _ in range(RESET_LIMIT_PER_EMAIL):
        assert ask(client, "gina@example.org").status_code == 302
    limited = ask(client, "Gina@Example.org")
    assert limited.status_code == 429
    assert b"try again in an hour" in limited.content
    assert len(mail.outbox) == RESET_LIMIT_PER_EMAIL
    assert audited("create", object_type="password_reset", detail="refused: too many requests")
    with later(minutes=61):
        assert ask(client, "gina@example.org").status_code == 302


def test_the_limit_says_the_same_for_an_unknown_address(client, db):
    for _ in range(RESET_LIMIT_PER_EMAIL):
        ask(client, "nobody@example.org")
    assert ask(client, "nobody@example.org").status_code == 429


def test_it_limits_requests_from_one_client_address(client, gina):
    for n in range(RESET_LIMIT_PER_IP):
        assert ask(client, f"someone{n}@example.org", ip="203.0.113.9").status_code == 302
    assert ask(client, "gina@example.org", ip="203.0.113.9").status_code == 429
    assert mail.outbox == []
    assert ask(client, "gina@example.org", ip="198.51.100.4").status_code == 302


def test_a_reset_lifts_the_sign_in_pause(client, pat, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        Client().post(reverse("login"), {"username": "PAT@example.org", "password": "wrong"})
    for _ in range(settings.AXES_FAILURE_LIMIT):
        Client().post(reverse("login"), {"username": "pat", "password": "wrong"})
    assert (
        Client().post(reverse("login"), {"username": "pat", "password": PASSWORD}).status_code
        == 429
    )
    ask(client, "pat@example.org")
    set_password(client, reset_link())
    assert signs_in("pat", NEW_PASSWORD)
    assert signs_in("pat@example.org", NEW_PASSWORD)


def test_a_reset_signs_out_the_accounts_other_sessions(client, as_user, gina):
    elsewhere = as_user(gina)
    assert elsewhere.get(reverse("family_home")).status_code == 200
    stranger = Client()
    ask(stranger, "gina@example.org")
    set_password(stranger, reset_link())
    assert elsewhere.get(reverse("family_home")).status_code == 302


@pytest.mark.parametrize(
    "path",
    [
        URL,
        reverse("password_reset_done"),
        reverse("password_reset_complete"),
        reverse("password_reset_confirm", args=["MQ", "not-a-token"]),
    ],
)
def test_reset_pages_need_no_sign_in(client, db, path):
    assert client.get(path).status_code == 200


def test_the_sign_in_page_offers_a_reset_not_a_new_invitation(client, db):
    response = client.get(reverse("login"))
    assert URL.encode() in response.content
    assert b"Forgot your password?" in response.content
    assert b"new invitation" not in response.content

"""Two-step sign-in: staff of a clinic that asks for it set a device up at their first sign-in and
see no record before their second step; families may turn it on; an admin resets a lost device.

The suite at large signs in by password (TWO_FACTOR_ENFORCED is off under tests); these tests
turn the second step on, as it always is outside the test suite."""

import os
import subprocess
import sys
from datetime import timedelta

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from backto.access.accounts.two_factor import recovery_codes_new
from tests.conftest import PASSWORD, audited


@pytest.fixture(autouse=True)
def enforced(settings):
    settings.TWO_FACTOR_ENFORCED = True


def app_for(user):
    return TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)


def code(device, seconds_ahead=0):
    return f"{totp(device.bin_key, t0=-seconds_ahead):06d}"


def verified(client, device):
    """The session has passed its second step with `device`."""
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    return client


def sign_in(client, username):
    response = client.post(reverse("login"), {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return response


# --- Who is asked, and what they may see before


def test_an_unverified_staff_session_is_refused_records(as_user, pat, maya, episode):
    client = as_user(pat)
    response = client.get(reverse("patient_overview", args=[maya.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("two_factor_setup"))
    assert b"Maya" not in response.content
    assert not audited("view", patient_id=maya.pk)


def test_a_staff_member_without_a_device_is_sent_to_set_one_up_at_first_sign_in(client, pat):
    sign_in(client, "pat")
    response = client.get(reverse("clinician_home"))
    assert response.status_code == 302
    assert response["Location"] == (
        f"{reverse('two_factor_setup')}?next={reverse('clinician_home').replace('/', '%2F')}"
    )
    page = client.get(response["Location"])
    assert b"Your clinic asks staff for a second step" in page.content
    assert b"passkey-registration-placeholder" in page.content


def test_a_staff_member_with_a_device_is_asked_for_it(client, pat, maya, episode):
    device = app_for(pat)
    sign_in(client, "pat")
    url = reverse("patient_overview", args=[maya.pk])
    response = client.get(url)
    assert response["Location"].startswith(reverse("two_factor_verify"))
    answer = client.post(reverse("two_factor_verify"), {"code": code(device), "next": url})
    assert answer["Location"] == url
    assert client.get(url).status_code == 200
    assert audited("login", actor_id=pat.pk, detail="2-step: app")


def test_a_verified_staff_session_sees_records(as_user, pat, maya, episode):
    client = verified(as_user(pat), app_for(pat))
    assert client.get(reverse("patient_overview", args=[maya.pk])).status_code == 200


def test_signing_out_and_the_two_step_pages_need_no_second_step(as_user, pat):
    client = as_user(pat)
    assert client.get(reverse("two_factor_setup")).status_code == 200
    assert client.get(reverse("two_factor_app")).status_code == 200
    assert client.post(reverse("logout")).status_code == 302


def test_a_clinic_that_does_not_ask_lets_staff_in_with_a_password(as_user, pat, clinic, maya):
    clinic.staff_two_factor_required = False
    clinic.save()
    assert as_user(pat).get(reverse("clinician_home")).status_code == 200


def test_families_are_not_asked_until_they_turn_it_on(client, gina):
    sign_in(client, "gina")
    assert client.get(reverse("family_home")).status_code == 200
    client.post(reverse("logout"))
    app_for(gina)
    sign_in(client, "gina")
    assert client.get(reverse("family_home"))["Location"].startswith(reverse("two_factor_verify"))


def test_staff_who_turned_it_on_are_asked_even_where_the_clinic_does_not(client, pat, clinic):
    clinic.staff_two_factor_required = False
    clinic.save()
    app_for(pat)
    sign_in(client, "pat")
    assert client.get(reverse("clinician_home"))["Location"].startswith(
        reverse("two_factor_verify")
    )


def test_the_second_step_is_asked_for_outside_the_test_suite():
    env = {k: v for k, v in os.environ.items() if k != "BACKTO_TESTING" and "PYTEST" not in k}
    env["BACKTO_SECRET_KEY"] = "a-test-secret-that-is-long-enough-for-django-checks"
    out = subprocess.run(
        [sys.executable, "-c", "import backto.settings as s; print(s.TWO_FACTOR_ENFORCED)"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip() == "True"


# --- Setting up an authenticator app


def test_a_staff_member_sets_up_an_app_and_gets_recovery_codes_once(client, pat, maya, episode):
    sign_in(client, "pat")
    next_url = reverse("patient_overview", args=[maya.pk])
    page = client.get(reverse("two_factor_app"), {"next": next_url})
    assert b"data:image/svg+xml;base64," in page.content
    key = client.session["backto_app_key"]
    wrong = client.post(reverse("two_factor_app"), {"code": "000000", "next": next_url})
    assert b"That code does not match" in wrong.content
    device = TOTPDevice(key=key)
    done = client.post(reverse("two_factor_app"), {"code": code(device), "next": next_url})
    assert done["Location"].startswith(reverse("two_factor_recovery_codes"))
    codes_page = client.get(done["Location"])
    tokens = list(StaticToken.objects.filter(device__user=pat).values_list("token", flat=True))
    assert len(tokens) == 10 and all(t.encode() in codes_page.content for t in tokens)
    again = client.get(done["Location"])
    assert not any(t.encode() in again.content for t in tokens)
    assert client.get(next_url).status_code == 200
    assert TOTPDevice.objects.get(user=pat).confirmed
    assert audited("create", actor_id=pat.pk, detail="2-step: app added")
    assert audited("create", actor_id=pat.pk, detail="2-step: new codes")


def test_a_code_works_a_step_either_side_for_a_phone_a_little_off(client, pat):
    sign_in(client, "pat")
    client.get(reverse("two_factor_app"))
    device = TOTPDevice(key=client.session["backto_app_key"])
    response = client.post(reverse("two_factor_app"), {"code": code(device, seconds_ahead=30)})
    assert response.status_code == 302


def test_someone_with_a_device_cannot_add_another_before_their_second_step(client, pat):
    """A stolen password must not be enough to add the thief's own app."""
    app_for(pat)
    sign_in(client, "pat")
    response = client.get(reverse("two_factor_app"))
    assert response["Location"].startswith(reverse("two_factor_verify"))
    assert client.post(reverse("two_factor_app"), {"code": "123456"}).status_code == 302
    assert TOTPDevice.objects.filter(user=pat).count() == 1


# --- Taking the second step


def test_a_recovery_code_works_once(client, pat):
    app_for(pat)
    codes = recovery_codes_new(by=pat)
    sign_in(client, "pat")
    response = client.post(reverse("two_factor_verify"), {"code": codes[0].upper()})
    assert response.status_code == 302
    assert client.get(reverse("clinician_home")).status_code == 200
    client.post(reverse("logout"))
    sign_in(client, "pat")
    again = client.post(reverse("two_factor_verify"), {"code": codes[0]})
    assert b"That code does not work" in again.content
    assert audited("login", actor_id=pat.pk, detail="2-step: recovery code")


def test_a_wrong_code_is_refused_audited_and_slowed_down(client, pat):
    device = app_for(pat)
    sign_in(client, "pat")
    response = client.post(reverse("two_factor_verify"), {"code": "000000"})
    assert b"That code does not work" in response.content
    assert audited("login_failed", actor_id=pat.pk, detail="2-step: wrong code")
    # django-otp's throttling: right after a wrong code, even the right one waits.
    throttled = client.post(reverse("two_factor_verify"), {"code": code(device)})
    assert b"That code does not work" in throttled.content
    device.refresh_from_db()
    assert device.throttling_failure_count == 1  # a try while slowed down is not even checked


def test_an_app_code_cannot_be_used_twice(client, pat):
    device = app_for(pat)
    used = code(device)
    sign_in(client, "pat")
    client.post(reverse("two_factor_verify"), {"code": used})
    client.post(reverse("logout"))
    sign_in(client, "pat")
    response = client.post(reverse("two_factor_verify"), {"code": used})
    assert response.status_code == 200


def test_the_second_step_gives_the_session_a_new_key(client, pat):
    device = app_for(pat)
    sign_in(client, "pat")
    before = client.session.session_key
    client.post(reverse("two_factor_verify"), {"code": code(device)})
    assert client.session.session_key != before


def test_the_verify_page_only_sends_to_this_site(client, pat):
    device = app_for(pat)
    sign_in(client, "pat")
    response = client.post(
        reverse("two_factor_verify"), {"code": code(device), "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("home")


# --- My account


def test_a_guardian_turns_it_on_and_off_from_my_account(as_user, gina):
    client = as_user(gina)
    page = client.get(reverse("my_account")).content.decode()
    assert "Turn on two-step sign-in" in page
    client.get(reverse("two_factor_app"))
    device = TOTPDevice(key=client.session["backto_app_key"])
    client.post(reverse("two_factor_app"), {"code": code(device)})
    page = client.get(reverse("my_account")).content.decode()
    assert "Authenticator app" in page and "Recovery codes: 10 left" in page
    app = TOTPDevice.objects.get(user=gina)
    assert client.post(reverse("two_factor_remove"), {"device": app.persistent_id}).status_code
    assert not TOTPDevice.objects.filter(user=gina).exists()
    assert not StaticDevice.objects.filter(user=gina).exists()
    assert audited("delete", actor_id=gina.pk, detail="2-step: app removed; 2-step off")
    assert client.get(reverse("family_home")).status_code == 200


def test_staff_cannot_remove_their_last_device_where_the_clinic_asks(as_user, pat):
    device = app_for(pat)
    client = verified(as_user(pat), device)
    response = client.post(reverse("two_factor_remove"), {"device": device.persistent_id})
    assert response.status_code == 302
    assert TOTPDevice.objects.filter(user=pat).exists()


def test_nobody_removes_another_persons_device(as_user, gina, otto):
    device = app_for(otto)
    as_user(gina).post(reverse("two_factor_remove"), {"device": device.persistent_id})
    assert TOTPDevice.objects.filter(pk=device.pk).exists()


def test_new_recovery_codes_replace_the_old_ones(as_user, pat):
    device = app_for(pat)
    old = recovery_codes_new(by=pat)
    client = verified(as_user(pat), device)
    response = client.post(reverse("two_factor_recovery_codes"))
    page = client.get(response["Location"]).content.decode()
    new = list(StaticToken.objects.filter(device__user=pat).values_list("token", flat=True))
    assert len(new) == 10 and not set(old) & set(new)
    assert all(token in page for token in new)


# --- An admin resets a lost device


def test_an_admin_resets_a_staff_members_lost_device(as_user, ada, pat):
    app_for(pat)
    recovery_codes_new(by=pat)
    client = verified(as_user(ada), app_for(ada))
    page = client.get(reverse("staff_detail", args=[pat.pk])).content.decode()
    assert "Authenticator app" in page and "Reset Pat PT" in page
    response = client.post(reverse("staff_two_factor_reset", args=[pat.pk]))
    assert response["Location"] == reverse("staff_detail", args=[pat.pk])
    assert not TOTPDevice.objects.filter(user=pat).exists()
    assert not StaticDevice.objects.filter(user=pat).exists()
    assert audited(
        "update", actor_id=ada.pk, object_id=str(pat.pk), detail__startswith="2-step reset"
    )


def test_after_a_reset_the_staff_members_sessions_are_no_longer_verified(client, as_user, ada, pat):
    from django.test import Client

    pat_client = verified(Client(), app_for(pat))
    pat_client.force_login(pat, backend="backto.access.accounts.backends.UsernameOrEmailBackend")
    verified(pat_client, TOTPDevice.objects.get(user=pat))
    assert pat_client.get(reverse("clinician_home")).status_code == 200
    admin = verified(as_user(ada), app_for(ada))
    admin.post(reverse("staff_two_factor_reset", args=[pat.pk]))
    response = pat_client.get(reverse("clinician_home"))
    assert response["Location"].startswith(reverse("two_factor_setup"))


def test_an_admin_cannot_reset_their_own(as_user, ada):
    device = app_for(ada)
    client = verified(as_user(ada), device)
    client.post(reverse("staff_two_factor_reset", args=[ada.pk]))
    assert TOTPDevice.objects.filter(user=ada).exists()


def test_only_an_admin_resets_and_only_in_their_clinic(as_user, settings, cora, ada, elsa):
    settings.TWO_FACTOR_ENFORCED = False
    device = app_for(elsa)
    assert as_user(cora).post(reverse("staff_two_factor_reset", args=[elsa.pk])).status_code in (
        403,
        404,
    )
    assert as_user(ada).post(reverse("staff_two_factor_reset", args=[elsa.pk])).status_code == 404
    assert TOTPDevice.objects.filter(pk=device.pk).exists()


def test_a_coordinator_gets_403_for_a_reset(as_user, settings, cora, pat):
    settings.TWO_FACTOR_ENFORCED = False
    assert as_user(cora).post(reverse("staff_two_factor_reset", args=[pat.pk])).status_code == 403


# --- The clinic's policy


def test_the_admin_turns_the_staff_policy_off_and_it_is_audited(as_user, ada, clinic):
    client = verified(as_user(ada), app_for(ada))
    assert clinic.staff_two_factor_required
    response = client.post(
        reverse("clinic_settings"),
        {
            "name": clinic.name,
            "help_message": "Call 988, then the clinic.",
            "time_zone": "America/New_York",
            "paper_size": "letter",
            "language": "en",
            "family_rates_goals": "on",
        },
    )
    assert response.status_code == 302
    clinic.refresh_from_db()
    assert not clinic.staff_two_factor_required
    assert audited("update", object_type="clinic", detail__contains="staff_two_factor_required")


def test_a_new_clinic_asks_staff_for_two_steps(clinic):
    assert clinic.staff_two_factor_required


def test_the_app_setup_key_is_kept_until_it_works(client, pat, clock):
    sign_in(client, "pat")
    client.get(reverse("two_factor_app"))
    first = client.session["backto_app_key"]
    client.get(reverse("two_factor_app"))
    assert client.session["backto_app_key"] == first
    clock.shift(timedelta(seconds=1))
    assert client.session["backto_app_key"] == first


def test_the_command_line_resets_a_clinics_only_admin(ada):
    from io import StringIO

    from django.core.management import CommandError, call_command

    app_for(ada)
    recovery_codes_new(by=ada)
    out = StringIO()
    call_command("two_step_reset", "ADA@example.org", stdout=out)
    assert "Removed 2 two-step devices of ada" in out.getvalue()
    assert not TOTPDevice.objects.filter(user=ada).exists()
    assert audited(
        "update",
        object_id=str(ada.pk),
        clinic_id=ada.clinic_id,
        detail__startswith="2-step reset by the server's command line",
    )
    with pytest.raises(CommandError, match="No account"):
        call_command("two_step_reset", "nobody")


def test_a_family_whose_device_was_removed_elsewhere_is_let_in(client, gina):
    device = app_for(gina)
    sign_in(client, "gina")
    assert client.get(reverse("family_home")).status_code == 302
    device.delete()
    assert client.get(reverse("family_home")).status_code == 200

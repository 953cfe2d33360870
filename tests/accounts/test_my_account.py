"""My account: everyone's own name, email and password; staff credentials for letters.

The page only ever shows and changes the signed-in person's own account (there is no id in its
address), so it has no wrong-role or other-clinic case: signed out, it asks for sign-in."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from backto.access.accounts import actions
from tests.conftest import PASSWORD, audited

URL = reverse("my_account")
NEW_PASSWORD = "another long passphrase"


def post(client, part, **fields):
    url = reverse(f"my_account_{part}")
    return client.post(url, {f"{part}-{k}": v for k, v in fields.items()})


def signs_in(username, password):
    response = Client().post(reverse("login"), {"username": username, "password": password})
    return response.status_code == 302


@pytest.mark.parametrize("persona", ["pat", "gina", "maya_teen"])
def test_everyone_reaches_my_account_from_the_header(as_user, request, persona):
    client = as_user(request.getfixturevalue(persona))
    home = client.get(reverse("home"), follow=True)
    assert f'href="{URL}"'.encode() in home.content
    assert client.get(URL).status_code == 200


def test_it_needs_sign_in(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_it_changes_the_password_and_stays_signed_in(as_user, gina):
    client = as_user(gina)
    response = post(
        client,
        "password",
        old_password=PASSWORD,
        new_password1=NEW_PASSWORD,
        new_password2=NEW_PASSWORD,
    )
    assert response.status_code == 302
    assert client.get(URL).status_code == 200  # this session is still signed in
    assert signs_in("gina", NEW_PASSWORD)
    assert not signs_in("gina", PASSWORD)
    assert audited("update", actor_id=gina.pk, detail="password changed")


def test_it_refuses_a_wrong_current_password_and_names_the_field(as_user, gina):
    response = post(
        as_user(gina),
        "password",
        old_password="not it",
        new_password1=NEW_PASSWORD,
        new_password2=NEW_PASSWORD,
    )
    assert response.status_code == 200
    assert response.context["password_form"].errors["old_password"] == [
        "That is not your current password."
    ]
    assert signs_in("gina", PASSWORD)


def test_it_refuses_a_weak_new_password(as_user, gina):
    response = post(
        as_user(gina),
        "password",
        old_password=PASSWORD,
        new_password1="12345",
        new_password2="12345",
    )
    assert "new_password2" in response.context["password_form"].errors
    assert b"too short" in response.content


def test_it_changes_the_email_and_tells_the_old_address(as_user, gina):
    client = as_user(gina)
    response = post(client, "email", email="gina.new@example.org", current_password=PASSWORD)
    assert response.status_code == 302
    gina.refresh_from_db()
    assert gina.email == "gina.new@example.org"
    assert mail.outbox[-1].to == ["gina@example.org"]
    assert "now uses a different one" in mail.outbox[-1].body
    assert "gina.new" not in mail.outbox[-1].body
    assert signs_in("gina.new@example.org", PASSWORD)
    assert audited("update", actor_id=gina.pk, detail="changed: email")
    assert b"Your email is now gina.new@example.org" in client.get(URL).content


def test_a_new_email_needs_the_current_password(as_user, gina):
    response = post(as_user(gina), "email", email="gina.new@example.org", current_password="nope")
    assert response.context["email_form"].errors["current_password"] == [
        "That is not your current password."
    ]
    gina.refresh_from_db()
    assert gina.email == "gina@example.org"


def test_it_refuses_an_email_another_account_uses_in_any_case(as_user, gina, otto):
    response = post(as_user(gina), "email", email="OTTO@Example.org", current_password=PASSWORD)
    assert response.context["email_form"].errors["email"] == [
        "Another account already uses this email address; choose a different one."
    ]
    gina.refresh_from_db()
    assert gina.email == "gina@example.org"


def test_it_names_a_malformed_email(as_user, gina):
    response = post(as_user(gina), "email", email="not an email", current_password=PASSWORD)
    assert response.context["email_form"].errors["email"] == ["Enter a valid email address."]


def test_a_change_of_letters_case_is_allowed_and_sends_no_notice(as_user, gina):
    post(as_user(gina), "email", email="Gina@Example.org", current_password=PASSWORD)
    gina.refresh_from_db()
    assert gina.email == "Gina@example.org"  # Django keeps the domain in lower case
    assert mail.outbox == []


def test_staff_set_the_credentials_printed_on_letters(as_user, pat):
    response = post(as_user(pat), "details", display_name="Pat Lee", credentials="PT, DPT")
    assert response.status_code == 302
    pat.refresh_from_db()
    assert pat.signature == "Pat Lee, PT, DPT"
    assert audited("update", object_type="user", detail="changed: credentials, display_name")


def test_a_family_account_changes_its_name_but_has_no_credentials(as_user, gina):
    client = as_user(gina)
    assert b"details-credentials" not in client.get(URL).content
    post(client, "details", display_name="Gina L.", credentials="MD")
    gina.refresh_from_db()
    assert (gina.display_name, gina.credentials) == ("Gina L.", "")


def test_the_action_refuses_credentials_for_a_family_account(gina):
    with pytest.raises(ValidationError) as error:
        actions.account_update(by=gina, display_name="Gina", credentials="MD")
    assert "credentials" in error.value.message_dict


def test_a_post_of_a_field_no_form_has_changes_nothing(as_user, gina):
    client = as_user(gina)
    assert client.post(URL, {"is_staff": "1"}).status_code == 405  # each form posts to its own
    response = post(client, "details", display_name="Gina", is_staff="1")
    assert response.status_code == 302
    gina.refresh_from_db()
    assert not gina.is_staff

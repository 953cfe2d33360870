"""Names and addresses longer than the accounts can hold are refused by the forms with the limit
named, on both databases: a 1 MB username at sign-in was a LIKE pattern SQLite refused (a 500
before any password was checked), and an email of 255 to 320 characters passed Django's
EmailField, then PostgreSQL refused it (a 500) while SQLite stored it."""

from axes.models import AccessAttempt
from django.urls import reverse

from backto.access.accounts.models import Invitation, User
from tests.accounts.test_invitations import accept, invite_link
from tests.accounts.test_my_account import post
from tests.conftest import PASSWORD

MEGABYTE_NAME = "x" * 1_000_000
# A valid address (local part and every label within their limits) of 310 characters.
LONG_EMAIL = "a@" + ".".join(["b" * 60] * 5) + ".org"


def test_a_megabyte_username_at_sign_in_is_refused_with_the_limit_named(client, pat):
    response = client.post(reverse("login"), {"username": MEGABYTE_NAME, "password": PASSWORD})
    assert response.status_code == 200
    assert "A username or email has at most 254 characters." in response.content.decode()
    assert not AccessAttempt.objects.exists()  # not a sign-in attempt: nothing was looked up


def test_a_username_or_email_up_to_the_limit_still_signs_in(client, pat):
    pat.email = "p" * 64 + "@" + ".".join(["e" * 60] * 3) + ".org"  # 252 characters
    pat.save()
    response = client.post(reverse("login"), {"username": pat.email, "password": PASSWORD})
    assert response.status_code == 302


def test_a_megabyte_username_on_the_invitation_is_refused_with_the_limit_named(
    as_user, client, ada
):
    as_user(ada).post(
        reverse("staff_list"),
        {"email": "new@example.org", "display_name": "New", "roles": ["counselor"]},
    )
    client.logout()
    response = accept(client, invite_link(), username=MEGABYTE_NAME)
    assert response.status_code == 200
    assert "Use 3 to 150 letters, digits or . @ + - _ (no spaces)." in response.content.decode()
    assert not User.objects.filter(clinic=ada.clinic, kind="staff").exclude(pk=ada.pk).exists()


def test_an_email_longer_than_an_account_holds_is_refused_on_every_form(
    as_user, ada, cora, gina, maya
):
    limit = "Ensure this value has at most 254 characters"
    staff = as_user(ada).post(
        reverse("staff_list"), {"email": LONG_EMAIL, "display_name": "X", "roles": ["counselor"]}
    )
    assert staff.status_code == 200 and limit in staff.content.decode()
    family = as_user(cora).post(
        reverse("family_list"),
        {
            "email": LONG_EMAIL,
            "display_name": "X",
            "kind": "guardian",
            "patient": maya.pk,
            "relationship": "father",
        },
    )
    assert family.status_code == 200 and limit in family.content.decode()
    assert not Invitation.objects.exists()
    own = post(as_user(gina), "email", email=LONG_EMAIL, current_password=PASSWORD)
    assert limit in own.content.decode()
    gina.refresh_from_db()
    assert gina.email == "gina@example.org"

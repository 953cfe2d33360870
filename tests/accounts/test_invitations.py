import re

from django.core import mail
from django.urls import reverse

from backto.access.accounts.models import Invitation, User
from tests.conftest import audited


def invite_link():
    match = re.search(r"http://\S+/invite/(\S+)/", mail.outbox[-1].body)
    assert match, mail.outbox[-1].body
    return reverse("invitation_accept", args=[match.group(1)])


def accept(client, link, username="newbie", password="a long enough passphrase"):
    return client.post(
        link,
        {
            "username": username,
            "display_name": "New Person",
            "password": password,
            "password_again": password,
        },
    )


def test_an_admin_invites_staff_who_sets_a_password(as_user, client, ada):
    response = as_user(ada).post(
        reverse("staff_list"),
        {
            "email": "new.ot@example.org",
            "display_name": "Nia OT",
            "roles": ["occupational_therapist"],
        },
    )
    assert response.status_code == 302
    assert mail.outbox[-1].to == ["new.ot@example.org"]
    assert "Lakeside Pain Program invites you" in mail.outbox[-1].body
    invitation = Invitation.objects.get()
    assert "/invite/" not in invitation.token_hash  # only the hash is stored
    client.logout()
    link = invite_link()
    assert accept(client, link).status_code == 302
    user = User.objects.get(username="newbie")
    assert user.role_keys == {"occupational_therapist"}
    assert user.clinic == ada.clinic
    assert audited("create", object_type="user", actor_id=user.pk)


def test_an_invitation_link_works_once(as_user, client, ada):
    as_user(ada).post(
        reverse("staff_list"),
        {"email": "x@example.org", "display_name": "X", "roles": ["counselor"]},
    )
    client.logout()
    link = invite_link()
    accept(client, link)
    client.logout()
    assert client.get(link).status_code == 404


def test_a_guardian_invitation_links_the_child(as_user, client, cora, maya):
    as_user(cora).post(
        reverse("family_list"),
        {
            "email": "dad@example.org",
            "display_name": "Erik",
            "kind": "guardian",
            "patient": maya.pk,
            "relationship": "father",
        },
    )
    client.logout()
    accept(client, invite_link(), username="erik")
    erik = User.objects.get(username="erik")
    assert erik.is_guardian
    assert maya.guardianships.get().guardian == erik
    assert client.get(reverse("patient_overview", args=[maya.pk])).status_code == 200


def test_a_teen_invitation_needs_a_child_of_twelve(as_user, cora, leo):
    response = as_user(cora).post(
        reverse("family_list"),
        {
            "email": "leo@example.org",
            "display_name": "Leo",
            "kind": "teen",
            "patient": leo.pk,
        },
    )
    assert b"ages 12 and older" in response.content
    assert not Invitation.objects.exists()


def test_it_refuses_a_weak_password_and_names_the_field(as_user, client, ada):
    as_user(ada).post(
        reverse("staff_list"),
        {"email": "y@example.org", "display_name": "Y", "roles": ["counselor"]},
    )
    client.logout()
    response = accept(client, invite_link(), password="12345")
    assert response.status_code == 200
    assert b"too short" in response.content
    assert not User.objects.filter(username="newbie").exists()


def test_it_refuses_an_email_already_in_use(as_user, ada, pat):
    response = as_user(ada).post(
        reverse("staff_list"),
        {"email": "PAT@example.org", "display_name": "Dup", "roles": ["counselor"]},
    )
    assert b"already exists" in response.content


def test_a_revoked_invitation_no_longer_works(as_user, client, ada):
    as_user(ada).post(
        reverse("staff_list"),
        {"email": "z@example.org", "display_name": "Z", "roles": ["counselor"]},
    )
    link = invite_link()
    invitation = Invitation.objects.get()
    ada_client = as_user(ada)
    ada_client.post(reverse("invitation_revoke", args=[invitation.pk]))
    assert b"Revoked" in ada_client.get(reverse("invitation_list")).content
    client.logout()
    assert client.get(link).status_code == 404


def test_it_returns_403_to_a_pt_inviting_staff(as_user, pat):
    response = as_user(pat).post(
        reverse("staff_list"),
        {"email": "q@example.org", "display_name": "Q", "roles": ["counselor"]},
    )
    assert response.status_code == 403
    assert audited("permission_denied", actor_id=pat.pk, detail="403 staff_manage")
    assert not Invitation.objects.exists()

"""Resending an invitation nobody accepted: a fresh expiry and a fresh link, the old one retired."""

from datetime import timedelta

import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from backto.access.accounts import actions
from backto.access.accounts.models import Invitation, User, UserKind
from tests.accounts.test_invitations import accept, invite_link
from tests.conftest import audited, make_user


def invite_staff(ada, email="nia@example.org"):
    return actions.invitation_create(
        by=ada, email=email, kind=UserKind.STAFF, display_name="Nia", roles=["counselor"]
    )


def resend(client, invitation):
    return client.post(reverse("invitation_resend", args=[invitation.pk]))


def test_an_admin_resends_an_expired_invitation_with_a_fresh_link(as_user, client, ada, settings):
    invitation = invite_staff(ada)
    old_link = invite_link()
    with time_machine.travel(timezone.localtime() + timedelta(days=settings.INVITATION_DAYS + 1)):
        invitation.refresh_from_db()
        assert invitation.status == "expired"
        response = resend(as_user(ada), invitation)
        assert response["Location"] == reverse("invitation_list")
        invitation.refresh_from_db()
        assert invitation.status == "pending"
        assert invitation.expires_at > timezone.now() + timedelta(days=settings.INVITATION_DAYS - 1)
        assert len(mail.outbox) == 2 and mail.outbox[-1].to == ["nia@example.org"]
        new_link = invite_link()
        assert new_link != old_link
        client.logout()
        assert client.get(old_link).status_code == 404
        assert accept(client, new_link).status_code == 302
    assert User.objects.filter(username="newbie", email="nia@example.org").exists()
    assert audited(
        "update", object_type="invitation", object_id=str(invitation.pk), detail="resent"
    )


def test_resending_a_pending_invitation_retires_its_old_link(as_user, client, ada):
    invitation = invite_staff(ada)
    old_link = invite_link()
    resend(as_user(ada), invitation)
    client.logout()
    assert client.get(old_link).status_code == 404
    assert client.get(invite_link()).status_code == 200


def test_it_will_not_resend_an_accepted_or_revoked_invitation(as_user, client, ada):
    accepted = invite_staff(ada)
    accept(client, invite_link())
    revoked = invite_staff(ada, email="rev@example.org")
    actions.invitation_revoke(by=ada, invitation=revoked)
    admin = as_user(ada)
    assert resend(admin, accepted).status_code == 404
    assert resend(admin, revoked).status_code == 404
    assert len(mail.outbox) == 2


def test_it_will_not_resend_to_an_address_that_now_has_an_account(as_user, ada, clinic):
    invitation = invite_staff(ada)
    make_user(clinic, "nia", email="NIA@example.org")
    response = resend(as_user(ada), invitation)
    assert b"already exists" in as_user(ada).get(response["Location"]).content
    assert len(mail.outbox) == 1


def test_a_coordinator_resends_a_family_invitation(as_user, cora, maya):
    invitation = actions.invitation_create(
        by=cora, email="dad@example.org", kind=UserKind.GUARDIAN, patient=maya
    )
    assert resend(as_user(cora), invitation).status_code == 302
    assert len(mail.outbox) == 2


def test_a_staff_invitation_is_not_found_by_a_coordinator(as_user, ada, cora):
    """Not a 403: that would tell a coordinator which staff invitation ids exist
    (tests/accounts/test_account_ids.py)."""
    invitation = invite_staff(ada)
    assert resend(as_user(cora), invitation).status_code == 404
    assert len(mail.outbox) == 1


def test_it_returns_404_for_another_clinics_invitation(as_user, ada, other_clinic):
    other_admin = make_user(other_clinic, "hal", roles=("clinic_admin",))
    invitation = invite_staff(other_admin)
    assert resend(as_user(ada), invitation).status_code == 404
    assert Invitation.objects.get().expires_at == invitation.expires_at


def test_the_list_offers_resend_only_where_it_applies(as_user, client, ada, cora, maya):
    invite_staff(ada)
    accept(client, invite_link())
    actions.invitation_create(
        by=cora, email="dad@example.org", kind=UserKind.GUARDIAN, patient=maya
    )
    admin_page = as_user(ada).get(reverse("invitation_list")).content.decode()
    assert admin_page.count("Resend<span") == 1  # the family one; the staff one was accepted
    coordinator_page = as_user(cora).get(reverse("invitation_list")).content.decode()
    assert coordinator_page.count("Resend<span") == 1

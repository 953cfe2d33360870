"""Siblings and two households: one guardian account for several children, and several
guardians, each with their own account, for one child."""

from django.core import mail
from django.urls import reverse

from backto.access.accounts import actions
from backto.access.accounts.models import Invitation, User, UserKind
from backto.access.patients import actions as patient_actions
from backto.access.patients.models import Guardianship
from tests.accounts.test_invitations import accept, invite_link
from tests.conftest import audited, make_user, years_ago

LINK = reverse("family_guardian_link")


def link(client, guardian, patient, relationship="mother"):
    return client.post(
        LINK,
        {
            "link-guardian": guardian.pk,
            "link-patient": patient.pk,
            "link-relationship": relationship,
        },
    )


def register_sibling(cora, clinic):
    return patient_actions.patient_register(
        by=cora,
        clinic=clinic,
        legal_name="Sam Lindqvist",
        date_of_birth=years_ago(9),
        sex="male",
    )


def test_the_families_page_offers_to_link_an_existing_guardian(as_user, cora, gina, otto):
    page = as_user(cora).get(reverse("family_list"))
    assert b"Link a parent or guardian to another child" in page.content
    assert set(page.context["link_form"].fields["guardian"].queryset) == {gina, otto}


def test_an_admin_links_an_existing_guardian_to_a_sibling(as_user, client, cora, gina, clinic):
    sam = register_sibling(cora, clinic)
    response = link(as_user(cora), gina, sam)
    assert response["Location"] == reverse("family_list")
    assert Guardianship.objects.get(guardian=gina, patient=sam).relationship == "mother"
    assert audited("create", object_type="guardianship", actor_id=cora.pk, patient_id=sam.pk)
    home = as_user(gina).get(reverse("family_home"))
    assert b"Maya" in home.content and b"Sam" in home.content
    assert client.get(reverse("patient_overview", args=[sam.pk])).status_code == 200


def test_it_refuses_a_link_that_exists_with_a_clear_message(as_user, cora, gina, maya):
    response = link(as_user(cora), gina, maya)
    assert response.status_code == 200
    assert response.context["link_form"].errors["patient"] == [
        "Gina Lindqvist is already linked to Maya Lindqvist."
    ]
    assert maya.guardianships.count() == 1
    assert f'action="{reverse("family_list")}#invite"'.encode() in response.content


def test_it_names_a_missing_choice(as_user, cora, gina):
    response = as_user(cora).post(LINK, {"link-guardian": gina.pk, "link-relationship": "mother"})
    assert response.context["link_form"].errors["patient"] == ["This field is required."]


def test_it_returns_403_to_a_guardian(as_user, gina, leo):
    assert link(as_user(gina), gina, leo).status_code == 403
    assert not Guardianship.objects.filter(guardian=gina, patient=leo).exists()


def test_it_returns_404_for_another_clinics_child_or_guardian(as_user, cora, gina, other_clinic):
    elsewhere_child = patient_actions.patient_register(
        by=make_user(other_clinic, "hal", roles=("coordinator",)),
        clinic=other_clinic,
        legal_name="Ivy Hill",
        date_of_birth=years_ago(10),
        sex="female",
    )
    elsewhere_parent = make_user(other_clinic, "ivan", kind=UserKind.GUARDIAN)
    client = as_user(cora)
    assert link(client, gina, elsewhere_child).status_code == 404
    assert link(client, elsewhere_parent, register_sibling(cora, gina.clinic)).status_code == 404
    assert not Guardianship.objects.filter(patient=elsewhere_child).exists()


def test_a_second_household_gets_its_own_account_for_the_same_child(
    as_user, client, cora, gina, maya, otto, leo
):
    """Gina (Maya's mother) has an account; Maya's father lives apart and gets his own."""
    response = as_user(cora).post(
        reverse("family_list"),
        {
            "email": "erik@example.org",
            "display_name": "Erik Lindqvist",
            "kind": "guardian",
            "patient": maya.pk,
            "relationship": "father",
        },
    )
    assert response.status_code == 302
    client.logout()
    assert accept(client, invite_link(), username="erik").status_code == 302
    erik = User.objects.get(username="erik")
    assert {g.guardian for g in maya.guardianships.all()} == {gina, erik}
    assert maya.guardianships.get(guardian=erik).relationship == "father"
    for parent in (gina, erik):
        parent_client = as_user(parent)
        assert parent_client.get(reverse("patient_overview", args=[maya.pk])).status_code == 200
        assert b"Maya" in parent_client.get(reverse("family_home")).content
        assert parent_client.get(reverse("patient_overview", args=[leo.pk])).status_code == 404
    assert as_user(otto).get(reverse("patient_overview", args=[maya.pk])).status_code == 404


def test_one_address_cannot_hold_two_waiting_invitations(as_user, cora, maya, leo):
    actions.invitation_create(
        by=cora, email="dad@example.org", kind=UserKind.GUARDIAN, patient=maya
    )
    response = as_user(cora).post(
        reverse("family_list"),
        {
            "email": "DAD@example.org",
            "display_name": "Dad",
            "kind": "guardian",
            "patient": leo.pk,
            "relationship": "father",
        },
    )
    assert b"link that account to another child" in response.content
    assert Invitation.objects.count() == 1


def test_an_invitation_to_an_address_now_in_use_says_what_to_do(client, cora, maya, clinic):
    actions.invitation_create(
        by=cora, email="dad@example.org", kind=UserKind.GUARDIAN, patient=maya
    )
    make_user(clinic, "dad", kind=UserKind.GUARDIAN, email="Dad@example.org")
    response = accept(client, invite_link(), username="dad2")
    assert response.status_code == 200
    assert "Forgot your password?" in response.content.decode()
    assert not User.objects.filter(username="dad2").exists()
    assert len(mail.outbox) == 1

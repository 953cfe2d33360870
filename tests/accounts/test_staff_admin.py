from django.urls import reverse

from tests.conftest import PASSWORD, audited


def test_it_lists_staff_with_their_roles(as_user, ada, pat, elsa):
    response = as_user(ada).get(reverse("staff_list"))
    assert response.status_code == 200
    assert b"Physical therapist" in response.content
    assert b"elsa" not in response.content


def test_it_changes_roles(as_user, ada, pat):
    as_user(ada).post(
        reverse("staff_detail", args=[pat.pk]), {"roles": ["physical_therapist", "coordinator"]}
    )
    pat.__dict__.pop("role_keys", None)
    assert pat.role_keys == {"physical_therapist", "coordinator"}
    assert audited("update", object_type="user", object_id=str(pat.pk))


def test_it_deactivates_an_account_without_losing_history(as_user, client, ada, pat, episode):
    as_user(ada).post(reverse("account_set_active", args=[pat.pk]), {"active": "0"})
    pat.refresh_from_db()
    assert not pat.is_active
    assert episode.care_team.filter(clinician=pat).exists()
    client.logout()
    assert (
        client.post(reverse("login"), {"username": "pat", "password": PASSWORD}).status_code == 200
    )


def test_an_admin_cannot_deactivate_themselves(as_user, ada):
    as_user(ada).post(reverse("account_set_active", args=[ada.pk]), {"active": "0"})
    ada.refresh_from_db()
    assert ada.is_active


def test_it_returns_403_to_a_coordinator_for_staff(as_user, cora):
    assert as_user(cora).get(reverse("staff_list")).status_code == 403


def test_it_returns_404_for_staff_of_another_clinic(as_user, ada, elsa):
    assert as_user(ada).get(reverse("staff_detail", args=[elsa.pk])).status_code == 404


def test_a_coordinator_manages_families(as_user, cora, gina, maya):
    response = as_user(cora).get(reverse("family_list"))
    assert response.status_code == 200
    assert b"Gina Lindqvist" in response.content


def test_it_returns_403_to_a_guardian_for_families(as_user, gina):
    assert as_user(gina).get(reverse("family_list")).status_code == 403


def test_the_admin_changes_clinic_settings(as_user, ada, clinic):
    response = as_user(ada).post(
        reverse("clinic_settings"),
        {
            "name": "Lakeside Pain Program",
            "help_message": "Call 988, then the clinic at 555-0100.",
            "time_zone": "America/New_York",
            "paper_size": "letter",
            "language": "en",
        },
    )
    assert response.status_code == 302
    clinic.refresh_from_db()
    assert clinic.help_message.startswith("Call 988") and clinic.family_rates_goals is False
    assert audited("update", object_type="clinic", detail__contains="family_rates_goals")


def test_clinic_settings_name_the_missing_field(as_user, ada):
    response = as_user(ada).post(reverse("clinic_settings"), {"name": "", "help_message": "x"})
    assert b"This field is required" in response.content


def test_the_help_message_cannot_be_emptied(as_user, ada, clinic):
    before = clinic.help_message
    response = as_user(ada).post(
        reverse("clinic_settings"), {"name": "Lakeside", "help_message": ""}
    )
    assert response.status_code == 200 and b"This field is required" in response.content
    clinic.refresh_from_db()
    assert clinic.help_message == before


def test_it_returns_403_to_a_coordinator_for_clinic_settings(as_user, cora):
    assert as_user(cora).get(reverse("clinic_settings")).status_code == 403

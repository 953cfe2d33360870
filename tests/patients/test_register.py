from django.urls import reverse

from backto.access.patients.models import Patient
from tests.conftest import audited, years_ago

URL = reverse("patient_register")


def details(**overrides):
    data = {
        "legal_name": "Ivy Chen",
        "preferred_name": "",
        "date_of_birth": years_ago(11).isoformat(),
        "sex": "female",
        "school": "",
        "grade": "",
        "languages": "English",
    }
    data.update(overrides)
    return data


def test_it_registers_a_child(as_user, cora):
    response = as_user(cora).post(URL, details())
    patient = Patient.objects.get(legal_name="Ivy Chen")
    assert response["Location"] == reverse("episode_open", args=[patient.pk])
    assert patient.clinic == cora.clinic
    assert audited("create", object_type="patient", patient_id=patient.pk, actor_id=cora.pk)


def test_it_names_the_field_and_what_is_allowed(as_user, cora):
    response = as_user(cora).post(
        URL,
        details(date_of_birth=years_ago(40).isoformat(), sex="robot"),
    )
    assert b"enter an age between 3 and 25" in response.content
    assert b"Select a valid choice" in response.content
    assert not Patient.objects.exists()


def test_it_returns_403_to_a_pt(as_user, pat):
    assert as_user(pat).get(URL).status_code == 403


def test_it_returns_403_to_a_guardian(as_user, gina):
    assert as_user(gina).post(URL, details()).status_code == 403
    assert not Patient.objects.filter(legal_name="Ivy Chen").exists()


def test_it_lets_a_care_team_pt_edit_details(as_user, pat, maya, episode):
    response = as_user(pat).post(
        reverse("patient_edit", args=[maya.pk]),
        details(
            legal_name="Maya Rose Lindqvist",
            school="Lakeside High",
            date_of_birth=maya.date_of_birth.isoformat(),
        ),
    )
    assert response.status_code == 302
    maya.refresh_from_db()
    assert maya.school == "Lakeside High"
    assert audited("update", object_type="patient", detail__contains="school")


def test_it_returns_404_on_edit_to_a_pt_elsewhere(as_user, elsa, maya):
    assert as_user(elsa).get(reverse("patient_edit", args=[maya.pk])).status_code == 404

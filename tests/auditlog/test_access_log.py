from django.urls import reverse

from tests.conftest import audited


def url(patient):
    return reverse("access_log", args=[patient.pk])


def test_it_shows_a_guardian_who_opened_their_childs_record(
    as_user, client, pat, gina, maya, episode
):
    as_user(pat).get(reverse("patient_overview", args=[maya.pk]))
    client.logout()
    response = as_user(gina).get(url(maya))
    assert response.status_code == 200
    assert b"pat" in response.content
    assert b"Viewed" in response.content
    assert audited("view", actor_id=gina.pk, object_type="patient", patient_id=maya.pk)


def test_it_returns_404_to_another_familys_guardian(as_user, otto, maya):
    assert as_user(otto).get(url(maya)).status_code == 404


def test_it_returns_403_to_the_teen(as_user, maya_teen, maya):
    assert as_user(maya_teen).get(url(maya)).status_code == 403

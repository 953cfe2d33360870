from django.urls import reverse

from backto.access.patients import actions
from tests.conftest import TODAY

URL = reverse("clinician_home")


def test_it_lists_my_care_team_patients_only(as_user, pat, maya, episode, leo):
    response = as_user(pat).get(URL)
    assert response.status_code == 200
    assert b"Maya Lindqvist" in response.content
    assert b"Leo Okafor" not in response.content
    assert b"Start intake" in response.content


def test_it_shows_the_coordinator_the_whole_clinic_on_request(as_user, cora, maya, episode, leo):
    client = as_user(cora)
    assert b"Leo Okafor" not in client.get(URL).content
    response = client.get(URL, {"show": "clinic", "state": ""})
    assert b"Leo Okafor" in response.content and b"Maya Lindqvist" in response.content


def test_it_never_shows_another_clinic(as_user, elsa, maya, episode):
    response = as_user(elsa).get(URL, {"show": "clinic", "state": ""})
    assert b"Maya" not in response.content


def test_it_serves_the_table_alone_to_htmx(as_user, pat, episode):
    response = as_user(pat).get(URL, HTTP_HX_REQUEST="true")
    assert b"<html" not in response.content
    assert b"Maya Lindqvist" in response.content
    assert response["Vary"].count("HX-Request") == 1


def test_it_returns_403_to_a_guardian(as_user, gina):
    assert as_user(gina).get(URL).status_code == 403


def test_its_query_count_does_not_grow_with_the_caseload(
    as_user, cora, pat, clinic, django_assert_num_queries
):
    from datetime import date

    client = as_user(cora)

    def add_children(n):
        for i in range(n):
            child = actions.patient_register(
                by=cora, clinic=clinic, legal_name=f"Child {i}", date_of_birth=date(2012, 1, 1)
            )
            ep = actions.episode_open(by=cora, patient=child, referral_date=TODAY)
            actions.care_team_add(by=cora, episode=ep, clinician=pat, discipline="pt", lead=True)

    add_children(2)
    client.get(URL, {"show": "clinic"})
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        client.get(URL, {"show": "clinic"})
    add_children(20)
    with CaptureQueriesContext(connection) as large:
        response = client.get(URL, {"show": "clinic"})
    assert response.content.count(b"Child ") == 22
    assert len(large) == len(small)

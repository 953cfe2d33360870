"""The JSON API's frame: who may call it, its errors as problem details, its cursor pages."""

import json
from typing import Any

import pytest
from django.test import Client

from backto.access.apitokens.actions import token_revoke
from backto.access.apitokens.models import ApiToken
from backto.audit.models import AuditEvent
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def problem(response: Any) -> dict[str, Any]:
    assert response["Content-Type"] == "application/problem+json"
    body: dict[str, Any] = json.loads(response.content)
    assert {"type", "title", "status", "detail"} <= set(body)
    assert body["status"] == response.status_code
    return body


def test_the_schema_is_served_as_openapi_3_1_without_a_token(client: Client) -> None:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.1")
    assert "/api/v1/patients" in schema["paths"]
    assert "/api/v1/patients/{patient_id}/diary" in schema["paths"]


def test_no_token_is_a_401_problem_naming_the_header(client: Client, maya: Any) -> None:
    response = client.get(f"/api/v1/patients/{maya.pk}")
    assert response.status_code == 401
    assert "Bearer" in problem(response)["detail"]
    assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize("words", ["bt_nothing", "Basic abc", "bt_" + "x" * 300])
def test_an_unknown_token_is_a_401(maya: Any, words: str) -> None:
    response = Client(headers={"Authorization": f"Bearer {words}"}).get("/api/v1/patients")
    assert response.status_code == 401


def test_a_revoked_or_expired_token_stops_working(
    bearer: Any, pat: Any, episode: Any, clock: Any
) -> None:
    client = bearer(pat)
    assert client.get("/api/v1/patients").status_code == 200
    token = ApiToken.objects.get(user=pat)
    clock.shift(31 * 24 * 3600)
    assert client.get("/api/v1/patients").status_code == 401
    clock.shift(-31 * 24 * 3600)
    token_revoke(by=pat, token=token)
    assert client.get("/api/v1/patients").status_code == 401


def test_a_care_team_token_reads_its_child_and_is_audited(
    bearer: Any, pat: Any, episode: Any
) -> None:
    maya = episode.patient
    response = bearer(pat).get(f"/api/v1/patients/{maya.pk}")
    assert response.status_code == 200
    assert response.json()["id"] == maya.pk
    event = AuditEvent.objects.filter(actor_id=pat.pk, action="view", patient_id=maya.pk).latest(
        "pk"
    )
    assert event.object_type == "patient"


def test_outside_the_circle_is_the_same_404_as_no_record(
    bearer: Any, olive: Any, episode: Any
) -> None:
    client = bearer(olive)
    outside = client.get(f"/api/v1/patients/{episode.patient_id}")
    missing = client.get("/api/v1/patients/999999")
    assert outside.status_code == missing.status_code == 404
    assert problem(outside) == problem(missing)


def test_another_clinics_token_gets_a_404(bearer: Any, elsa: Any, episode: Any) -> None:
    assert bearer(elsa).get(f"/api/v1/episodes/{episode.pk}").status_code == 404


def test_the_wrong_role_is_a_403_problem(bearer: Any, ada: Any, episode: Any) -> None:
    # A clinic admin reaches every child but reads no therapy sessions.
    response = bearer(ada).get(f"/api/v1/episodes/{episode.pk}/sessions")
    assert response.status_code == 403
    problem(response)


def test_a_read_only_token_cannot_write(bearer: Any, pat: Any, episode: Any) -> None:
    response = bearer(pat).post(
        f"/api/v1/patients/{episode.patient_id}/diary", {}, content_type="application/json"
    )
    assert response.status_code == 403
    assert "read-only" in problem(response)["detail"]


def test_bad_query_input_names_the_parameter(bearer: Any, pat: Any, episode: Any) -> None:
    response = bearer(pat).get("/api/v1/patients?limit=0")
    assert response.status_code == 422
    body = problem(response)
    assert body["errors"][0]["pointer"] == "?limit"
    response = bearer(pat).get("/api/v1/patients?cursor=nonsense")
    assert response.status_code == 422
    assert problem(response)["errors"][0]["pointer"] == "?cursor"


def test_cursor_pages_walk_the_whole_list_with_fixed_queries(
    bearer: Any, cora: Any, clinic: Any, django_assert_max_num_queries: Any
) -> None:
    from backto.access.patients.models import Patient
    from tests.conftest import years_ago

    for n in range(7):
        Patient.objects.create(clinic=clinic, legal_name=f"Child {n}", date_of_birth=years_ago(10))
    client = bearer(cora)
    seen: list[int] = []
    url = "/api/v1/patients?limit=3"
    while url:
        with django_assert_max_num_queries(12):
            body = client.get(url).json()
        seen += [p["id"] for p in body["items"]]
        url = (
            f"/api/v1/patients?limit=3&cursor={body['next_cursor']}" if body["next_cursor"] else ""
        )
    assert sorted(seen) == seen
    assert len(seen) == len(set(seen)) == Patient.objects.filter(clinic=clinic).count()


def test_a_family_session_reads_through_the_api(as_user: Any, gina: Any, maya: Any) -> None:
    client = as_user(gina)
    assert client.get(f"/api/v1/patients/{maya.pk}").status_code == 200
    assert client.get("/api/v1/patients").json()["items"][0]["id"] == maya.pk


def test_families_cannot_make_tokens(gina: Any) -> None:
    from backto.access.apitokens.actions import TokenRefused, token_create

    with pytest.raises(TokenRefused):
        token_create(by=gina, name="mine", scope="read", days=30)


def test_a_token_of_a_person_made_inactive_stops(bearer: Any, clinic: Any) -> None:
    person = make_user(clinic, "paula", roles=["physical_therapist"])
    client = bearer(person)
    person.is_active = False
    person.save()
    assert client.get("/api/v1/patients").status_code == 401


@pytest.mark.parametrize(
    "path", ["/api/v1/patients/-3", "/api/v1/nothing", "/api/v1/patients/x/diary"]
)
def test_an_address_no_endpoint_has_is_a_404_problem(bearer: Any, pat: Any, path: str) -> None:
    response = bearer(pat).get(path)
    assert response.status_code == 404
    problem(response)


def test_the_familys_access_log_names_what_the_api_read(
    bearer: Any, as_user: Any, pat: Any, gina: Any, episode: Any
) -> None:
    maya = episode.patient
    bearer(pat).get(f"/api/v1/patients/{maya.pk}/diary")
    bearer(pat).get(f"/api/v1/episodes/{episode.pk}/sessions")
    page = as_user(gina).get(f"/patients/{maya.pk}/access-log/").content.decode()
    assert "Diary" in page and "Session notes" in page

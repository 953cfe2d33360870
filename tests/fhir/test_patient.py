"""Patient: read and search by token, the circle's 404, the refusals, the audit."""

from typing import Any

from backto.access.patients import actions as patients
from backto.audit.models import AuditEvent
from tests.conftest import years_ago
from tests.fhir.conftest import forced_token, token_for


def test_a_clinician_reads_a_child_on_their_care_team(fhir, pat, maya, episode):
    answer = fhir(pat, f"/fhir/Patient/{maya.pk}")
    assert answer.status == 200
    assert answer.body["birthDate"] == maya.date_of_birth.isoformat()
    assert answer.body["gender"] == "female"
    assert {n["use"] for n in answer.body["name"]} == {"official", "usual"}
    event = AuditEvent.objects.filter(action="view", object_type="Patient").get()
    assert (event.object_id, event.patient_id, event.actor_id) == (str(maya.pk), maya.pk, pat.pk)


def test_without_a_token_the_answer_is_401_asking_for_one(fhir, maya):
    answer = fhir(None, f"/fhir/Patient/{maya.pk}")
    assert answer.status == 401
    assert answer.headers["WWW-Authenticate"].startswith("Bearer")
    assert answer.body["issue"][0]["code"] == "login"
    assert answer.expressions == ["Authorization"]


def test_a_wrong_token_is_401_too(fhir, maya):
    answer = fhir(None, f"/fhir/Patient/{maya.pk}", token="bt_not-a-token")
    assert answer.status == 401


def test_a_session_cookie_does_not_open_the_endpoint(fhir, as_user, pat, maya, episode):
    as_user(pat)
    assert fhir(None, f"/fhir/Patient/{maya.pk}").status == 401


def test_a_child_of_another_clinic_is_404_like_one_that_does_not_exist(
    fhir, elsa, pat, maya, episode
):
    elsewhere = fhir(elsa, f"/fhir/Patient/{maya.pk}")
    missing = fhir(pat, "/fhir/Patient/999999")
    assert elsewhere.status == missing.status == 404
    assert elsewhere.body["issue"][0]["code"] == "not-found"
    assert AuditEvent.objects.filter(
        action="permission_denied", object_type="Patient", actor_id=elsa.pk
    ).exists()


def test_a_clinician_off_the_care_team_gets_404(fhir, olive, maya, episode):
    assert fhir(olive, f"/fhir/Patient/{maya.pk}").status == 404


def test_a_family_member_holding_a_token_is_still_refused(fhir, gina, maya):
    """Families are not given tokens (api_tokens is staff's); a token row made for a guardian
    anyway opens nothing."""
    assert fhir(None, f"/fhir/Patient/{maya.pk}", token=forced_token(gina)).status == 401


def test_the_search_lists_the_circle_only_with_one_audit_event(fhir, cora, pat, maya, leo, episode):
    assert fhir(pat, "/fhir/Patient").ids == [str(maya.pk)]
    assert set(fhir(cora, "/fhir/Patient").ids) == {str(maya.pk), str(leo.pk)}
    events = AuditEvent.objects.filter(action="view", object_type="Patient")
    assert events.count() == 2
    assert events.get(actor_id=pat.pk).patient_id == maya.pk
    assert events.get(actor_id=cora.pk).patient_id is None


def test_paging_follows_next_links_to_the_end(fhir, cora, clinic):
    born = years_ago(10)
    made = [
        patients.patient_register(
            by=cora, clinic=clinic, legal_name=f"Child {n}", date_of_birth=born
        )
        for n in range(5)
    ]
    token = token_for(cora)
    seen: list[str] = []
    url: str | None = "/fhir/Patient?_count=2"
    pages = 0
    while url:
        answer = fhir(None, url, token=token)
        assert answer.status == 200
        assert len(answer.resources) <= 2
        seen += answer.ids
        url = answer.link("next")
        pages += 1
        assert url is None or ("_cursor=" in url and "offset" not in url)
    assert pages == 3
    assert seen == [str(p.pk) for p in made]


def test_a_bad_count_is_400_naming_it(fhir, cora):
    answer = fhir(cora, "/fhir/Patient?_count=1000")
    assert answer.status == 400
    assert answer.expressions == ["_count"]
    assert "1 to 100" in answer.diagnostics


def test_an_unknown_parameter_is_400_naming_it(fhir, cora):
    answer = fhir(cora, "/fhir/Patient?name=Maya")
    assert answer.status == 400
    assert answer.expressions == ["name"]


def test_a_forged_cursor_is_400(fhir, cora):
    answer = fhir(cora, "/fhir/Patient?_cursor=bm90LWEtY3Vyc29y")
    assert answer.status == 400
    assert answer.expressions == ["_cursor"]


def test_the_query_count_does_not_grow_with_the_page(
    fhir, cora, clinic, django_assert_max_num_queries: Any
):
    born = years_ago(10)
    token = token_for(cora)

    def queries_for(n: int) -> int:
        for i in range(n):
            patients.patient_register(
                by=cora, clinic=clinic, legal_name=f"Kid {n} {i}", date_of_birth=born
            )
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        fhir(None, "/fhir/Patient?_count=1", token=token)  # the token's first use is noted once
        with CaptureQueriesContext(connection) as queries:
            assert fhir(None, "/fhir/Patient?_count=100", token=token).status == 200
        return len(queries)

    assert queries_for(2) == queries_for(20)


def test_a_teen_holding_a_token_is_refused(fhir, maya_teen, maya):
    assert fhir(None, "/fhir/Patient", token=forced_token(maya_teen)).status == 401


def test_dates_and_cursors_out_of_range_are_400_not_a_failure(fhir, pat):
    from backto.readers.fhir.params import write_cursor

    for query, name in (
        ("date=gt9999-12-31", "date"),
        ("date=lt0001-01-01", "date"),
        ("date=2026-02-30", "date"),
        (f"_cursor={write_cursor(('', 0, 2**70, 0))}", "_cursor"),
    ):
        answer = fhir(pat, f"/fhir/Encounter?{query}")
        assert (answer.status, answer.expressions) == (400, [name]), query
    assert fhir(pat, "/fhir/Encounter?date=9999-12-31").status == 200


def test_an_id_this_server_never_gives_is_a_404_audited(fhir, pat):
    assert fhir(pat, "/fhir/Patient/maya").status == 404
    assert AuditEvent.objects.filter(
        action="permission_denied", object_type="Patient", object_id="maya"
    ).exists()

"""Observations of questionnaire scores: traced to instrument, version and rule; LOINC where it
exists; searched by patient, code and date; paged; refused as the pages refuse."""

from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from backto.audit.models import AuditEvent
from tests.conftest import PINNED_AT, TODAY
from tests.fhir.conftest import token_for
from tests.fhir.scoring import complete, copies

LOINC_PAIN = "http://loinc.org|72514-3"


@pytest.fixture
def scored(clock: Any, pat: Any, active: Any) -> dict[str, Any]:
    pain = complete(
        pat, active, "nrs-pain", {"current": 6, "usual_week": 5, "worst_week": 8}, days_ago=10
    )
    fdi = complete(pat, active, "fdi-child", {str(n): 1 for n in range(1, 16)}, days_ago=2)
    return {"pain": pain, "fdi": fdi}


def test_a_pain_score_carries_loinc_the_instrument_version_and_rule(fhir, pat, maya, scored):
    pain = scored["pain"]
    answer = fhir(pat, f"/fhir/Observation/score-{pain.pk}")
    assert answer.status == 200
    body = answer.body
    assert body["code"]["coding"][0] == {
        "system": "http://loinc.org",
        "code": "72514-3",
        "display": "Pain severity - 0-10 verbal numeric rating [Score] - Reported",
    }
    assert body["code"]["coding"][1]["code"] == "nrs-pain"
    assert body["valueQuantity"]["value"] == 6
    assert body["subject"] == {"reference": f"Patient/{maya.pk}"}
    assert body["derivedFrom"] == [{"reference": f"QuestionnaireResponse/{pain.pk}"}]
    extensions = {e["url"]: e for e in body["extension"]}
    assert extensions["urn:backto:extension:instrument"]["valueCanonical"].endswith(
        "/fhir/Questionnaire/nrs-pain|1.0.0"
    )
    assert extensions["urn:backto:extension:scoring-rule"]["valueString"] == pain.result["rule"]
    assert pain.result["rule"] in body["method"]["text"]
    assert body["interpretation"] == [{"text": "moderate"}]
    components = {
        c["code"]["coding"][0]["code"]: c["valueQuantity"]["value"] for c in body["component"]
    }
    assert components == {"nrs-pain.usual_week": 5, "nrs-pain.worst_week": 8}
    event = AuditEvent.objects.get(action="view", object_type="Observation")
    assert (event.object_id, event.patient_id) == (f"score-{pain.pk}", maya.pk)


def test_a_score_without_loinc_has_the_project_code_only(fhir, pat, scored):
    body = fhir(pat, f"/fhir/Observation/score-{scored['fdi'].pk}").body
    assert [c["system"] for c in body["code"]["coding"]] == ["urn:backto:codes"]
    assert body["valueQuantity"]["value"] == 15


def test_search_by_patient_and_code(fhir, pat, maya, scored):
    token = token_for(pat)
    by_loinc = fhir(None, f"/fhir/Observation?patient={maya.pk}&code={LOINC_PAIN}", token=token)
    assert by_loinc.ids == [f"score-{scored['pain'].pk}"]
    ours = fhir(
        None,
        f"/fhir/Observation?patient=Patient/{maya.pk}&code=urn:backto:codes|fdi-child",
        token=token,
    )
    assert ours.ids == [f"score-{scored['fdi'].pk}"]
    both = fhir(None, f"/fhir/Observation?patient={maya.pk}&code=72514-3,fdi-child", token=token)
    assert len(both.ids) == 2
    none = fhir(
        None, f"/fhir/Observation?patient={maya.pk}&code=http://loinc.org|fdi-child", token=token
    )
    assert none.ids == []
    assert (
        AuditEvent.objects.filter(
            action="view", object_type="Observation", patient_id=maya.pk
        ).count()
        == 4
    )


def test_search_by_date_ranges_and_sort(fhir, pat, maya, scored):
    token = token_for(pat)
    pain, fdi = f"score-{scored['pain'].pk}", f"score-{scored['fdi'].pk}"
    ten_days = (TODAY - timedelta(days=10)).isoformat()
    two_days = (TODAY - timedelta(days=2)).isoformat()
    in_month = [i for i, day in ((pain, ten_days), (fdi, two_days)) if day[:7] == ten_days[:7]]
    assert fhir(None, f"/fhir/Observation?date={ten_days[:7]}", token=token).ids == in_month
    assert fhir(None, f"/fhir/Observation?date=eq{int(ten_days[:4]) - 1}", token=token).ids == []
    assert fhir(None, f"/fhir/Observation?date={ten_days}", token=token).ids == [pain]
    assert fhir(None, f"/fhir/Observation?date=gt{ten_days}", token=token).ids == [fdi]
    assert fhir(None, f"/fhir/Observation?date=le{ten_days}", token=token).ids == [pain]
    assert fhir(None, f"/fhir/Observation?date=lt{ten_days}", token=token).ids == []
    assert fhir(None, f"/fhir/Observation?date=ge{ten_days}&date=le{TODAY}", token=token).ids == [
        pain,
        fdi,
    ]
    assert fhir(None, "/fhir/Observation?_sort=-date", token=token).ids == [fdi, pain]
    bad = fhir(None, "/fhir/Observation?date=yesterday", token=token)
    assert (bad.status, bad.expressions) == (400, ["date"])
    bad = fhir(None, "/fhir/Observation?_sort=name", token=token)
    assert (bad.status, bad.expressions) == (400, ["_sort"])


def test_paging_by_cursor_reaches_every_score_once(fhir, pat, maya, scored):
    copies(scored["fdi"], 4, at=PINNED_AT)
    token = token_for(pat)
    for sort in ("date", "-date"):
        seen: list[str] = []
        url: str | None = f"/fhir/Observation?patient={maya.pk}&_count=2&_sort={sort}"
        while url:
            answer = fhir(None, url, token=token)
            seen += answer.ids
            url = answer.link("next")
        assert len(seen) == len(set(seen)) == 6
        assert (seen[0] == f"score-{scored['pain'].pk}") == (sort == "date")


def test_the_query_count_is_fixed_per_page(fhir, pat, maya, scored):
    token = token_for(pat)
    fhir(None, "/fhir/Observation?_count=1", token=token)

    def counted() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as queries:
            answer = fhir(None, f"/fhir/Observation?patient={maya.pk}&_count=100", token=token)
        return len(answer.ids), len(queries)

    few, few_queries = counted()
    copies(scored["fdi"], 15, at=PINNED_AT)
    many, many_queries = counted()
    assert (few, many) == (2, 17)
    assert few_queries == many_queries


def test_a_clinic_admin_is_refused_scores_with_403_audited(fhir, ada, scored):
    pain = scored["pain"]
    answer = fhir(ada, f"/fhir/Observation/score-{pain.pk}")
    assert answer.status == 403
    assert answer.body["issue"][0]["code"] == "forbidden"
    # the search leaves scores out of the kinds of Observation her role reads (diaries, ratings)
    assert not [i for i in fhir(ada, "/fhir/Observation").ids if i.startswith("score-")]
    assert fhir(ada, "/fhir/Observation?code=nrs-pain").ids == []
    refused = AuditEvent.objects.filter(action="permission_denied", object_type="Observation")
    assert refused.get().actor_id == ada.pk


def test_another_clinic_and_another_team_get_404(fhir, elsa, olive, scored):
    pain = scored["pain"]
    assert fhir(elsa, f"/fhir/Observation/score-{pain.pk}").status == 404
    assert fhir(olive, f"/fhir/Observation/score-{pain.pk}").status == 404
    assert fhir(olive, "/fhir/Observation").ids == []
    assert fhir(olive, "/fhir/Observation/score-abc").status == 404


def test_the_response_it_came_from_lists_the_answers(fhir, pat, maya, scored):
    pain = scored["pain"]
    body = fhir(pat, f"/fhir/QuestionnaireResponse/{pain.pk}").body
    assert body["questionnaire"].endswith("/fhir/Questionnaire/nrs-pain|1.0.0")
    assert body["status"] == "completed"
    current = next(i for i in body["item"] if i["linkId"] == "current")
    assert current["answer"] == [
        {"valueCoding": {"system": "urn:backto:instrument:nrs-pain:answers", "code": "6"}}
    ]
    assert fhir(pat, f"/fhir/QuestionnaireResponse?patient={maya.pk}&code=fdi-child").ids == [
        str(scored["fdi"].pk)
    ]


def test_answers_item_by_item_are_refused_to_a_clinic_admin(fhir, ada, elsa, scored):
    assert fhir(ada, f"/fhir/QuestionnaireResponse/{scored['pain'].pk}").status == 403
    assert fhir(elsa, f"/fhir/QuestionnaireResponse/{scored['pain'].pk}").status == 404


def test_an_outsiders_search_for_a_child_is_not_a_read_of_her_record(fhir, elsa, maya, scored):
    assert fhir(elsa, f"/fhir/Observation?patient={maya.pk}").ids == []
    event = AuditEvent.objects.get(action="view", object_type="Observation", actor_id=elsa.pk)
    assert event.patient_id is None
    assert f"patient={maya.pk}" in event.detail

"""Importing completed questionnaires: one QuestionnaireResponse or a transaction Bundle, all or
nothing, through the measures' own action, with the failing item named."""

import json
from typing import Any

import pytest

from backto.audit.models import AuditEvent
from backto.capabilities.measures.models import Administration, AdminState
from tests.fhir.conftest import token_for

FDI = {str(n): 1 for n in range(1, 16)}


def response(
    maya: Any, instrument: str = "fdi-child", answers: dict[str, Any] | None = None, **extra: Any
) -> dict[str, Any]:
    given = FDI if answers is None else answers
    return {
        "resourceType": "QuestionnaireResponse",
        "questionnaire": f"http://127.0.0.1:8000/fhir/Questionnaire/{instrument}|1.0.0",
        "status": "completed",
        "subject": {"reference": f"Patient/{maya.pk}"},
        "item": [
            {"linkId": link, "answer": [{"valueCoding": {"code": str(value)}}]}
            for link, value in given.items()
        ],
    } | extra


@pytest.fixture
def post(client: Any) -> Any:
    def send(user: Any, url: str, body: Any, scope: str = "read_write") -> Any:
        from tests.fhir.conftest import parsed

        return parsed(
            client.post(
                url,
                data=json.dumps(body),
                content_type="application/fhir+json",
                headers={"Authorization": f"Bearer {token_for(user, scope)}"},
            )
        )

    return send


def fdi(active: Any) -> Administration:
    return Administration.objects.get(
        episode=active, instrument_id="fdi-child", timepoint="baseline"
    )


def test_a_response_fills_the_open_questionnaire_and_is_scored(
    post, fhir, pat, maya, clock, active
):
    answer = post(pat, "/fhir/QuestionnaireResponse", response(maya))
    assert answer.status == 201
    adm = fdi(active)
    assert adm.state == AdminState.COMPLETED and adm.score_total == 15
    assert answer.body["id"] == str(adm.pk)
    assert answer.headers["Location"].endswith(f"/fhir/QuestionnaireResponse/{adm.pk}")
    assert AuditEvent.objects.filter(
        action="update", object_type="administration", object_id=str(adm.pk)
    ).exists()
    score = fhir(pat, f"/fhir/Observation/score-{adm.pk}").body
    assert score["valueQuantity"]["value"] == 15


def test_a_bad_answer_is_refused_naming_its_item_and_nothing_is_saved(
    post, pat, maya, clock, active
):
    answer = post(pat, "/fhir/QuestionnaireResponse", response(maya, answers=FDI | {"7": 9}))
    assert answer.status == 422
    assert answer.expressions == ["7"]
    assert fdi(active).state == AdminState.DUE and fdi(active).answers == {}


def test_an_unknown_item_is_named_and_a_missing_one_follows_the_rule(
    post, pat, maya, clock, active
):
    unknown = post(pat, "/fhir/QuestionnaireResponse", response(maya, answers=FDI | {"99": 1}))
    assert (unknown.status, unknown.expressions) == (422, ["99"])
    without = {k: v for k, v in FDI.items() if k != "3"}
    missing = post(pat, "/fhir/QuestionnaireResponse", response(maya, answers=without))
    # one of fifteen unanswered: within the FDI's missing-item rule, scored prorated as on paper
    assert missing.status == 201
    assert fdi(active).result["prorated"] is True


def test_the_subject_questionnaire_and_status_are_checked(post, pat, maya, elsa, clock, active):
    other = post(elsa, "/fhir/QuestionnaireResponse", response(maya))
    assert (other.status, other.expressions) == (404, ["subject"])
    wrong_version = response(maya)
    wrong_version["questionnaire"] = wrong_version["questionnaire"].replace("1.0.0", "9.9")
    answer = post(pat, "/fhir/QuestionnaireResponse", wrong_version)
    assert (answer.status, answer.expressions) == (422, ["questionnaire"])
    answer = post(pat, "/fhir/QuestionnaireResponse", response(maya, status="in-progress"))
    assert (answer.status, answer.expressions) == (422, ["status"])
    answer = post(
        pat, "/fhir/QuestionnaireResponse", {"resourceType": "QuestionnaireResponse", "status": 7}
    )
    assert answer.status == 400


def test_a_read_only_token_and_a_role_without_measure_enter_are_refused(
    post, pat, ada, maya, clock, active
):
    assert post(pat, "/fhir/QuestionnaireResponse", response(maya), scope="read").status == 403
    refused = post(ada, "/fhir/QuestionnaireResponse", response(maya))
    assert refused.status == 403
    assert fdi(active).state == AdminState.DUE


def test_a_transaction_is_all_or_nothing(post, pat, maya, clock, active):
    good = {
        "request": {"method": "POST", "url": "QuestionnaireResponse"},
        "resource": response(maya),
    }
    bad_pain = {
        "request": {"method": "POST", "url": "QuestionnaireResponse"},
        "resource": response(maya, "nrs-pain", {"current": 11}),
    }
    answer = post(
        pat, "/fhir", {"resourceType": "Bundle", "type": "transaction", "entry": [good, bad_pain]}
    )
    assert answer.status == 422
    assert "current" in answer.expressions and "Bundle.entry[1]" in answer.expressions
    assert fdi(active).state == AdminState.DUE  # the first entry was not kept

    fine_pain = {**bad_pain, "resource": response(maya, "nrs-pain", {"current": 4})}
    answer = post(
        pat, "/fhir", {"resourceType": "Bundle", "type": "transaction", "entry": [good, fine_pain]}
    )
    assert answer.status == 200
    assert [e["response"]["status"] for e in answer.body["entry"]] == ["201 Created", "201 Created"]
    assert fdi(active).state == AdminState.COMPLETED


def test_a_second_import_finds_nothing_open(post, pat, maya, clock, active):
    assert post(pat, "/fhir/QuestionnaireResponse", response(maya)).status == 201
    again = post(pat, "/fhir/QuestionnaireResponse", response(maya))
    assert (again.status, again.expressions) == (422, ["questionnaire"])


def test_a_refused_import_is_audited_though_nothing_is_written(
    post, elsa, olive, maya, clock, active
):
    assert post(olive, "/fhir/QuestionnaireResponse", response(maya)).status == 404
    refusal = AuditEvent.objects.get(action="permission_denied", actor_id=olive.pk)
    assert refusal.detail == "404 measure_enter"


def test_one_questionnaire_is_filled_once_in_a_bundle(post, pat, maya, clock, active):
    entry = {
        "request": {"method": "POST", "url": "QuestionnaireResponse"},
        "resource": response(maya),
    }
    answer = post(
        pat, "/fhir", {"resourceType": "Bundle", "type": "transaction", "entry": [entry, entry]}
    )
    assert answer.status == 422
    assert answer.expressions[:1] == ["questionnaire"] and "Bundle.entry[1]" in answer.expressions
    assert fdi(active).state == AdminState.DUE

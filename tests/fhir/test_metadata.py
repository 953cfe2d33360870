"""The CapabilityStatement, the project CodeSystem and the Questionnaires."""

from backto.audit.models import AuditEvent
from backto.clinical.instrument_registry import instrument_registry
from backto.readers.fhir.catalogue import TYPES
from tests.fhir.conftest import token_for


def test_the_capability_statement_needs_no_token_and_lists_what_is_served(fhir):
    answer = fhir(None, "/fhir/metadata")
    assert answer.status == 200
    assert answer.body["fhirVersion"] == "4.0.1"
    resources = {r["type"]: r for r in answer.body["rest"][0]["resource"]}
    assert set(resources) == {*TYPES, "Questionnaire", "CodeSystem"}
    observation = resources["Observation"]
    assert {p["name"] for p in observation["searchParam"]} == {
        "patient",
        "code",
        "date",
        "_count",
        "_sort",
    }
    assert {i["code"] for i in observation["interaction"]} == {"read", "search-type"}


def test_every_search_parameter_listed_is_taken_and_no_other(fhir, cora):
    statement = fhir(None, "/fhir/metadata").body
    for resource in statement["rest"][0]["resource"]:
        if resource["type"] in ("CodeSystem", "Questionnaire"):
            continue
        for param in resource.get("searchParam", []):
            value = {"patient": "1", "code": "x", "date": "2026", "_count": "5", "_sort": "-date"}[
                param["name"]
            ]
            answer = fhir(cora, f"/fhir/{resource['type']}?{param['name']}={value}")
            assert answer.status in (200, 403), (resource["type"], param, answer.body)
        answer = fhir(cora, f"/fhir/{resource['type']}?unheard_of=1")
        assert answer.status == 400


def test_the_code_system_lists_every_instrument(fhir):
    body = fhir(None, "/fhir/CodeSystem/backto").body
    codes = {c["code"] for c in body["concept"]}
    assert set(instrument_registry().ids) <= codes
    assert body["url"] == "urn:backto:codes"
    assert fhir(None, "/fhir/CodeSystem/loinc").status == 404


def test_questionnaires_carry_the_clinic_wording(fhir, pat, worded):
    answer = fhir(pat, "/fhir/Questionnaire")
    assert set(answer.ids) == set(instrument_registry().ids)
    fdi = fhir(pat, "/fhir/Questionnaire/fdi-child").body
    texts = [i.get("text", "") for i in fdi["item"]]
    assert "Test wording of fdi-child item 3" in texts
    assert AuditEvent.objects.filter(action="view", object_type="Questionnaire").count() == 2
    assert fhir(pat, "/fhir/Questionnaire/unknown").status == 404


def test_an_unknown_type_is_404_not_supported(fhir, pat):
    answer = fhir(pat, "/fhir/Medication")
    assert answer.status == 404
    assert answer.body["issue"][0]["code"] == "not-supported"


def test_a_method_the_address_does_not_take_is_405_with_allow(fhir, pat):
    answer = fhir(None, "/fhir/Patient", method="post", token=token_for(pat, "read_write"))
    assert answer.status == 405
    assert answer.headers["Allow"] == "GET, HEAD"
    assert (
        fhir(None, "/fhir/Patient/1", method="delete", token=token_for(pat, "read_write")).status
        == 405
    )


def test_a_read_only_token_may_not_post(fhir, pat):
    answer = fhir(pat, "/fhir/Patient", method="post")
    assert (answer.status, answer.expressions) == (403, ["Authorization"])


def test_the_bulk_export_is_listed_where_it_is_mounted(fhir):
    statement = fhir(None, "/fhir/metadata").body
    rest = statement["rest"][0]
    assert [o["name"] for o in rest["operation"]] == ["export"]
    patient = next(r for r in rest["resource"] if r["type"] == "Patient")
    assert {o["name"] for o in patient["operation"]} == {"export", "everything"}

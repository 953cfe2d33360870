"""Diary, body-map and functional-test Observations; the teen's private answers; the union of
every kind of Observation paged as one list."""

import uuid
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from backto.access.patients import actions as patient_actions
from backto.access.patients.models import Discipline
from backto.capabilities.diary.actions import diary_entry_submit
from backto.capabilities.diary.models import DiaryEntry
from backto.capabilities.exam.actions import functional_test_record
from backto.capabilities.exam.pain_map_actions import pain_map_record
from tests.conftest import TODAY
from tests.fhir.conftest import forced_token, token_for

NOTE = "Went to the pool with Ana"
REQUIRED = {
    "activity": 2,
    "school": 9,
    "sleep_hours": 8,
    "sleep_quality": 2,
    "mood": 2,
    "home_program": 1,
}
ANSWERS = REQUIRED | {"activity_note": NOTE, "sleep_hours": 7.5, "mood": 1, "pain": 4}


@pytest.fixture
def kept(clock: Any, maya_teen: Any, maya: Any, episode: Any) -> DiaryEntry:
    """Today's diary by Maya, her mood and what she did kept from her guardians."""
    diary_entry_submit(
        by=maya_teen,
        patient=maya,
        day=TODAY,
        respondent="child",
        answers=ANSWERS,
        private_fields=["mood", "activity_note"],
        idempotency_key=uuid.uuid4(),
    )
    return DiaryEntry.objects.get()


def components(body: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {c["code"]["coding"][-1]["code"]: c for c in body.get("component", [])}


def test_the_care_team_reads_the_teens_private_answers_marked_private(fhir, pat, kept):
    body = fhir(pat, f"/fhir/Observation/diary-{kept.pk}").body
    parts = components(body)
    assert parts["daily-diary.activity_note"]["valueString"] == NOTE
    assert parts["daily-diary.mood"]["extension"] == [
        {"url": "urn:backto:extension:private-from-guardians", "valueBoolean": True}
    ]
    assert parts["daily-diary.sleep_hours"]["valueQuantity"]["value"] == 7.5
    assert parts["daily-diary.pain"]["code"]["coding"][0]["code"] == "72514-3"
    assert body["code"]["coding"][0]["code"] == "daily-diary"


@pytest.mark.parametrize("who", ["cora", "ada"])
def test_staff_who_reach_her_through_the_clinic_only_never_get_them(request, fhir, who, maya, kept):
    user = request.getfixturevalue(who)
    for answer in (
        fhir(user, f"/fhir/Observation/diary-{kept.pk}"),
        fhir(user, f"/fhir/Observation?patient={maya.pk}"),
        fhir(user, f"/fhir/Patient/{maya.pk}/$everything"),
    ):
        text = str(answer.body)
        assert answer.status == 200
        assert NOTE not in text
        assert "daily-diary.mood" not in text and "daily-diary.activity_note" not in text
        assert "daily-diary.activity" in text  # what is not private is there


def test_a_coordinator_on_the_care_team_reads_them(fhir, cora, episode, kept):
    patient_actions.care_team_add(
        by=cora, episode=episode, clinician=cora, discipline=Discipline.COORDINATION
    )
    assert NOTE in str(fhir(cora, f"/fhir/Observation/diary-{kept.pk}").body)


def test_guardians_get_nothing_even_with_a_token_made_for_them(fhir, gina, kept):
    assert fhir(None, f"/fhir/Observation/diary-{kept.pk}", token=forced_token(gina)).status == 401


def test_a_clinic_admin_sees_no_pain_without_pain_view(fhir, ada, kept):
    assert "daily-diary.pain" in components(fhir(ada, f"/fhir/Observation/diary-{kept.pk}").body)
    # ada holds pain_view (docs/permissions.md); a clinician off the team gets 404 instead


def test_a_diary_of_another_clinic_or_team_is_404(fhir, elsa, olive, kept):
    assert fhir(elsa, f"/fhir/Observation/diary-{kept.pk}").status == 404
    assert fhir(olive, f"/fhir/Observation/diary-{kept.pk}").status == 404


@pytest.fixture
def body_map(clock: Any, pat: Any, active: Any) -> Any:
    return pain_map_record(
        by=pat,
        episode=active,
        respondent="clinician",
        timepoint="baseline",
        label="Baseline",
        regions=["head-front", "foot-right-front"],
        day=TODAY,
        submission_key=uuid.uuid4(),
    )


def test_a_body_map_gives_one_finding_per_region_with_its_body_site(fhir, pat, maya, body_map):
    answer = fhir(pat, f"/fhir/Observation?patient={maya.pk}&code=body-map-pain")
    assert answer.ids == [f"bodymap-{body_map.pk}-1", f"bodymap-{body_map.pk}-2"]
    sites = {r["bodySite"]["coding"][-1]["code"]: r["bodySite"] for r in answer.resources}
    assert sites["head-front"]["coding"][0] == {
        "system": "http://snomed.info/sct",
        "code": "69536005",
        "display": "Head structure",
    }
    assert sites["foot-right-front"]["text"].endswith("(right)")
    second = fhir(pat, f"/fhir/Observation/bodymap-{body_map.pk}-2").body
    assert second["bodySite"]["coding"][-1]["code"] == body_map.regions[1]
    assert fhir(pat, f"/fhir/Observation/bodymap-{body_map.pk}-3").status == 404
    assert fhir(pat, f"/fhir/Observation/bodymap-{body_map.pk}").status == 404


def test_exam_findings_are_refused_to_a_clinic_admin(fhir, ada, body_map):
    assert fhir(ada, f"/fhir/Observation/bodymap-{body_map.pk}-1").status == 403
    # the union leaves out what her role does not read, and keeps what it does
    assert not [i for i in fhir(ada, "/fhir/Observation").ids if i.startswith("bodymap-")]


def test_a_functional_test_names_its_rule_and_engine(fhir, pat, maya, clock, episode):
    test = functional_test_record(
        by=pat, episode=episode, test_id="30s-sts", day=TODAY, inputs={"repetitions": 14}
    )
    body = fhir(pat, f"/fhir/Observation/functional-{test.pk}").body
    assert body["code"]["coding"][0]["code"] == "functional-30s-sts"
    assert body["method"]["text"] == test.result["rule"]
    assert body["extension"][0]["valueString"] == test.result["engine_version"]
    assert fhir(pat, f"/fhir/Observation?code=functional-30s-sts&patient={maya.pk}").ids == [
        f"functional-{test.pk}"
    ]


def test_every_kind_pages_as_one_list_at_a_fixed_query_count(
    fhir, pat, maya, maya_teen, clock, episode, body_map
):
    for days_ago in (0, 1):
        diary_entry_submit(
            by=maya_teen,
            patient=maya,
            day=TODAY - timedelta(days=days_ago),
            respondent="child",
            answers=REQUIRED,
            idempotency_key=uuid.uuid4(),
        )
    for _ in range(2):  # the same day as the body map: ties ordered by kind, then row
        functional_test_record(
            by=pat, episode=episode, test_id="30s-sts", day=TODAY, inputs={"repetitions": 10}
        )
    token = token_for(pat)
    everything = fhir(None, f"/fhir/Observation?patient={maya.pk}&_count=100", token=token).ids
    assert len(everything) == 2 + 2 + 2
    for sort in ("date", "-date"):
        seen: list[str] = []
        url: str | None = f"/fhir/Observation?patient={maya.pk}&_count=1&_sort={sort}"
        while url:
            answer = fhir(None, url, token=token)
            seen += answer.ids
            url = answer.link("next")
        assert sorted(seen) == sorted(everything) and len(seen) == len(set(seen))

    def counted() -> int:
        with CaptureQueriesContext(connection) as queries:
            fhir(None, f"/fhir/Observation?patient={maya.pk}&_count=100", token=token)
        return len(queries)

    before = counted()
    for _ in range(4):
        functional_test_record(
            by=pat, episode=episode, test_id="30s-sts", day=TODAY, inputs={"repetitions": 12}
        )
    assert counted() == before


def test_a_map_marked_nowhere_gives_no_finding(fhir, pat, maya, clock, active, body_map):
    nowhere = pain_map_record(
        by=pat,
        episode=active,
        respondent="child",
        timepoint="baseline",
        label="Baseline",
        regions=[],
        day=TODAY,
        submission_key=uuid.uuid4(),
    )
    ids = fhir(pat, f"/fhir/Observation?patient={maya.pk}&code=body-map-pain").ids
    assert ids == [f"bodymap-{body_map.pk}-1", f"bodymap-{body_map.pk}-2"]
    assert fhir(pat, f"/fhir/Observation/bodymap-{nowhere.pk}-1").status == 404

"""Messages as Communications, and Patient/$everything: what the person may read about one
child, in one response with one audit event, at a fixed query count."""

import uuid
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from backto.audit.models import AuditEvent
from backto.capabilities.goals.actions import goal_create
from backto.capabilities.messaging.actions import conversation_for, message_send
from backto.capabilities.messaging.queries import teen_events_kept_from
from tests.fhir.conftest import token_for
from tests.fhir.scoring import complete, copies

TEEN_WORDS = "Only my team should read this"
FAMILY_WORDS = "Maya's knee is sore after school"


def send(by: Any, patient: Any, kind: str, body: str) -> Any:
    conversation = conversation_for(patient=patient, kind=kind, by=by)
    return message_send(by=by, conversation=conversation, body=body, idempotency_key=uuid.uuid4())[
        0
    ]


@pytest.fixture
def record(
    clock: Any, pat: Any, gina: Any, maya_teen: Any, maya: Any, active: Any
) -> dict[str, Any]:
    return {
        "score": complete(pat, active, "nrs-pain", {"current": 3}, days_ago=1),
        "family": send(gina, maya, "family", FAMILY_WORDS),
        "teen": send(maya_teen, maya, "teen", TEEN_WORDS),
        "goal": goal_create(
            by=pat,
            episode=active,
            title="Back to dance class",
            discipline="pt",
            level_minus_2="a",
            level_minus_1="b",
            level_0="c",
            level_plus_1="d",
            level_plus_2="e",
        ),
    }


def types_of(answer: Any) -> dict[str, int]:
    found: dict[str, int] = {}
    for resource in answer.resources:
        found[resource["resourceType"]] = found.get(resource["resourceType"], 0) + 1
    return found


def test_messages_are_communications_and_the_teens_stay_with_the_care_team(
    fhir, pat, cora, maya, record
):
    team = fhir(pat, f"/fhir/Communication?patient={maya.pk}")
    assert len(team.ids) == 2
    teen = fhir(pat, f"/fhir/Communication/{record['teen'].pk}").body
    assert teen["payload"] == [{"contentString": TEEN_WORDS}]
    assert teen["sender"] == {"reference": f"Patient/{maya.pk}"}
    assert fhir(cora, f"/fhir/Communication?patient={maya.pk}").ids == [str(record["family"].pk)]
    assert fhir(cora, f"/fhir/Communication/{record['teen'].pk}").status == 404


def test_everything_holds_what_the_care_team_reads(fhir, pat, maya, record):
    answer = fhir(pat, f"/fhir/Patient/{maya.pk}/$everything")
    assert answer.status == 200
    kinds = types_of(answer)
    assert kinds["Patient"] == 1
    assert kinds["Observation"] == 1 and kinds["QuestionnaireResponse"] == 1
    assert kinds["Goal"] == 1 and kinds["Communication"] == 2
    assert TEEN_WORDS in str(answer.body)
    event = AuditEvent.objects.get(action="view", object_type="Patient")
    assert event.patient_id == maya.pk and "$everything" in event.detail


def test_everything_leaves_out_what_a_role_does_not_read(fhir, cora, ada, maya, record):
    coordinator = fhir(cora, f"/fhir/Patient/{maya.pk}/$everything")
    assert TEEN_WORDS not in str(coordinator.body) and FAMILY_WORDS in str(coordinator.body)
    admin = types_of(fhir(ada, f"/fhir/Patient/{maya.pk}/$everything"))
    assert "Communication" not in admin and "QuestionnaireResponse" not in admin
    assert admin["Goal"] == 1


def test_everything_is_404_outside_the_circle(fhir, elsa, olive, maya, record):
    assert fhir(elsa, f"/fhir/Patient/{maya.pk}/$everything").status == 404
    assert fhir(olive, f"/fhir/Patient/{maya.pk}/$everything").status == 404
    assert fhir(olive, "/fhir/Patient/x/$everything").status == 404


def test_everything_keeps_its_query_count(fhir, pat, maya, record):
    token = token_for(pat)
    fhir(None, f"/fhir/Patient/{maya.pk}/$everything", token=token)

    def counted() -> int:
        with CaptureQueriesContext(connection) as queries:
            fhir(None, f"/fhir/Patient/{maya.pk}/$everything", token=token)
        return len(queries)

    before = counted()
    copies(record["score"], 5, at=record["score"].completed_at)
    for n in range(3):
        send(pat, maya, "family", f"Reply {n}")
    assert counted() == before


def test_reads_of_the_teens_messages_stay_out_of_her_guardians_access_log(
    fhir, pat, cora, gina, maya, record
):
    fhir(pat, f"/fhir/Communication/{record['teen'].pk}")
    fhir(cora, f"/fhir/Communication/{record['teen'].pk}")  # refused: 404
    fhir(pat, f"/fhir/Communication/{record['family'].pk}")
    events = AuditEvent.objects.filter(
        object_id__in=[str(record["teen"].pk), str(record["family"].pk)],
        action__in=["view", "permission_denied"],
    )
    kept = events.filter(teen_events_kept_from(gina, maya))
    assert {(e.action, e.actor_id) for e in kept} == {
        ("view", pat.pk),
        ("permission_denied", cora.pk),
    }
    shown = events.exclude(teen_events_kept_from(gina, maya)).filter(object_type="Communication")
    assert [e.object_id for e in shown] == [str(record["family"].pk)]

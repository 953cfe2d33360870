"""What every resource type answers alike: 401 without a token, an audit event naming the type
and the child for each read and search, and a query count that does not grow with the page."""

import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from backto.access.patients.models import Guardianship
from backto.audit.models import AuditEvent
from backto.capabilities.appointments.actions import appointment_book
from backto.capabilities.careplan.actions import (
    care_plan_activate,
    care_plan_draft,
    care_plan_update,
    session_record,
)
from backto.capabilities.goals.actions import goal_create
from backto.capabilities.messaging.actions import conversation_for, message_send
from tests.conftest import PINNED_AT, TODAY, make_user
from tests.fhir.conftest import token_for
from tests.fhir.scoring import complete, copies

SERVED = [
    "Patient",
    "RelatedPerson",
    "Practitioner",
    "Questionnaire",
    "QuestionnaireResponse",
    "Observation",
    "Goal",
    "CarePlan",
    "Encounter",
    "Appointment",
    "Communication",
]


@pytest.mark.parametrize("type_name", SERVED)
def test_no_token_no_answer(fhir, type_name):
    for url in (f"/fhir/{type_name}", f"/fhir/{type_name}/1"):
        answer = fhir(None, url)
        assert answer.status == 401
        assert answer.headers["WWW-Authenticate"].startswith("Bearer")
    assert fhir(None, "/fhir/Patient/1/$everything").status == 401


def _goal(pat: Any, episode: Any, n: int) -> Any:
    return goal_create(
        by=pat,
        episode=episode,
        title=f"Goal {n}",
        discipline="pt",
        level_minus_2="a",
        level_minus_1="b",
        level_0="c",
        level_plus_1="d",
        level_plus_2="e",
    )


def _guardian(clinic: Any, maya: Any, n: int) -> Any:
    user = make_user(clinic, f"guardian{n}", kind="guardian")
    return Guardianship.objects.create(guardian=user, patient=maya, relationship="other")


def _plan(pat: Any, episode: Any, n: int) -> Any:
    plan = care_plan_draft(by=pat, episode=episode)
    care_plan_update(by=pat, plan=plan, doses={"pt": (2, 30, pat), "ot": (1, 45, None)})
    care_plan_activate(by=pat, plan=plan)
    return plan


# What makes one more record of each type for Maya: (type, maker(world, n) -> made).
MAKERS: dict[str, Callable[[dict[str, Any], int], Any]] = {
    "RelatedPerson": lambda w, n: _guardian(w["clinic"], w["maya"], n),
    "Goal": lambda w, n: _goal(w["pat"], w["active"], n),
    "Encounter": lambda w, n: session_record(
        by=w["pat"],
        episode=w["active"],
        date=TODAY - timedelta(days=n),
        discipline="pt",
        minutes=30,
    ),
    "Appointment": lambda w, n: appointment_book(
        by=w["pat"],
        patient=w["maya"],
        kind="pt",
        starts_at=PINNED_AT + timedelta(days=n + 1),
        minutes=30,
    ),
    "Communication": lambda w, n: message_send(
        by=w["pat"],
        conversation=conversation_for(patient=w["maya"], kind="family"),
        body=f"Note {n}",
        idempotency_key=uuid.uuid4(),
    )[0],
    "QuestionnaireResponse": lambda w, n: copies(w["score"], 1, at=PINNED_AT - timedelta(days=n))[
        0
    ],
    "CarePlan": lambda w, n: _plan(w["pat"], w["active"], n),
}


@pytest.fixture
def world(clock: Any, clinic: Any, pat: Any, maya: Any, active: Any) -> dict[str, Any]:
    return {
        "clinic": clinic,
        "pat": pat,
        "maya": maya,
        "active": active,
        "score": complete(pat, active, "nrs-pain", {"current": 2}, days_ago=1),
    }


@pytest.mark.parametrize("type_name", sorted(MAKERS))
def test_each_type_audits_its_reads_and_keeps_its_query_count(fhir, world, type_name):
    maya, pat = world["maya"], world["pat"]
    made = MAKERS[type_name](world, 0)
    token = token_for(pat)
    url = f"/fhir/{type_name}?patient={maya.pk}&_count=100"
    fhir(None, url, token=token)  # the token's first use is noted once

    def counted() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as queries:
            answer = fhir(None, url, token=token)
        assert answer.status == 200
        return len(answer.ids), len(queries)

    few, few_queries = counted()
    for n in range(1, 5):
        MAKERS[type_name](world, n)
    many, many_queries = counted()
    assert many > few >= 1
    assert many_queries == few_queries, type_name

    read = fhir(None, f"/fhir/{type_name}/{made.pk}", token=token)
    assert read.status == 200
    event = AuditEvent.objects.filter(
        action="view", object_type=type_name, object_id=str(made.pk)
    ).get()
    assert event.patient_id == maya.pk
    searches = AuditEvent.objects.filter(action="view", object_type=type_name, object_id="")
    assert searches.count() == 3 and {e.patient_id for e in searches} == {maya.pk}


def test_messages_are_refused_to_a_clinic_admin(fhir, ada, world):
    message = MAKERS["Communication"](world, 0)
    assert fhir(ada, f"/fhir/Communication/{message.pk}").status == 403
    assert fhir(ada, "/fhir/Communication").status == 403

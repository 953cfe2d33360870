"""Goal (with GAS levels and ratings), CarePlan, Encounter and Appointment."""

from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from backto.audit.models import AuditEvent
from backto.capabilities.appointments.actions import appointment_book
from backto.capabilities.careplan.actions import care_plan_draft, care_plan_update, session_record
from backto.capabilities.goals.actions import goal_create, goal_rate
from tests.conftest import PINNED_AT, TODAY
from tests.fhir.conftest import token_for


def make_goal(pat: Any, episode: Any, title: str = "Walk to class with my friends") -> Any:
    return goal_create(
        by=pat,
        episode=episode,
        title=title,
        discipline="pt",
        level_minus_2="Uses the elevator",
        level_minus_1="One class a day",
        level_0="Every class",
        level_plus_1="And the club",
        level_plus_2="Walks to school too",
    )


def make_session(pat: Any, episode: Any, days_ago: int) -> Any:
    return session_record(
        by=pat, episode=episode, date=TODAY - timedelta(days=days_ago), discipline="pt", minutes=45
    )


@pytest.fixture
def goal(clock: Any, pat: Any, active: Any) -> Any:
    goal = make_goal(pat, active)
    goal_rate(by=pat, goal=goal, level=0, rated_on=TODAY)
    return goal


def test_a_goal_carries_its_five_gas_levels_and_latest_rating(fhir, pat, maya, goal):
    body = fhir(pat, f"/fhir/Goal/{goal.pk}").body
    levels = {
        next(e["valueInteger"] for e in ext["extension"] if e["url"] == "level"): next(
            e["valueString"] for e in ext["extension"] if e["url"] == "description"
        )
        for ext in body["extension"]
        if ext["url"] == "urn:backto:extension:gas-level"
    }
    assert levels == {
        -2: "Uses the elevator",
        -1: "One class a day",
        0: "Every class",
        1: "And the club",
        2: "Walks to school too",
    }
    assert body["description"]["text"] == "Walk to class with my friends"
    assert body["achievementStatus"]["coding"][0]["code"] == "achieved"
    rating = body["outcomeReference"][0]["reference"]
    observation = fhir(pat, f"/fhir/{rating}").body
    assert observation["valueInteger"] == 0
    assert observation["focus"] == [{"reference": f"Goal/{goal.pk}"}]
    assert (
        AuditEvent.objects.filter(action="view", object_type="Goal", patient_id=maya.pk).count()
        == 1
    )


def test_goal_ratings_are_observations_found_by_code(fhir, pat, maya, goal):
    answer = fhir(pat, f"/fhir/Observation?patient={maya.pk}&code=gas-level")
    assert len(answer.ids) == 1 and answer.ids[0].startswith("gas-")


def test_goals_are_searched_by_child_and_hidden_from_other_clinics(
    fhir, pat, elsa, olive, maya, goal
):
    assert fhir(pat, f"/fhir/Goal?patient={maya.pk}").ids == [str(goal.pk)]
    assert fhir(elsa, f"/fhir/Goal/{goal.pk}").status == 404
    assert fhir(olive, f"/fhir/Goal/{goal.pk}").status == 404
    assert fhir(elsa, "/fhir/Goal").ids == []


def test_goal_search_keeps_its_query_count(fhir, pat, maya, goal, active):
    token = token_for(pat)
    fhir(None, "/fhir/Goal", token=token)

    def counted() -> int:
        with CaptureQueriesContext(connection) as queries:
            fhir(None, f"/fhir/Goal?patient={maya.pk}", token=token)
        return len(queries)

    one = counted()
    for n in range(5):
        goal_rate(by=pat, goal=make_goal(pat, active, f"Goal {n}"), level=-1, rated_on=TODAY)
    assert counted() == one


def test_sessions_are_encounters_searched_by_date(fhir, pat, maya, clock, active):
    old, recent = make_session(pat, active, 20), make_session(pat, active, 1)
    token = token_for(pat)
    body = fhir(None, f"/fhir/Encounter/{recent.pk}", token=token).body
    assert body["status"] == "finished"
    assert body["length"]["value"] == 45
    assert body["participant"] == [{"individual": {"reference": f"Practitioner/{pat.pk}"}}]
    since = (TODAY - timedelta(days=5)).isoformat()
    assert fhir(None, f"/fhir/Encounter?patient={maya.pk}&date=ge{since}", token=token).ids == [
        str(recent.pk)
    ]
    assert fhir(None, f"/fhir/Encounter?date=lt{since}", token=token).ids == [str(old.pk)]
    assert fhir(None, "/fhir/Encounter?_sort=-date", token=token).ids == [
        str(recent.pk),
        str(old.pk),
    ]


def test_sessions_are_refused_to_a_clinic_admin_and_other_clinics(
    fhir, pat, ada, elsa, clock, active
):
    session = make_session(pat, active, 1)
    assert fhir(ada, f"/fhir/Encounter/{session.pk}").status == 403
    assert fhir(ada, "/fhir/Encounter").status == 403
    assert fhir(elsa, f"/fhir/Encounter/{session.pk}").status == 404


def test_encounter_search_keeps_its_query_count(fhir, pat, clock, active):
    token = token_for(pat)
    make_session(pat, active, 1)
    fhir(None, "/fhir/Encounter", token=token)

    def counted() -> int:
        with CaptureQueriesContext(connection) as queries:
            fhir(None, "/fhir/Encounter", token=token)
        return len(queries)

    one = counted()
    for n in range(6):
        make_session(pat, active, n + 2)
    assert counted() == one


def test_the_care_plan_lists_each_therapys_dose(fhir, pat, ada, maya, clock, active):
    plan = care_plan_draft(by=pat, episode=active)
    care_plan_update(by=pat, plan=plan, doses={"pt": (3, 60, pat), "ot": (2, 45, None)})
    body = fhir(pat, f"/fhir/CarePlan/{plan.pk}").body
    assert body["status"] == "draft"
    assert sorted(a["detail"]["description"] for a in body["activity"]) == [
        "2 sessions a week, 45 minutes each",
        "3 sessions a week, 60 minutes each",
    ]
    assert fhir(pat, f"/fhir/CarePlan?patient={maya.pk}").ids == [str(plan.pk)]
    assert fhir(ada, f"/fhir/CarePlan/{plan.pk}").status == 403


def test_appointments_by_date_for_everyone_who_sees_the_week(
    fhir, pat, ada, elsa, maya, clock, active
):
    soon = appointment_book(
        by=pat,
        patient=maya,
        kind="pt",
        starts_at=PINNED_AT + timedelta(days=2),
        minutes=60,
        clinician=pat,
    )
    later = appointment_book(
        by=pat, patient=maya, kind="ot", starts_at=PINNED_AT + timedelta(days=9), minutes=30
    )
    body = fhir(pat, f"/fhir/Appointment/{soon.pk}").body
    assert body["status"] == "booked"
    assert body["minutesDuration"] == 60
    assert {p["actor"]["reference"] for p in body["participant"]} == {
        f"Patient/{maya.pk}",
        f"Practitioner/{pat.pk}",
    }
    day = (TODAY + timedelta(days=9)).isoformat()
    assert fhir(pat, f"/fhir/Appointment?patient={maya.pk}&date={day}").ids == [str(later.pk)]
    assert (
        fhir(ada, f"/fhir/Appointment/{soon.pk}").status == 200
    )  # appointment_view is clinic-wide
    assert fhir(elsa, f"/fhir/Appointment/{soon.pk}").status == 404

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from backto.access.patients.actions import episode_transition
from backto.capabilities.careplan import actions
from backto.capabilities.careplan.models import (
    PLAN_TRANSITIONS,
    CarePlan,
    Discharge,
    FollowUp,
    PlanState,
)
from tests.conftest import TODAY, audited


@pytest.fixture
def active_episode(pat, episode):
    episode_transition(by=pat, episode=episode, target="intake")
    return episode_transition(by=pat, episode=episode, target="active")


def plan_post(**overrides):
    data = {
        "setting": "intensive",
        "program_weeks": "4",
        "notes": "",
        "pt_per_week": "5",
        "pt_minutes": "60",
        "counseling_per_week": "2",
        "counseling_minutes": "50",
    }
    data.update(overrides)
    return data


def test_every_plan_state_has_a_way_on_or_is_final():
    reached = {PlanState.DRAFT}
    for state in list(reached) + [s for targets in PLAN_TRANSITIONS.values() for s in targets]:
        reached.add(state)
    assert reached == set(PlanState)
    assert PLAN_TRANSITIONS[PlanState.REVISED] == PLAN_TRANSITIONS[PlanState.COMPLETED] == ()


def test_the_team_drafts_and_activates_a_plan_and_revisions_are_kept(as_user, pat, active_episode):
    client = as_user(pat)
    url = reverse("care_plan", args=[active_episode.pk])
    client.post(reverse("care_plan_draft", args=[active_episode.pk]))
    client.post(url, plan_post())
    client.post(reverse("care_plan_activate", args=[active_episode.pk]))
    first = CarePlan.objects.get()
    assert first.state == "active"
    assert {d.discipline: d.sessions_per_week for d in first.doses.all()} == {
        "pt": 5,
        "counseling": 2,
    }
    client.post(reverse("care_plan_draft", args=[active_episode.pk]))
    client.post(url, plan_post(ot_per_week="2", ot_minutes="45"))
    client.post(reverse("care_plan_activate", args=[active_episode.pk]))
    states = dict(CarePlan.objects.values_list("version", "state"))
    assert states == {1: "revised", 2: "active"}
    assert CarePlan.objects.get(version=2).doses.count() == 3
    assert audited("update", object_type="careplan", detail="version 2 active")


def test_a_dose_needs_both_numbers(as_user, pat, active_episode):
    client = as_user(pat)
    url = reverse("care_plan", args=[active_episode.pk])
    client.post(reverse("care_plan_draft", args=[active_episode.pk]))
    response = client.post(url, plan_post(pt_minutes=""))
    assert b"Give both sessions a week and minutes" in response.content


def test_an_active_plan_cannot_be_edited(pat, active_episode):
    plan = actions.care_plan_draft(by=pat, episode=active_episode)
    actions.care_plan_update(by=pat, plan=plan, doses={"pt": (3, 60, None)})
    actions.care_plan_activate(by=pat, plan=plan)
    with pytest.raises(ValidationError, match="Only a draft changes"):
        actions.care_plan_update(by=pat, plan=plan, doses={"pt": (1, 60, None)})


def test_discharge_records_the_reason_completes_the_plan_and_schedules_follow_up(
    as_user, pat, active_episode
):
    plan = actions.care_plan_draft(by=pat, episode=active_episode)
    actions.care_plan_update(by=pat, plan=plan, doses={"pt": (3, 60, None)})
    actions.care_plan_activate(by=pat, plan=plan)
    response = as_user(pat).post(
        reverse("discharge", args=[active_episode.pk]),
        {"discharged_on": "2026-01-31", "reason": "goals_met", "summary": "Back to soccer."},
    )
    assert response.status_code == 302
    active_episode.refresh_from_db()
    assert active_episode.state == "discharged"
    assert Discharge.objects.get().reason == "goals_met"
    assert CarePlan.objects.get().state == "completed"
    assert [(f.months, f.due_on) for f in FollowUp.objects.all()] == [
        (1, date(2026, 2, 28)),
        (3, date(2026, 4, 30)),
        (6, date(2026, 7, 31)),
        (12, date(2027, 1, 31)),
    ]


def test_discharge_needs_a_summary(as_user, pat, active_episode):
    response = as_user(pat).post(
        reverse("discharge", args=[active_episode.pk]),
        {"discharged_on": TODAY.isoformat(), "reason": "goals_met", "summary": ""},
    )
    assert b"This field is required" in response.content
    active_episode.refresh_from_db()
    assert active_episode.state == "active"


def test_it_returns_403_to_a_guardian_discharging(as_user, gina, active_episode):
    assert as_user(gina).get(reverse("discharge", args=[active_episode.pk])).status_code == 403
    assert as_user(gina).get(reverse("care_plan", args=[active_episode.pk])).status_code == 403


def test_it_returns_404_to_a_pt_elsewhere(as_user, elsa, active_episode):
    assert as_user(elsa).get(reverse("care_plan", args=[active_episode.pk])).status_code == 404


def test_the_plan_shows_the_goals_each_discipline_leads(as_user, pat, active_episode):
    from backto.capabilities.goals.actions import goal_create
    from tests.goals.conftest import LEVELS

    goal_create(by=pat, episode=active_episode, title="Walk to class", discipline="pt", **LEVELS)
    goal_create(
        by=pat,
        episode=active_episode,
        title="Sleep through the night",
        discipline="counseling",
        **LEVELS,
    )
    plan = actions.care_plan_draft(by=pat, episode=active_episode)
    actions.care_plan_update(by=pat, plan=plan, doses={"pt": (3, 60, pat)})
    actions.care_plan_activate(by=pat, plan=plan)
    page = as_user(pat).get(reverse("care_plan", args=[active_episode.pk])).content.decode()
    pt_line = page.split("Physical therapy: 3 a week")[1].split("</li>")[0]
    assert "Walk to class" in pt_line and "Sleep through the night" not in pt_line

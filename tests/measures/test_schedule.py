from datetime import date, timedelta

import pytest

from backto.access.patients.actions import episode_transition
from backto.capabilities.careplan import actions as care
from backto.capabilities.measures.actions import clinic_template_set, mark_due
from backto.capabilities.measures.models import (
    ADMIN_TRANSITIONS,
    OPEN_ADMIN_STATES,
    Administration,
    AdminState,
    states_leading_to,
)
from backto.capabilities.measures.schedule import (
    DEFAULT_TEMPLATE,
    TemplateRow,
    discharge_schedule,
    program_schedule,
)
from tests.conftest import TODAY, years_ago

FULL_SET = {(r.instrument_id, r.respondent) for r in DEFAULT_TEMPLATE}
REPEATED_SET = {(r.instrument_id, r.respondent) for r in DEFAULT_TEMPLATE if r.every_weeks}


def test_the_program_schedule_is_baseline_then_every_two_weeks():
    start = date(2026, 1, 5)
    planned = program_schedule(start, 8)
    baseline = [p for p in planned if p.timepoint == "baseline"]
    assert {(p.instrument_id, p.respondent) for p in baseline} == set(FULL_SET)
    assert {p.due_on for p in baseline} == {start}
    weeks = sorted({(p.label, p.due_on) for p in planned if p.timepoint == "program"})
    assert weeks == [
        ("Week 2", date(2026, 1, 19)),
        ("Week 4", date(2026, 2, 2)),
        ("Week 6", date(2026, 2, 16)),
    ]
    assert len(planned) == len(FULL_SET) + 3 * len(REPEATED_SET)


def test_a_weekly_row_is_asked_every_week_and_a_baseline_only_row_never_in_between():
    template = [TemplateRow("fdi-child", "child", 1), TemplateRow("pcs-c", "child", 0)]
    planned = program_schedule(date(2026, 1, 5), 4, template)
    weekly = [p.label for p in planned if p.instrument_id == "fdi-child"]
    assert weekly == ["Baseline", "Week 1", "Week 2", "Week 3"]
    assert [p.label for p in planned if p.instrument_id == "pcs-c"] == ["Baseline"]
    follow = discharge_schedule(date(2026, 2, 2), [(3, date(2026, 5, 2))], template)
    assert {(p.instrument_id, p.label) for p in follow} == {
        ("fdi-child", "Discharge"),
        ("pcs-c", "Discharge"),
        ("fdi-child", "3 months"),
    }


def test_the_discharge_schedule_has_the_full_set_then_follow_ups():
    planned = discharge_schedule(date(2026, 3, 2), [(1, date(2026, 4, 2)), (12, date(2027, 3, 2))])
    assert {p.label for p in planned} == {"Discharge", "1 month", "12 months"}
    assert sum(p.timepoint == "discharge" for p in planned) == len(FULL_SET)


def test_every_state_has_a_way_on_or_is_final():
    for state in AdminState:
        assert state in ADMIN_TRANSITIONS
    assert set(OPEN_ADMIN_STATES) == {s for s, targets in ADMIN_TRANSITIONS.items() if targets}


def test_starting_the_program_schedules_baseline_and_program_measures(pat, episode):
    episode_transition(by=pat, episode=episode, target="intake")
    episode_transition(by=pat, episode=episode, target="active")
    baseline = Administration.objects.filter(episode=episode, timepoint="baseline")
    assert baseline.count() == len(FULL_SET)
    assert set(baseline.values_list("due_on", flat=True)) == {TODAY}
    assert Administration.objects.filter(episode=episode, timepoint="program").exists()


def test_discharge_cancels_later_program_measures_and_schedules_follow_up(pat, episode):
    episode_transition(by=pat, episode=episode, target="intake")
    episode_transition(by=pat, episode=episode, target="active")
    care.episode_discharge(
        by=pat,
        episode=episode,
        discharged_on=TODAY,
        reason="goals_met",
        summary="Back at school.",
    )
    later = Administration.objects.filter(episode=episode, timepoint="program", due_on__gt=TODAY)
    assert later.exists() and set(later.values_list("state", flat=True)) == {"cancelled"}
    follow = Administration.objects.filter(episode=episode, timepoint="follow_up")
    assert set(follow.values_list("label", flat=True)) == {
        "1 month",
        "3 months",
        "6 months",
        "12 months",
    }
    assert Administration.objects.filter(episode=episode, timepoint="discharge").count() == len(
        FULL_SET
    )


def test_withdrawal_cancels_everything_open(pat, episode):
    episode_transition(by=pat, episode=episode, target="intake")
    episode_transition(by=pat, episode=episode, target="active")
    episode_transition(by=pat, episode=episode, target="withdrawn", note="Moved")
    assert not Administration.objects.filter(episode=episode, state__in=OPEN_ADMIN_STATES).exists()


def test_the_sweep_marks_what_has_come_due(pat, episode):
    episode_transition(by=pat, episode=episode, target="intake")
    episode_transition(by=pat, episode=episode, target="active")
    assert mark_due(TODAY) == len(FULL_SET)
    assert mark_due(TODAY + timedelta(weeks=2)) == len(REPEATED_SET)


def test_bulk_moves_follow_the_transition_table(pat, episode):
    episode_transition(by=pat, episode=episode, target="intake")
    episode_transition(by=pat, episode=episode, target="active")
    done = Administration.objects.first()
    Administration.objects.filter(pk=done.pk).update(state="completed")
    assert states_leading_to("due") == ["scheduled"]
    assert set(states_leading_to("cancelled")) == set(OPEN_ADMIN_STATES)
    mark_due(TODAY + timedelta(weeks=52))
    episode_transition(by=pat, episode=episode, target="withdrawn", note="Moved")
    done.refresh_from_db()
    assert done.state == "completed"  # a finished questionnaire is never cancelled or re-opened


def test_the_team_sees_what_is_coming_up(as_user, pat, episode):
    from django.urls import reverse

    episode_transition(by=pat, episode=episode, target="intake")
    episode_transition(by=pat, episode=episode, target="active")
    page = as_user(pat).get(reverse("patient_overview", args=[episode.patient_id])).content.decode()
    assert "Questionnaires coming up" in page and "Functional Disability Inventory" in page


def test_the_sweep_makes_a_questionnaire_due_on_the_clinics_own_date(active):
    from datetime import datetime, time
    from zoneinfo import ZoneInfo

    import time_machine

    from backto.capabilities.measures.tasks import mark_due_task

    waiting = Administration.objects.filter(episode=active, state=AdminState.SCHEDULED)
    first = waiting.order_by("due_on").first()
    # 09:00 in Tokyo on the day it is due is still the evening before in New York.
    moment = datetime.combine(first.due_on, time(9), tzinfo=ZoneInfo("Asia/Tokyo"))
    clinic = active.patient.clinic
    with time_machine.travel(moment, tick=False):
        mark_due_task.call()
        first.refresh_from_db()
        assert first.state == AdminState.SCHEDULED  # New York: not yet its day
        clinic.time_zone = "Asia/Tokyo"
        clinic.save()
        mark_due_task.call()
        first.refresh_from_db()
        assert first.state == AdminState.DUE


@pytest.mark.parametrize(("age", "gad_7"), [(13, True), (9, False)])
def test_a_questionnaire_is_planned_only_within_its_age_range(pat, ada, maya, episode, age, gad_7):
    maya.date_of_birth = years_ago(age)
    maya.save()
    rows = [*DEFAULT_TEMPLATE, TemplateRow("gad-7", "child", 2), TemplateRow("pgic-child", "child")]
    clinic_template_set(by=ada, clinic=maya.clinic, rows=rows)
    episode_transition(by=pat, episode=episode, target="intake")
    episode_transition(by=pat, episode=episode, target="active")
    asked = set(
        Administration.objects.filter(episode=episode).values_list("instrument_id", "label")
    )
    assert (("gad-7", "Baseline") in asked) is gad_7 and (("gad-7", "Week 2") in asked) is gad_7
    assert ("fdi-child", "Baseline") in asked
    assert not any(i == "pgic-child" for i, _ in asked)  # a question about change: not at baseline


def test_a_child_turning_old_enough_during_the_program_is_asked_from_then_on(
    pat, ada, maya, episode
):
    birthday = TODAY + timedelta(days=20)  # she turns 11 in the program's third week
    maya.date_of_birth = birthday.replace(year=birthday.year - 11, day=min(birthday.day, 28))
    maya.save()
    rows = [*DEFAULT_TEMPLATE, TemplateRow("gad-7", "child", 2)]
    clinic_template_set(by=ada, clinic=maya.clinic, rows=rows)
    episode_transition(by=pat, episode=episode, target="intake")
    episode_transition(by=pat, episode=episode, target="active")
    gad_7 = Administration.objects.filter(episode=episode, instrument_id="gad-7")
    assert gad_7.exists() and min(
        gad_7.values_list("due_on", flat=True)
    ) >= maya.date_of_birth.replace(year=maya.date_of_birth.year + 11)
    assert Administration.objects.filter(episode=episode, instrument_id="fdi-child").count() > 1


def test_a_teen_past_an_instruments_upper_age_keeps_its_measures(pat, ada, maya, episode):
    maya.date_of_birth = years_ago(19)  # the FDI is for 8 to 18: her outcomes still need it
    maya.save()
    episode_transition(by=pat, episode=episode, target="intake")
    episode_transition(by=pat, episode=episode, target="active")
    assert Administration.objects.filter(
        episode=episode, instrument_id="fdi-child", timepoint="baseline"
    ).exists()


def test_a_question_about_change_is_not_asked_at_baseline():
    template = [TemplateRow("fdi-child", "child", 2), TemplateRow("pgic", "child", 2, False)]
    asked = {(p.instrument_id, p.label) for p in program_schedule(TODAY, 4, template)}
    assert ("fdi-child", "Baseline") in asked and ("pgic", "Baseline") not in asked
    assert ("pgic", "Week 2") in asked

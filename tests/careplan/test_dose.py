"""Each episode's stored session dose stays what its sessions say after every kind of write:
recording, editing (the date, the minutes, attendance, the discipline), signing, discharge and a
relapse; and `backto summaries_rebuild` rebuilds it. The progress page's dose reads the same
aggregates from the sessions as they stand."""

import io
from datetime import timedelta

from django.core.management import call_command
from django.forms.models import model_to_dict

from backto.access.patients.actions import episode_open, episode_transition
from backto.capabilities.careplan import actions
from backto.capabilities.careplan.dose import DOSE_FIELDS, dose_aggregates
from backto.capabilities.careplan.models import EpisodeDose, TherapySession
from backto.capabilities.careplan.queries import program_dose
from tests.conftest import TODAY, audited

TODAY = TODAY


def record(by, episode, day=TODAY, **fields):
    values = {"discipline": "pt", "minutes": 60, "attended": True, **fields}
    return actions.session_record(by=by, episode=episode, date=day, **values)


def stored(episode):
    dose = EpisodeDose.objects.get(episode=episode)
    return {name: value for name, value in model_to_dict(dose).items() if name in DOSE_FIELDS}


def assert_fresh(episode):
    """The stored dose is what the sessions add up to now."""
    now = TherapySession.objects.filter(episode=episode).aggregate(**dose_aggregates())
    assert stored(episode) == {name: now[name] or 0 for name in DOSE_FIELDS}


def test_recording_sessions_keeps_the_dose_current(pat, active):
    record(pat, active, minutes=45)
    record(pat, active, discipline="ot", minutes=30)  # the same day: one day
    record(pat, active, TODAY - timedelta(days=1), attended=False)
    assert stored(active) == {
        "days": 1,
        "sessions_attended": 2,
        "sessions_missed": 1,
        "pt_minutes": 45,
        "ot_minutes": 30,
        "counseling_minutes": 0,
    }
    assert_fresh(active)


def test_editing_a_session_moves_its_day_minutes_attendance_and_discipline(pat, active):
    session = record(pat, active)
    other = record(pat, active, TODAY - timedelta(days=2), minutes=40)
    actions.session_update(by=pat, session=session, date=TODAY - timedelta(days=2))
    assert stored(active)["days"] == 1
    actions.session_update(by=pat, session=session, minutes=50, discipline="counseling")
    assert (stored(active)["pt_minutes"], stored(active)["counseling_minutes"]) == (40, 50)
    actions.session_update(by=pat, session=session, attended=False)
    assert (stored(active)["sessions_attended"], stored(active)["sessions_missed"]) == (1, 1)
    assert stored(active)["counseling_minutes"] == 0
    actions.session_sign(by=pat, session=other)
    assert_fresh(active)


def test_the_progress_page_reads_the_stored_dose(pat, active, django_assert_num_queries):
    record(pat, active, minutes=90)
    record(pat, active, TODAY - timedelta(days=3), discipline="ot", minutes=60)
    with django_assert_num_queries(2):  # the stored dose and the schedule's attendance
        dose = program_dose(active)
    assert dose.days == stored(active)["days"] == 2
    assert dose.hours == {"Physical therapy": 1.5, "Occupational therapy": 1.0, "Counseling": 0.0}
    assert (dose.attended, dose.missed) == (2, 0)


def test_an_episode_without_a_stored_dose_sums_its_sessions(pat, active):
    """Sessions written before the stored dose existed (it is made by their actions, the
    migrations and `backto summaries_rebuild`) still count."""
    record(pat, active, minutes=30)
    EpisodeDose.objects.filter(episode=active).delete()
    dose = program_dose(active)
    assert (dose.days, dose.attended, dose.hours["Physical therapy"]) == (1, 1, 0.5)
    EpisodeDose.objects.filter(episode=active).delete()
    TherapySession.objects.filter(episode=active).delete()
    assert (program_dose(active).days, program_dose(active).attended) == (0, 0)


def test_discharge_and_a_relapse_keep_each_episodes_dose(pat, cora, maya, active):
    from backto.capabilities.careplan.actions import episode_discharge

    record(pat, active)
    episode_discharge(
        by=pat, episode=active, discharged_on=TODAY, reason="goals_met", summary="Back."
    )
    episode_transition(by=pat, episode=active, target="follow_up")
    episode_transition(by=pat, episode=active, target="closed")
    again = episode_open(by=cora, patient=maya, referral_date=TODAY)
    record(pat, again, minutes=30)
    assert stored(active)["pt_minutes"] == 60 and stored(again)["pt_minutes"] == 30
    assert_fresh(active)
    assert_fresh(again)


def test_the_rebuild_command_recomputes_the_doses_and_is_audited(pat, active):
    record(pat, active, minutes=45)
    before = stored(active)
    EpisodeDose.objects.all().delete()
    out = io.StringIO()
    call_command("summaries_rebuild", stdout=out)
    assert "Session doses rebuilt for 1 episodes" in out.getvalue()
    assert stored(active) == before
    assert audited("update", object_type="episodedose", detail="rebuilt 1")

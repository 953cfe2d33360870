"""`backto synth`: several clinics, every episode state, history that follows recovery, and the
pages still answer on it."""

from io import StringIO
from statistics import mean

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from backto.access.accounts.models import Clinic
from backto.access.patients.models import Episode, Patient
from backto.capabilities.diary.models import DiaryEntry
from backto.capabilities.measures.models import Administration


def test_it_fills_several_clinics_with_episodes_in_every_state(db):
    out = StringIO()
    call_command(
        "synth", "--patients", "60", "--days", "120", "--seed", "4", stdout=out, stderr=StringIO()
    )
    assert "60 children in 2 clinics" in out.getvalue()
    assert Clinic.objects.count() == 2
    states = set(Episode.objects.values_list("state", flat=True))
    assert {
        "referred",
        "intake",
        "active",
        "discharged",
        "follow_up",
        "closed",
        "withdrawn",
    } <= states
    assert Episode.objects.filter(previous_episode__isnull=False).exists()  # relapses
    # Questionnaires: the FDI falls from baseline to discharge across the cohort.
    done = Administration.objects.filter(state="completed", instrument_id="fdi-child")
    admission = [
        float(t) for t in done.filter(timepoint="baseline").values_list("result__total", flat=True)
    ]
    discharge = [
        float(t) for t in done.filter(timepoint="discharge").values_list("result__total", flat=True)
    ]
    assert admission and discharge and mean(discharge) < mean(admission) - 5
    # Health care falls too (CLINICAL.md: visits fall after function returns): medical visits
    # per 3 months at admission against discharge, the months covered filled as completing does.
    visits = Administration.objects.filter(state="completed", instrument_id="healthcare-use")
    before = [
        float(t) for t in visits.filter(timepoint="baseline").values_list("score_total", flat=True)
    ]
    after = [
        float(t) for t in visits.filter(timepoint="discharge").values_list("score_total", flat=True)
    ]
    # (About a quarter fewer across large cohorts; a 60-child cohort varies around that.)
    assert before and after and mean(after) < mean(before) * 0.95
    assert {
        a["months_covered"]
        for a in visits.filter(timepoint="baseline").values_list("answers", flat=True)
    } == {3.0}
    # Diaries have gaps, and a care team for every episode.
    assert DiaryEntry.objects.exists()
    assert not Episode.objects.filter(care_team__isnull=True).exists()


def test_it_names_the_bad_option(db):
    with pytest.raises(CommandError, match="--patients"):
        call_command("synth", "--patients", "0", stdout=StringIO(), stderr=StringIO())
    with pytest.raises(CommandError, match="--days"):
        call_command(
            "synth", "--patients", "5", "--days", "3", stdout=StringIO(), stderr=StringIO()
        )


def _fingerprint() -> list[tuple]:
    return sorted(
        (c.legal_name, c.date_of_birth, c.diary_entries.count(), c.episodes.count())
        for c in Patient.objects.all()
    )


@pytest.mark.django_db(transaction=True)
def test_clinics_synthesized_at_once_are_the_clinics_synthesized_in_turn():
    """`--jobs 2` forks a process per clinic (PostgreSQL): the same seed gives the same children
    either way, since each clinic draws from a stream of its own."""
    if connection.vendor != "postgresql":
        with pytest.raises(CommandError, match="--jobs above 1 needs PostgreSQL"):
            call_command("synth", "--patients", "8", "--jobs", "2", stdout=StringIO())
        return
    call_command(
        "synth",
        "--patients",
        "30",
        "--clinics",
        "2",
        "--jobs",
        "2",
        "--seed",
        "3",
        stdout=StringIO(),
        stderr=StringIO(),
    )
    at_once = _fingerprint()
    assert len(at_once) == 30 and Clinic.objects.count() == 2
    call_command("flush", "--noinput", verbosity=0)
    call_command(
        "synth",
        "--patients",
        "30",
        "--clinics",
        "2",
        "--seed",
        "3",
        stdout=StringIO(),
        stderr=StringIO(),
    )
    assert _fingerprint() == at_once

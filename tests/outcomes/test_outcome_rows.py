"""The stored outcome rows (models.OutcomeRow, issue #24): a cohort read from them equals the
computation from the records; a change to any record a row derives from marks it in the same
transaction and refreshes it once that commits; a row that is missing or not fresh is computed
from the records instead; the rebuild command makes every row; and the page's summary, counted
by the database from the rows, equals the summary of the rows."""

import statistics
from collections import Counter
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import given
from hypothesis import strategies as st

from backto.access.patients.lifecycle import EpisodeState
from backto.access.patients.models import CareTeamMember, Episode
from backto.audit.models import AuditEvent
from backto.capabilities.careplan.dose import session_doses_refresh
from backto.capabilities.careplan.models import Discharge, TherapySession
from backto.capabilities.goals.models import GoalRating, RaterKind
from backto.capabilities.measures.actions import administration_rescore_apply
from backto.capabilities.measures.healthcare import HEALTHCARE_USE
from backto.capabilities.measures.models import Administration, AdminState
from backto.capabilities.medicines.models import Medicine
from backto.clinical.scoring import round_half_away_from_zero
from backto.readers.outcomes import rows as outcome_rows
from backto.readers.outcomes.models import OutcomeRow
from backto.readers.outcomes.queries import (
    Cell,
    _judge_fdi,
    _mean,
    _median,
    cohort,
    cohort_episodes,
    cohort_summary,
    computed_rows,
    summarize,
)
from tests.conftest import PINNED_AT, TODAY
from tests.dashboards.test_oracle import staff, synthetic_clinic

YEAR = (TODAY - timedelta(days=365), TODAY)


def live(clinic):
    """The cohort's rows computed from the records, whatever is stored."""
    rows = computed_rows(cohort_episodes(clinic, *YEAR, "", ""), "default")
    _judge_fdi(rows.values())
    return rows


def assert_true_to_records(clinic):
    read = {row.episode_id: row for row in cohort(clinic, *YEAR)}
    expected = live(clinic)
    assert read.keys() == expected.keys()
    for pk, row in read.items():
        assert row == expected[pk], pk


@pytest.fixture
def clinic(db, clock):
    clinic = synthetic_clinic()
    outcome_rows.outcome_rows_rebuild()
    return clinic


def test_a_cohort_read_from_the_rows_equals_the_records_in_a_fixed_number_of_queries(clinic):
    assert not OutcomeRow.objects.filter(fresh=False).exists()
    assert OutcomeRow.objects.count() == Episode.objects.count()
    assert_true_to_records(clinic)
    rows = cohort(clinic, *YEAR)
    # Every source is in the rows, not only empty figures.
    assert any(r.gas_discharge for r in rows) and any(r.walk_percent for r in rows)
    assert any(r.allodynia for r in rows) and any(r.visits for r in rows)
    assert any(r.medicines_at_start for r in rows)
    with CaptureQueriesContext(connection) as read:
        cohort(clinic, *YEAR)
    assert len(read) == 3  # the rows, and two counts that find none waiting


def _a_discharged_episode(clinic):
    """A discharged episode in the cohort with goals, a care team and health-care figures
    before and after, that no returning episode follows yet."""
    rows = cohort(clinic, *YEAR)
    return Episode.objects.get(
        pk=next(
            r.episode_id
            for r in sorted(rows, key=lambda r: r.episode_id)
            if r.discharged_on
            and r.gas_discharge is not None
            and r.disciplines
            and r.emergency
            and not r.relapse
        )
    )


def _changes(clinic):
    """(name, change) pairs: each change saves or deletes a record rows derive from, and
    returns the episode whose row it changes."""
    pt = staff("pt")
    episode = _a_discharged_episode(clinic)
    discharge = Discharge.objects.get(episode=episode)

    def rate_a_goal():
        goal = episode.goals.order_by("pk").first()
        latest = goal.ratings.order_by("-rated_on", "-id").values_list("level", flat=True).first()
        GoalRating.objects.create(
            goal=goal,
            rated_on=discharge.discharged_on,
            level=-2 if latest != -2 else 2,
            rater=pt,
            rater_kind=RaterKind.CLINICIAN,
        )
        return episode

    def move_the_discharge():
        discharge.discharged_on -= timedelta(days=20)
        discharge.save()
        return episode

    def leave_the_care_team():
        CareTeamMember.objects.filter(episode=episode).order_by("pk").first().delete()
        return episode

    def come_back():
        Episode.objects.filter(pk=episode.pk).update(state=EpisodeState.CLOSED)
        Episode.objects.create(
            patient=episode.patient,
            state=EpisodeState.REFERRED,
            referral_date=TODAY,
            previous_episode=episode,
            state_changed_at=PINNED_AT,
        )
        return episode

    def a_medicine():
        Medicine.objects.create(
            patient=episode.patient,
            name="Something else",
            started_on=TODAY - timedelta(days=700),
            stopped_on=discharge.discharged_on - timedelta(days=1),
            added_by=pt,
            changed_by=pt,
        )
        return episode

    def a_birthday_corrected():
        patient = episode.patient
        row = next(r for r in cohort(clinic, *YEAR) if r.episode_id == episode.pk)
        years = 9 if row.age_band != "8-11" else 13  # into another age band
        patient.date_of_birth = row.started_on - timedelta(days=years * 365 + 100)
        patient.save()
        return episode

    def rescore_a_healthcare_form():
        form = Administration.objects.get(
            episode=episode,
            instrument_id=HEALTHCARE_USE,
            state=AdminState.COMPLETED,
            timepoint="baseline",
        )
        result = {"total": "29.0", "subscales": {"emergency": "17.0", "work_days_missed": "21.0"}}
        administration_rescore_apply(by=None, administration=form, result=result, engine="t")
        return episode

    def rescore_the_discharge_fdi():
        form = Administration.objects.get(
            episode=episode,
            instrument_id="fdi-child",
            state=AdminState.COMPLETED,
            timepoint="discharge",
        )
        total = "3.0" if form.score_total != Decimal("3.0") else "40.0"
        administration_rescore_apply(
            by=None, administration=form, result={"total": total}, engine="t"
        )
        return episode

    def a_longer_session():
        # What recording or editing a session does: the sessions, then the stored dose.
        session = TherapySession.objects.filter(episode=episode, attended=True).order_by("pk")[0]
        TherapySession.objects.filter(pk=session.pk).update(minutes=session.minutes + 120)
        session_doses_refresh([episode.pk])
        return episode

    return [
        rescore_the_discharge_fdi,
        a_longer_session,
        rate_a_goal,
        move_the_discharge,
        leave_the_care_team,
        come_back,
        a_medicine,
        a_birthday_corrected,
        rescore_a_healthcare_form,
    ]


def test_every_change_is_marked_in_its_transaction_and_refreshed_once_it_commits(
    clinic, django_capture_on_commit_callbacks
):
    for change in _changes(clinic):
        before = {r.episode_id: r for r in cohort(clinic, *YEAR)}
        with django_capture_on_commit_callbacks(execute=False) as waiting:
            episode = change()
            # Before the commit: not fresh, and outcomes already read the change.
            assert not OutcomeRow.objects.get(pk=episode.pk).fresh, change.__name__
            assert_true_to_records(clinic)
        assert waiting, change.__name__
        for callback in waiting:
            callback()
        assert OutcomeRow.objects.get(pk=episode.pk).fresh, change.__name__
        assert_true_to_records(clinic)
        after = {r.episode_id: r for r in cohort(clinic, *YEAR)}
        assert after[episode.pk] != before[episode.pk], change.__name__


def test_a_failed_refresh_leaves_the_row_to_the_records_and_the_action_done(
    clinic, django_capture_on_commit_callbacks, monkeypatch, caplog
):
    def broken(ids):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(outcome_rows, "outcome_rows_refresh", broken)
    episode = _a_discharged_episode(clinic)
    with django_capture_on_commit_callbacks(execute=True):
        discharge = Discharge.objects.get(episode=episode)
        discharge.discharged_on -= timedelta(days=10)
        discharge.save()
    assert Discharge.objects.get(episode=episode).discharged_on == discharge.discharged_on
    assert not OutcomeRow.objects.get(pk=episode.pk).fresh
    assert_true_to_records(clinic)


def test_missing_rows_are_computed_and_the_rebuild_makes_them(clinic, capsys):
    expected = live(clinic)
    OutcomeRow.objects.all().delete()
    assert {r.episode_id: r for r in cohort(clinic, *YEAR)} == expected

    call_command("outcomes_rebuild", verbosity=0)

    assert OutcomeRow.objects.filter(fresh=True).count() == Episode.objects.count()
    assert {r.episode_id: r for r in cohort(clinic, *YEAR)} == expected
    event = AuditEvent.objects.get(object_type="outcomerow")
    assert event.detail == f"rebuilt {Episode.objects.count()}"


def test_a_row_keeps_one_decimal_figures_exactly(clinic):
    row = OutcomeRow.objects.exclude(visits_before=None).first()
    assert isinstance(row.visits_before, Decimal)
    assert row.visits_before == row.visits_before.quantize(Decimal("0.1"))


def test_the_page_summary_counted_by_the_database_equals_the_rows_summary(clinic):
    for start, end in (YEAR, (TODAY - timedelta(days=90), TODAY), (TODAY, TODAY)):
        for discipline, setting in (("", ""), ("pt", ""), ("", "intensive"), ("", "outpatient")):
            rows = cohort(clinic, start, end, discipline=discipline, setting=setting)
            with CaptureQueriesContext(connection) as counted:
                summary = cohort_summary(clinic, start, end, discipline=discipline, setting=setting)
            assert summary == summarize(rows), (start, end, discipline, setting)
            assert len(counted) == 19, [q["sql"] for q in counted]  # a query a figure
    summary = cohort_summary(clinic, *YEAR)
    assert summary.discharged.n and summary.gas_discharge.n and summary.dose_days.n
    assert summary.walk_percent_change.n and summary.allodynia_change.n
    assert summary.reliable_improvement.n and summary.visits_change.n
    # With a row waiting, the summary is the rows' (the database cannot count what it lacks).
    OutcomeRow.objects.filter(pk=_a_discharged_episode(clinic).pk).update(fresh=False)
    assert cohort_summary(clinic, *YEAR) == summarize(cohort(clinic, *YEAR))


@given(st.lists(st.decimals(min_value=-50, max_value=50, places=1), max_size=40))
def test_counted_means_and_medians_equal_the_statistics_of_the_list(values):
    counts = Counter(values)
    expected_mean = round(statistics.mean(float(v) for v in values), 1) if values else None
    assert _mean(counts) == Cell(expected_mean, len(values))
    expected_median = (
        round_half_away_from_zero(Decimal(statistics.median(values))) if values else None
    )
    assert _median(counts) == Cell(expected_median, len(values))


def test_rebuilding_the_summaries_refreshes_the_rows_that_copy_them(
    clinic, django_capture_on_commit_callbacks
):
    OutcomeRow.objects.update(fdi_discharge=Decimal("59.0"), dose_days=999)  # made wrong
    with django_capture_on_commit_callbacks(execute=True):
        call_command("summaries_rebuild", verbosity=0)
    assert not OutcomeRow.objects.filter(dose_days=999).exists()
    assert_true_to_records(clinic)

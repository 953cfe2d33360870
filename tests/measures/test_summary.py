"""Each episode's measure summary stays what its questionnaires say after every kind of write:
completing (in any order, from paper), saving without finishing, rescoring, the sweep,
discharge, withdrawal and a relapse; and `backto summaries_rebuild` rebuilds it."""

import io
from datetime import timedelta

from django.core.management import call_command
from django.forms.models import model_to_dict
from django.utils import timezone

from backto.access.patients.actions import episode_open, episode_transition
from backto.capabilities.careplan import actions as care
from backto.capabilities.measures import actions
from backto.capabilities.measures.models import Administration, AdminState, EpisodeMeasureSummary
from backto.capabilities.measures.summary import VALUE_FIELDS, measure_summary_values
from tests.conftest import TODAY, audited
from tests.measures.conftest import baseline

FDI = [str(n) for n in range(1, 16)]
PCS = [str(n) for n in range(1, 14)]


def answer(by, administration, answers, *, finish=True):
    Administration.objects.filter(pk=administration.pk, state="scheduled").update(state="due")
    administration.refresh_from_db()
    return actions.administration_answer(
        by=by, administration=administration, answers=answers, finish=finish
    )


def at(episode, instrument_id, timepoint, label=None):
    query = Administration.objects.filter(
        episode=episode, instrument_id=instrument_id, timepoint=timepoint
    )
    return query.get(label=label) if label else query.order_by("due_on").first()


def stored(episode):
    summary = EpisodeMeasureSummary.objects.get(episode=episode)
    return {name: value for name, value in model_to_dict(summary).items() if name in VALUE_FIELDS}


def recomputed(episode):
    """The summary worked out again from every completed questionnaire of the episode."""
    rows = Administration.objects.filter(episode=episode, state=AdminState.COMPLETED).values_list(
        "due_on", "pk", "instrument_id", "timepoint", "score_total", "score_band"
    )
    return measure_summary_values(list(rows))


def assert_fresh(episode):
    assert stored(episode) == recomputed(episode)


def test_completing_questionnaires_keeps_the_summary_current(pat, active):
    answer(pat, baseline(active, "fdi-child"), dict.fromkeys(FDI, 2))  # 30
    assert stored(active)["fdi_first"] == 30 and stored(active)["fdi_last"] is None
    assert stored(active)["fdi_baseline"] == 30
    answer(pat, at(active, "fdi-child", "program", "Week 2"), dict.fromkeys(FDI, 1))  # 15
    answer(pat, baseline(active, "pcs-c"), dict.fromkeys(PCS, 3))  # 39: high
    answer(pat, baseline(active, "nrs-pain"), {"current": 7, "usual_week": 6, "worst_week": 9})
    summary = stored(active)
    assert (summary["fdi_first"], summary["fdi_last"]) == (30, 15)
    assert summary["pcs_c_band"] == "high" and summary["pain_baseline"] == 7
    assert_fresh(active)


def test_saving_without_finishing_changes_nothing_and_finishing_later_does(pat, active):
    fdi = baseline(active, "fdi-child")
    answer(pat, fdi, {"1": 2}, finish=False)
    assert not EpisodeMeasureSummary.objects.filter(episode=active).exists()
    answer(pat, fdi, dict.fromkeys(FDI[1:], 2))
    assert stored(active)["fdi_baseline"] == 30
    assert_fresh(active)


def test_a_paper_baseline_entered_after_a_later_score_is_still_first(pat, active):
    answer(pat, at(active, "fdi-child", "program", "Week 2"), dict.fromkeys(FDI, 1))  # 15
    assert stored(active)["fdi_first"] == 15 and stored(active)["fdi_last"] is None
    answer(pat, baseline(active, "fdi-child"), dict.fromkeys(FDI, 3))  # 45, typed in later
    assert (stored(active)["fdi_first"], stored(active)["fdi_last"]) == (45, 15)
    assert_fresh(active)


def test_rescoring_updates_the_summary(pat, active, instrument_files):
    answer(pat, baseline(active, "pcs-c"), dict.fromkeys(PCS, 2))  # 26: high
    assert stored(active)["pcs_c_band"] == "high"

    def higher_high(data):
        data["scoring"]["bands"][1]["upper"] = 30
        data["scoring"]["bands"][2]["lower"] = 30

    instrument_files("pcs-c", "1.1.0", higher_high)
    call_command("rescore", "--latest", "--apply", stdout=io.StringIO())
    assert stored(active)["pcs_c_band"] == "moderate"
    assert_fresh(active)


def test_the_sweep_discharge_and_follow_up_keep_it_current(pat, active):
    answer(pat, baseline(active, "fdi-child"), dict.fromkeys(FDI, 2))  # 30
    answer(pat, baseline(active, "school"), dict.fromkeys(["mon", "tue", "wed", "thu", "fri"], 1))
    actions.mark_due(timezone.localdate() + timedelta(days=40))  # week 2 and 4 missed
    assert_fresh(active)
    care.episode_discharge(
        by=pat, episode=active, discharged_on=TODAY, reason="goals_met", summary="Back."
    )
    answer(pat, at(active, "fdi-child", "discharge"), dict.fromkeys(FDI, 0))  # 0
    answer(pat, at(active, "fdi-child", "follow_up", "1 month"), dict.fromkeys(FDI, 1))  # 15
    answer(pat, at(active, "fdi-child", "follow_up", "3 months"), dict.fromkeys(FDI, 0))  # 0
    summary = stored(active)
    assert (summary["fdi_baseline"], summary["fdi_discharge"]) == (30, 0)
    assert summary["school_baseline"] == 50
    assert summary["fdi_follow_up"] == 0  # the latest follow-up
    assert (summary["fdi_first"], summary["fdi_last"]) == (30, 0)
    episode_transition(by=pat, episode=active, target="withdrawn", note="Moved away")
    assert_fresh(active)


def test_a_relapse_starts_a_summary_of_its_own(pat, cora, maya, active):
    answer(pat, baseline(active, "fdi-child"), dict.fromkeys(FDI, 2))
    episode_transition(by=pat, episode=active, target="withdrawn", note="Moved away")
    again = episode_open(by=cora, patient=maya, referral_date=TODAY)
    episode_transition(by=pat, episode=again, target="intake")
    episode_transition(by=pat, episode=again, target="active")
    actions.mark_due(TODAY)
    answer(pat, baseline(again, "fdi-child"), dict.fromkeys(FDI, 1))
    assert stored(again)["fdi_baseline"] == 15 and stored(active)["fdi_baseline"] == 30
    assert_fresh(again)
    assert_fresh(active)


def test_the_rebuild_command_recomputes_every_episode_and_is_audited(pat, active):
    answer(pat, baseline(active, "fdi-child"), dict.fromkeys(FDI, 2))
    answer(pat, baseline(active, "pcs-p"), dict.fromkeys(PCS, 4))
    before = stored(active)
    EpisodeMeasureSummary.objects.all().delete()
    out = io.StringIO()
    call_command("summaries_rebuild", stdout=out)
    assert "Measure summaries rebuilt for 1 episodes" in out.getvalue()
    assert stored(active) == before
    assert audited("update", object_type="episodemeasuresummary", detail="rebuilt 1")


def test_the_summary_and_the_results_page_read_the_same_baseline_and_latest(pat, active):
    from backto.capabilities.measures.queries import measure_series

    # A discharge score and a program score due the same day, the discharge made first (the
    # lower id): over a course the program comes before the discharge, so the discharge is the
    # latest in both readings. The baseline is typed in last and is still the first.
    discharge = at(active, "fdi-child", "program", "Week 2")
    program = Administration.objects.get(pk=discharge.pk)
    program.pk, program.label = None, "Week 12"
    program.save()
    Administration.objects.filter(pk=discharge.pk).update(timepoint="discharge")
    discharge.refresh_from_db()
    answer(pat, discharge, dict.fromkeys(FDI, 1))  # 15
    answer(pat, program, dict.fromkeys(FDI, 2))  # 30
    answer(pat, baseline(active, "fdi-child"), dict.fromkeys(FDI, 3))  # 45
    series = next(
        s
        for s in measure_series(Administration.objects.filter(episode=active))
        if s.instrument_id == "fdi-child"
    )
    summary = stored(active)
    assert (series.baseline.total, series.latest.total) == (45, 15)
    assert (summary["fdi_first"], summary["fdi_last"]) == (45, 15)
    assert_fresh(active)

"""The caseload's flags, sorting and filtering, in a fixed number of queries."""

from datetime import datetime, time, timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from backto.access.accounts.models import User
from backto.access.patients import actions
from backto.access.patients.models import EpisodeTransition
from backto.capabilities.measures.actions import administration_answer, mark_due
from backto.capabilities.measures.models import Administration
from backto.clinical.instrument_registry import instrument_registry
from backto.readers.dashboards.caseload_signals import caseload_signals
from tests.conftest import TODAY
from tests.progress.conftest import child_diary

URL = reverse("clinician_home")
ALL = [str(n) for n in range(1, 16)]


def start(episode, pat, weeks_ago):
    actions.episode_transition(by=pat, episode=episode, target="intake")
    actions.episode_transition(by=pat, episode=episode, target="active")
    began = timezone.localdate() - timedelta(weeks=weeks_ago)
    EpisodeTransition.objects.filter(episode=episode, target="active").update(
        at=timezone.make_aware(datetime.combine(began, time(9)))
    )
    return began


def flags(episode):
    row = (episode.patient_id, episode.pk, True)
    viewer = episode.care_team.first().clinician
    return caseload_signals([row], timezone.localdate(), viewer=viewer)[episode.patient_id]


def complete(pat, episode, instrument_id, timepoint, value, label=None):
    query = Administration.objects.filter(
        episode=episode, instrument_id=instrument_id, timepoint=timepoint
    )
    if label:
        query = query.filter(label=label)
    administration = query.first()
    Administration.objects.filter(pk=administration.pk).update(state="due")
    administration.refresh_from_db()
    items = [item.linkId for item in instrument_registry().get(instrument_id).items]
    administration_answer(
        by=pat, administration=administration, answers=dict.fromkeys(items, value), finish=True
    )


def test_a_quiet_diary_and_no_improvement_are_flagged(pat, maya_teen, episode):
    began = start(episode, pat, 7)
    child_diary(episode.patient, maya_teen, began, 40, activity=lambda n: 2, pain=lambda n: 6)
    complete(pat, episode, "fdi-child", "baseline", 2)  # 30
    complete(pat, episode, "fdi-child", "program", 2, label="Week 2")  # 30
    s = flags(episode)
    assert "no_diary" in s.flags and "no_improvement" in s.flags
    assert s.fdi == [30, 30] and s.program_start == began


def test_a_reliable_fdi_improvement_clears_the_no_improvement_flag(pat, episode):
    start(episode, pat, 7)
    complete(pat, episode, "fdi-child", "baseline", 2)  # 30
    complete(pat, episode, "fdi-child", "program", 1, label="Week 2")  # 15
    assert "no_improvement" not in flags(episode).flags


def test_falling_activity_and_high_catastrophizing_are_flagged(pat, maya_teen, episode):
    start(episode, pat, 5)
    today = timezone.localdate()
    child_diary(
        episode.patient,
        maya_teen,
        today - timedelta(days=27),
        28,
        activity=lambda n: 3 if n < 14 else 1,
        pain=lambda n: 5,
    )
    complete(pat, episode, "pcs-c", "baseline", 4)  # 52: high
    s = flags(episode)
    assert "function_falling" in s.flags and "catastrophizing" in s.flags
    assert "no_diary" not in s.flags


def answer(pat, episode, instrument_id, answers):
    administration = Administration.objects.filter(
        episode=episode, instrument_id=instrument_id, timepoint="baseline"
    ).first()
    Administration.objects.filter(pk=administration.pk).update(state="due")
    administration.refresh_from_db()
    administration_answer(by=pat, administration=administration, answers=answers, finish=True)


def test_catastrophizing_follows_each_instruments_band(pat, episode):
    start(episode, pat, 2)
    items = [str(n) for n in range(1, 14)]
    answer(pat, episode, "pcs-c", {**dict.fromkeys(items, 2), "13": 1})  # 25: moderate
    answer(pat, episode, "pcs-p", dict.fromkeys(items, 2))  # 26: the PCS-P's high (23 and up)
    assert "catastrophizing" not in flags(episode).flags
    assert "parent_catastrophizing" in flags(episode).flags
    answer(pat, episode, "pcs-c", dict.fromkeys(items, 2))  # 26: the PCS-C's high band
    assert "catastrophizing" in flags(episode).flags


def test_filter_and_sort_the_caseload(as_user, pat, cora, clinic, maya, leo, episode):
    start(episode, pat, 3)  # no diary at all: flagged
    other = actions.episode_open(by=cora, patient=leo, referral_date=timezone.localdate())
    actions.care_team_add(by=cora, episode=other, clinician=pat, discipline="pt", lead=True)
    client = as_user(pat)
    flagged = client.get(URL, {"flag": "no_diary"}).content.decode()
    assert maya.name in flagged and leo.name not in flagged
    by_flags = client.get(URL, {"sort": "flags"}).content.decode()
    assert by_flags.index(maya.name) < by_flags.index(leo.name)
    assert client.get(URL, {"flag": "nonsense", "sort": "nonsense"}).status_code == 200


def test_the_caseload_query_count_stays_fixed_with_history(
    as_user, pat, cora, clinic, maya_teen, episode
):
    start(episode, pat, 4)
    mark_due(TODAY)
    client = as_user(pat)
    client.get(URL)
    with CaptureQueriesContext(connection) as small:
        client.get(URL)
    for i in range(12):
        child = actions.patient_register(
            by=cora,
            clinic=clinic,
            legal_name=f"Child {i}",
            date_of_birth=timezone.localdate() - timedelta(days=4000),
        )
        ep = actions.episode_open(by=cora, patient=child, referral_date=timezone.localdate())
        actions.care_team_add(by=cora, episode=ep, clinician=pat, discipline="pt", lead=True)
        start(ep, pat, 3)
        child_diary(
            child,
            maya_teen,
            timezone.localdate() - timedelta(days=20),
            20,
            activity=lambda n: 2,
            pain=lambda n: 5,
        )
    mark_due(TODAY)
    complete(pat, episode, "fdi-child", "baseline", 2)
    with CaptureQueriesContext(connection) as large:
        page = client.get(URL).content.decode()
    assert page.count("Child ") >= 12
    assert len(large) == len(small)


def test_a_long_caseload_comes_in_pages(as_user, pat, cora, clinic):
    from backto.readers.dashboards.queries import PAGE_SIZE

    for i in range(PAGE_SIZE + 3):
        child = actions.patient_register(
            by=cora,
            clinic=clinic,
            legal_name=f"Child {i:03d}",
            date_of_birth=timezone.localdate() - timedelta(days=4000),
        )
        ep = actions.episode_open(by=cora, patient=child, referral_date=timezone.localdate())
        actions.care_team_add(by=cora, episode=ep, clinician=pat, discipline="pt", lead=True)
    client = as_user(pat)
    first = client.get(URL).content.decode()
    assert f"{PAGE_SIZE + 3} patients, page 1 of 2" in first and "Child 000" in first
    assert "Child 052" not in first and "Next patients" in first
    second = client.get(URL, {"page": "2"}).content.decode()
    assert "Child 052" in second and "Child 000" not in second and "Previous patients" in second
    assert client.get(URL, {"page": "99"}).status_code == 200  # the last page


def test_the_fdi_and_catastrophizing_come_from_the_questionnaires(db):
    """On the demo clinic, what the caseload reads from the measure summaries is what reading
    every completed questionnaire gives: the baseline (else the earliest) FDI and the latest,
    and the latest PCS-C and PCS-P bands, each flagged on its own."""
    from backto.access.patients.models import Episode
    from tests.core.test_demo import run_demo

    run_demo("--patients", "12", "--seed", "3")
    latest = {}
    for pk, patient_id, state in Episode.objects.order_by(
        "patient_id", "-referral_date", "-id"
    ).values_list("pk", "patient_id", "state"):
        latest.setdefault(patient_id, (pk, state))
    rows = [(pid, pk, state == "active") for pid, (pk, state) in latest.items()]
    coordinator = User.objects.get(username="demo-coordinator")
    signals = caseload_signals(rows, timezone.localdate(), viewer=coordinator)
    checked = 0
    for pid, (episode_id, _) in latest.items():
        fdi, bands = [], {}
        for timepoint, total, instrument_id, band in (
            Administration.objects.filter(
                episode_id=episode_id,
                state="completed",
                instrument_id__in=("fdi-child", "pcs-c", "pcs-p"),
            )
            .order_by("due_on", "pk")
            .values_list("timepoint", "score_total", "instrument_id", "score_band")
        ):
            bands[instrument_id] = band
            if instrument_id == "fdi-child" and total is not None:
                fdi.insert(0 if timepoint == "baseline" else len(fdi), total)
        s = signals[pid]
        assert s.fdi == ([fdi[0], fdi[-1]] if len(fdi) >= 2 else fdi)
        assert ("catastrophizing" in s.flags) == (bands.get("pcs-c") == "high")
        assert ("parent_catastrophizing" in s.flags) == (bands.get("pcs-p") == "high")
        checked += len(fdi) >= 2
    assert checked

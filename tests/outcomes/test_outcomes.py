"""Program outcomes on the demo clinic: figures traced to their rows, small cells suppressed,
a de-identified export, permissions and audit, and a fixed number of queries."""

import csv
import io
import zipfile
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backto.access.accounts.models import Clinic, User
from backto.access.patients.models import Episode, Patient
from backto.capabilities.measures.models import Administration
from backto.readers.outcomes.export import (
    QUASI_IDENTIFIERS,
    TooFewToExport,
    de_identify,
    export_rows,
)
from backto.readers.outcomes.queries import SMALL_CELL, Cell, EpisodeOutcome, cohort, summarize
from tests.conftest import TODAY, audited
from tests.core.test_demo import run_demo


def _year() -> tuple[date, date]:
    return TODAY - timedelta(days=800), TODAY


@pytest.fixture
def demo(db):
    run_demo("--patients", "40", "--seed", "2")
    return Clinic.objects.get()


def test_the_summary_follows_from_the_rows_and_the_export_is_de_identified(demo):
    with CaptureQueriesContext(connection) as narrow:
        few = summarize(cohort(demo, TODAY - timedelta(days=200), TODAY))
    assert few.discharged.value > 0  # both cohorts below touch every table
    with CaptureQueriesContext(connection) as wide:
        rows = cohort(demo, *_year())
    summary = summarize(rows)
    discharged = [r for r in rows if r.discharged_on]
    assert summary.admitted.value == len(rows) and summary.discharged.value == len(discharged)
    changed = [r for r in discharged if r.change is not None]
    improved = sum(r.change == "reliably improved" for r in changed)
    assert summary.reliable_improvement == Cell(round(100 * improved / len(changed)), len(changed))
    admission = summary.bands["baseline"]
    assert sum(c.value for c in admission.values()) == sum("baseline" in r.fdi for r in rows)
    assert summary.pain_change.value is None or summary.pain_change.value < 0  # pain eases
    assert summary.admitted.value > few.admitted.value
    assert len(wide) == len(narrow)  # the same queries for a larger cohort
    _check_export(rows)


def test_small_cells_are_suppressed():
    assert Cell(3, 3).suppressed and not Cell(0, 0).suppressed and not Cell(5, 5).suppressed


def _assert_k_anonymous(records):
    combinations = [tuple(r[c] for c in QUASI_IDENTIFIERS) for r in records]
    assert all(combinations.count(c) >= SMALL_CELL for c in combinations)  # no rare combination


def _check_export(rows):
    export = de_identify(rows)
    assert len(export.records) + export.withheld == len(rows)
    text = str(export.records)
    for patient in Patient.objects.all():
        assert patient.legal_name not in text and str(patient.date_of_birth) not in text
    assert not any(str(r.started_on) in text for r in rows)
    _assert_k_anonymous(export.records)
    with pytest.raises(TooFewToExport):
        export_rows(rows[:4])


_outcomes = st.builds(
    EpisodeOutcome,
    episode_id=st.integers(1, 10**6),
    age_band=st.sampled_from(["8-11", "12-14", "15-18"]),
    sex=st.sampled_from(["female", "male", "other"]),
    setting=st.sampled_from(["outpatient", "intensive"]),
    disciplines=st.sets(st.sampled_from(["pt", "ot", "counseling"]), min_size=1),
    started_on=st.just(date(2026, 1, 5)),
    discharged_on=st.none() | st.just(date(2026, 3, 2)),
    relapse=st.booleans(),
)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_outcomes, max_size=60, unique_by=lambda r: r.episode_id))
def test_every_combination_in_any_export_is_shared_by_five_rows_or_it_is_refused(rows):
    try:
        export = de_identify(rows)
    except TooFewToExport:
        return
    assert len(export.records) >= SMALL_CELL
    assert len(export.records) + export.withheld == len(rows)
    _assert_k_anonymous(export.records)


def test_rows_that_stay_rare_are_withheld_and_the_companion_text_says_so():
    common = {"age_band": "12-14", "sex": "female", "setting": "outpatient", "disciplines": {"pt"}}
    rows = [
        EpisodeOutcome(i, started_on=date(2026, 1, 5), discharged_on=None, relapse=False, **common)
        for i in range(1, 7)
    ]
    # Two children who differ from the rest in every column: blanking them all would leave a
    # group of two.
    rows += [
        EpisodeOutcome(
            i, "8-11", "male", "intensive", {"ot"}, date(2026, 1, 5), None, relapse=False
        )
        for i in (7, 8)
    ]
    export = de_identify(rows)
    assert export.withheld == 2 and len(export.records) == 6
    _assert_k_anonymous(export.records)


def test_the_coordinator_reads_and_exports_and_others_may_not(client, demo):
    coordinator = User.objects.get(username="demo-coordinator")
    client.force_login(
        coordinator, backend="backto.access.accounts.backends.UsernameOrEmailBackend"
    )
    start, end = _year()
    query = {"start": start.isoformat(), "end": end.isoformat()}
    page = client.get(reverse("outcomes"), query).content.decode()
    assert "Reliable improvement of the FDI" in page and "FDI bands by time point" in page
    for figure in ("Fewer emergency visits", "Medical visits", "Parents' work days regained"):
        assert f'<th scope="row">{figure}</th>' in page.replace("&#x27;", "'")
    assert '<th scope="row">Medicines stopped</th>' in page
    response = client.get(reverse("outcomes_export"), query)
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        rows = archive.read("outcomes.csv").decode()
        notes = archive.read("README.txt").decode()
    header = next(csv.reader(io.StringIO(rows)))
    assert "fdi_admission" in header and "relapse" in header and "name" not in header
    withheld = int(notes.split("Rows withheld: ")[1].split()[0])
    assert len(rows.splitlines()) - 1 + withheld == int(
        notes.split("in the cohort: ")[1].split()[0]
    )
    assert audited("export", object_type="outcomes")
    bad = client.get(reverse("outcomes"), {"start": "2026-05-01", "end": "2026-01-01"})
    assert "must not come before its start" in bad.content.decode()
    client.logout()
    client.force_login(
        User.objects.get(username="demo-pt"),
        backend="backto.access.accounts.backends.UsernameOrEmailBackend",
    )
    assert client.get(reverse("outcomes")).status_code == 403
    assert client.get(reverse("outcomes_export")).status_code == 403


def test_the_band_chart_never_shows_a_share_whose_count_is_hidden():
    from backto.readers.outcomes.queries import Summary
    from backto.readers.outcomes.views import band_figures

    cell = Cell(0, 0)
    bands = {
        "baseline": {"none/minimal": Cell(1, 1), "moderate": Cell(6, 6), "severe": Cell(0, 0)},
        "discharge": {"none/minimal": Cell(6, 6), "moderate": Cell(5, 5), "severe": Cell(0, 0)},
        "follow_up": {"none/minimal": cell, "moderate": cell, "severe": cell},
    }
    summary = Summary(*([cell] * 2), bands, *([cell] * 7), {}, cell)
    chart = str(band_figures(summary)["band_chart"])
    assert ">Discharge<" in chart and ">Admission<" not in chart


def test_each_rows_scores_are_those_of_its_questionnaires(demo):
    """The cohort reads the episodes' measure summaries: the same totals as reading every
    completed questionnaire, the latest of each time point by due date."""
    expected: dict[int, dict[str, dict[str, object]]] = {}
    wanted = {"fdi-child": "fdi", "nrs-pain": "pain", "school": "school"}
    for episode_id, instrument_id, timepoint, total in (
        Administration.objects.filter(
            state="completed",
            instrument_id__in=wanted,
            timepoint__in=("baseline", "discharge", "follow_up"),
            score_total__isnull=False,
        )
        .order_by("due_on", "id")
        .values_list("episode_id", "instrument_id", "timepoint", "score_total")
    ):
        expected.setdefault(episode_id, {}).setdefault(wanted[instrument_id], {})[timepoint] = total
    rows = cohort(demo, *_year())
    assert any(r.fdi.get("discharge") is not None for r in rows)
    for row in rows:
        scores = expected.get(row.episode_id, {})
        assert (row.fdi, row.pain, row.school) == tuple(
            scores.get(name, {}) for name in ("fdi", "pain", "school")
        )


def test_each_rows_dose_is_that_of_its_sessions(demo):
    """The cohort reads the episodes' stored session doses: the same days and hours as adding
    up every attended session."""
    from django.db.models import Count, Q, Sum

    from backto.capabilities.careplan.models import TherapySession

    disciplines = ("pt", "ot", "counseling")
    expected = {
        row["episode_id"]: (
            row["days"],
            {d: round(row[d] / 60, 1) for d in disciplines if row[d]},
        )
        for row in TherapySession.objects.filter(attended=True)
        .values("episode_id")
        .annotate(
            days=Count("date", distinct=True),
            **{d: Sum("minutes", filter=Q(discipline=d)) for d in disciplines},
        )
    }
    rows = cohort(demo, *_year())
    assert any(r.dose_days for r in rows)
    for row in rows:
        assert (row.dose_days, row.dose_hours) == expected.get(row.episode_id, (0, {}))


def test_health_care_before_and_after_is_the_forms_and_the_medians_follow(demo):
    """The slow, obvious way: for each episode, its baseline healthcare-use form's figures per
    3 months and those of its latest completed discharge or follow-up form."""
    from decimal import Decimal
    from statistics import median

    from backto.clinical.scoring import round_half_away_from_zero

    forms: dict[int, dict[str, list[Administration]]] = {}
    for form in Administration.objects.filter(
        instrument_id="healthcare-use", state="completed"
    ).order_by("completed_at", "id"):
        forms.setdefault(form.episode_id, {}).setdefault(
            "before" if form.timepoint == "baseline" else "after", []
        ).append(form)

    def per_3_months(form: Administration, key: str) -> Decimal | None:
        if key == "visits":
            return form.score_total
        value = form.result["subscales"][key]
        return None if value is None else Decimal(value)

    rows = cohort(demo, *_year())
    assert any(r.visits for r in rows), "the demo has children with forms before and after"
    for row in rows:
        found = forms.get(row.episode_id, {})
        for name, key in (
            ("visits", "visits"),
            ("emergency", "emergency"),
            ("work_days", "work_days_missed"),
        ):
            expected = None
            if found.get("before") and found.get("after"):
                before = per_3_months(found["before"][0], key)
                after = per_3_months(found["after"][-1], key)
                expected = None if before is None or after is None else (before, after)
            assert getattr(row, name) == expected, (row.episode_id, name)
    summary = summarize(rows)
    changes = [v[1] - v[0] for r in rows if (v := r.visits)]
    assert summary.visits_change == Cell(
        round_half_away_from_zero(Decimal(median(changes))), len(changes)
    )
    had = [r.emergency for r in rows if r.emergency and r.emergency[0] > 0]
    assert summary.fewer_emergency == Cell(
        round(100 * sum(e[1] < e[0] for e in had) / len(had)) if had else None, len(had)
    )
    assert summary.visits_change.value is None or summary.visits_change.value <= 0  # visits fall
    records = export_rows(rows)
    assert {
        "medical_visits_per_3_months_before",
        "parent_work_days_missed_per_3_months_after",
    } <= set(records[0])


def test_medicines_stopped_follow_from_the_lists(demo):
    """The slow, obvious way: for each discharged episode, the medicines on the child's list
    taken when the program started, and those of them stopped by the discharge."""
    from backto.capabilities.medicines.models import Medicine

    rows = cohort(demo, *_year())
    discharged = [r for r in rows if r.discharged_on]
    taking = 0
    stopped_some = 0
    for row in discharged:
        patient_id = Episode.objects.get(pk=row.episode_id).patient_id
        at_start = [
            m
            for m in Medicine.objects.filter(patient_id=patient_id)
            if (m.started_on is None or m.started_on <= row.started_on)
            and (m.stopped_on is None or m.stopped_on > row.started_on)
        ]
        stopped = [m for m in at_start if m.stopped_on and m.stopped_on <= row.discharged_on]
        assert (row.medicines_at_start, row.medicines_stopped) == (len(at_start), len(stopped))
        taking += bool(at_start)
        stopped_some += bool(at_start) and bool(stopped)
    assert taking, "the demo's discharged children came on medicines"
    assert summarize(rows).medicines_stopped == Cell(round(100 * stopped_some / taking), taking)

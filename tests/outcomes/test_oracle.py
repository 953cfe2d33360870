"""Program outcomes equal the slow, obvious computation of `bench.oracle` on a synthetic clinic
(issue #24): every episode's row and every figure of the summary (the rows' and the page's),
for several periods and filters. And the oracle can fail: a stored outcome row made wrong is
reported, naming the episode."""

from datetime import timedelta
from decimal import Decimal

from backto.readers.outcomes.models import OutcomeRow
from backto.readers.outcomes.queries import cohort, summarize
from bench.oracle import outcomes_mismatches
from tests.conftest import TODAY
from tests.dashboards.test_oracle import synthetic_clinic

YEAR = (TODAY - timedelta(days=365), TODAY)


def test_the_outcomes_equal_the_slow_computation(db, clock):
    clinic = synthetic_clinic()
    for start, end in (YEAR, (TODAY - timedelta(days=90), TODAY), (TODAY, TODAY)):
        assert outcomes_mismatches(clinic, start, end) == []
    assert outcomes_mismatches(clinic, *YEAR, discipline="pt") == []
    for setting in ("intensive", "outpatient"):
        assert outcomes_mismatches(clinic, *YEAR, setting=setting) == []
    assert outcomes_mismatches(None, *YEAR) == []
    # The check covered figures from every source, not only empty cells.
    summary = summarize(cohort(clinic, *YEAR))
    assert summary.discharged.n and summary.gas_discharge.n and summary.dose_days.n
    assert summary.walk_percent_change.n and summary.allodynia_change.n
    assert summary.visits_change.n and summary.medicines_stopped.n


def test_a_wrong_stored_outcome_row_is_caught(db, clock):
    clinic = synthetic_clinic()
    fresh = set(OutcomeRow.objects.filter(fresh=True).values_list("pk", flat=True))
    rows = [r for r in cohort(clinic, *YEAR) if r.episode_id in fresh]
    scored = next(r for r in rows if "discharge" in r.fdi)
    dosed = next(r for r in rows if r.dose_days and r.episode_id != scored.episode_id)
    # An FDI at discharge in another band than its own: the summary's bands change too. The
    # rows copy the measure summary and the session dose: outcomes read the copies.
    wrong = Decimal("5.0") if scored.fdi["discharge"] >= 13 else Decimal("45.0")
    OutcomeRow.objects.filter(pk=scored.episode_id).update(fdi_discharge=wrong)
    OutcomeRow.objects.filter(pk=dosed.episode_id).update(dose_days=dosed.dose_days + 1)

    found = outcomes_mismatches(clinic, *YEAR)

    assert f"episode {scored.episode_id}: fdi " in "\n".join(found), found
    assert f"episode {dosed.episode_id}: dose_days {dosed.dose_days + 1}, expected" in "\n".join(
        found
    )
    assert any(": summary bands discharge " in m for m in found), found
    assert any(": page summary bands discharge " in m for m in found), found

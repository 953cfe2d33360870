"""The exam's program outcomes (issue #19): the median change in the 6-minute walk's percent of
predicted and in the allodynia area, first to latest up to discharge, with the outcomes' small-
cell rule, the children without a percent left out and counted, the rules named on the page and
in the export, and the same queries for any cohort."""

import io
import zipfile
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from backto.access.patients import actions
from backto.access.patients.models import Episode
from backto.capabilities.exam.actions import functional_test_record
from backto.capabilities.exam.models import FunctionalTest, SensoryExam
from backto.readers.outcomes.export import de_identify
from backto.readers.outcomes.queries import Cell, EpisodeOutcome, _exam_changes, cohort, summarize
from tests.conftest import TODAY, start_program
from tests.exam.exam_rows import BOTH_LEGS, RIGHT_FOOT, RIGHT_LOWER_LEG_AND_FOOT, sensory_exam

WEEK = timedelta(weeks=1)
PERIOD = (TODAY - timedelta(days=30), TODAY)
LEG_ONLY = tuple(r for r in RIGHT_LOWER_LEG_AND_FOOT if r not in RIGHT_FOOT)  # 6 %


def child(n: int, cora: Any, pat: Any, clinic: Any) -> Episode:
    patient = actions.patient_register(
        by=cora, clinic=clinic, legal_name=f"Child {n}", date_of_birth=TODAY - timedelta(days=4600)
    )
    episode = actions.episode_open(by=cora, patient=patient, referral_date=TODAY - 10 * WEEK)
    actions.care_team_add(by=cora, episode=episode, clinician=pat, discipline="pt", lead=True)
    return start_program(episode, pat)


def walk(episode: Episode, pat: Any, weeks_ago: int, percent: float | None) -> FunctionalTest:
    """A walk, with the percent of predicted a reference equation would have stored."""
    test = functional_test_record(
        by=pat,
        episode=episode,
        test_id="6mwt",
        day=TODAY - weeks_ago * WEEK,
        inputs={"distance_m": Decimal(450)},
    )
    FunctionalTest.objects.filter(pk=test.pk).update(
        result={**test.result, "percent_predicted": percent}
    )
    return test


def examined_cohort(cora: Any, pat: Any, clinic: Any, size: int = 6) -> list[Episode]:
    """`size` children: the allodynia area 9.5 → 3.5 (−6) for most, 3.5 → 9.5 (+6) for one,
    6 → 3.5 (−2.5) for one; the walk's percent 70 → 80 (+10) for most, 60 → 85 (+25) for one, and
    one child whose first walk had no percent of predicted."""
    episodes = [child(n, cora, pat, clinic) for n in range(size)]
    for n, episode in enumerate(episodes):
        first, latest = {0: (RIGHT_FOOT, RIGHT_LOWER_LEG_AND_FOOT), 1: (LEG_ONLY, RIGHT_FOOT)}.get(
            n, (RIGHT_LOWER_LEG_AND_FOOT, RIGHT_FOOT)
        )
        sensory_exam(episode, pat, TODAY - 6 * WEEK, first)
        sensory_exam(episode, pat, TODAY - 3 * WEEK, None)  # not tested: not counted
        sensory_exam(episode, pat, TODAY - WEEK, latest)
        start, end = {0: (60.0, 85.0), 1: (None, 80.0)}.get(n, (70.0, 80.0))
        walk(episode, pat, 6, start)
        walk(episode, pat, 1, end)
    return episodes


def test_the_medians_follow_from_the_rows(cora: Any, pat: Any, clinic: Any) -> None:
    examined_cohort(cora, pat, clinic)
    rows = cohort(clinic, *PERIOD)
    summary = summarize(rows)
    # Allodynia: +6, −2.5 and four −6: sorted −6 −6 −6 −6 −2.5 +6, the middle two −6.
    assert sorted(c for r in rows if (c := r.allodynia_change) is not None) == [
        Decimal("-6.0")
    ] * 4 + [
        Decimal("-2.5"),
        Decimal("6.0"),
    ]
    assert summary.allodynia_change == Cell(Decimal("-6.0"), 6)
    # Walk: +25 and four +10; the child without a first percent is left out and counted.
    assert summary.walk_percent_change == Cell(Decimal("10.0"), 5)
    assert summary.walk_without_percent == Cell(1, 1)


def test_an_even_count_takes_the_mean_of_the_middle_two_rounded_half_away_from_zero(
    cora: Any, pat: Any, clinic: Any
) -> None:
    episodes = examined_cohort(cora, pat, clinic, size=7)
    walk(episodes[2], pat, 0, 80.05)  # its latest now +10.05
    summary = summarize(cohort(clinic, *PERIOD))
    # +10 +10 +10 +10 +10.05 +25 → (10 + 10.05) / 2 = 10.025 → 10.0; n = 6.
    assert summary.walk_percent_change == Cell(Decimal("10.0"), 6)


def test_fewer_than_five_children_are_not_shown(
    as_user: Any, cora: Any, pat: Any, clinic: Any
) -> None:
    examined_cohort(cora, pat, clinic, size=3)
    summary = summarize(cohort(clinic, *PERIOD))
    assert summary.allodynia_change.suppressed and summary.walk_percent_change.suppressed
    page = as_user(cora).get(reverse("outcomes"), _query()).content.decode()
    row = page[page.index("Allodynia area</th>") :]
    assert row[: row.index("</tr>")].count("&lt;5") == 1


def _query() -> dict[str, str]:
    return {"start": PERIOD[0].isoformat(), "end": PERIOD[1].isoformat()}


def test_the_page_and_the_export_name_the_rules(
    as_user: Any, cora: Any, pat: Any, clinic: Any
) -> None:
    examined_cohort(cora, pat, clinic)
    client = as_user(cora)
    page = client.get(reverse("outcomes"), _query()).content.decode()
    walk_row = page[page.index("6-minute walk, percent of predicted</th>") :]
    walk_row = walk_row[: walk_row.index("</tr>")]
    assert (
        "10.0 points" in walk_row
        and "(n = 5)" in walk_row
        and "no percent of predicted" in walk_row
    )
    assert "median change" in walk_row and "reference equation" in walk_row
    area_row = page[page.index("Allodynia area</th>") :]
    area_row = area_row[: area_row.index("</tr>")]
    assert "-6.0 points" in area_row and "(n = 6)" in area_row and "Lund and Browder" in area_row
    response = client.get(reverse("outcomes_export"), _query())
    assert response.status_code == 200
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        notes = archive.read("README.txt").decode()
    assert "walk_percent_predicted_change" in notes and "Lund and Browder" in notes


def test_the_export_carries_each_episodes_changes(cora: Any, pat: Any, clinic: Any) -> None:
    examined_cohort(cora, pat, clinic)
    records = de_identify(cohort(clinic, *PERIOD)).records
    assert sorted(r["allodynia_area_change"] for r in records) == sorted(
        ["-6.0"] * 4 + ["-2.5", "6.0"]
    )
    assert sorted(r["walk_percent_predicted_change"] for r in records) == sorted(
        ["", "25.0"] + ["10.0"] * 4
    )


def test_results_after_the_discharge_are_left_out(cora: Any, pat: Any, clinic: Any) -> None:
    (episode,) = examined_cohort(cora, pat, clinic, size=1)
    row = EpisodeOutcome(
        episode.pk, "12-14", "female", "", set(), TODAY, TODAY - 2 * WEEK, relapse=False
    )
    _exam_changes({episode.pk: row}, Episode.objects.filter(pk=episode.pk).values("pk"))
    assert row.allodynia is None and row.walk_percent is None  # one of each by the discharge
    row = EpisodeOutcome(episode.pk, "12-14", "female", "", set(), TODAY, None, relapse=False)
    _exam_changes({episode.pk: row}, Episode.objects.filter(pk=episode.pk).values("pk"))
    assert row.allodynia == (Decimal("3.5"), Decimal("9.5"))


def test_the_same_queries_for_any_cohort(cora: Any, pat: Any, clinic: Any) -> None:
    examined_cohort(cora, pat, clinic, size=2)
    with CaptureQueriesContext(connection) as few:
        summarize(cohort(clinic, *PERIOD))
    for n in range(2, 8):
        episode = child(n + 10, cora, pat, clinic)
        sensory_exam(episode, pat, TODAY - 2 * WEEK, RIGHT_FOOT)
        sensory_exam(episode, pat, TODAY - WEEK, RIGHT_FOOT)
        walk(episode, pat, 2, 70.0)
        walk(episode, pat, 1, 75.0)
    with CaptureQueriesContext(connection) as many:
        summary = summarize(cohort(clinic, *PERIOD))
    assert summary.allodynia_change.n == 8
    assert len(many) == len(few)


def test_a_cohort_without_exams_shows_dashes(cora: Any, pat: Any, clinic: Any) -> None:
    child(1, cora, pat, clinic)
    summary = summarize(cohort(clinic, *PERIOD))
    assert summary.allodynia_change == Cell(None, 0)
    assert summary.walk_without_percent == Cell(0, 0)


def test_the_area_change_compares_both_exams_at_the_latest_age(
    cora: Any, pat: Any, clinic: Any
) -> None:
    (episode,) = examined_cohort(cora, pat, clinic, size=1)
    SensoryExam.objects.filter(episode=episode).delete()
    sensory_exam(episode, pat, TODAY - 6 * WEEK, BOTH_LEGS, age=Decimal("9.9"))  # 32.9 % at 9
    sensory_exam(episode, pat, TODAY - WEEK, BOTH_LEGS, age=Decimal("10.1"))  # 34.8 % at 10
    row = EpisodeOutcome(episode.pk, "9-11", "female", "", set(), TODAY, None, relapse=False)
    _exam_changes({episode.pk: row}, Episode.objects.filter(pk=episode.pk).values("pk"))
    assert row.allodynia == (Decimal("34.8"), Decimal("34.8"))
    assert row.allodynia_change == 0

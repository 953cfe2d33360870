"""The exam's reads for the progress page, the reports, the caseload and the outcomes (issue
#19, "Where it shows"): the allodynia area and the painful regions over time, which pain map is
the family's, and the batch reads that answer for many episodes in one query."""

from datetime import timedelta
from decimal import Decimal
from typing import Any

from backto.access.patients import actions
from backto.access.patients.models import Episode
from backto.capabilities.exam.models import SensoryExam
from backto.capabilities.exam.queries import (
    allodynia_areas_for,
    allodynia_series,
    pain_map_series,
    pain_maps_for,
    walk_percents_for,
)
from tests.conftest import TODAY
from tests.exam.exam_rows import RIGHT_FOOT, RIGHT_LOWER_LEG_AND_FOOT, pain_map, sensory_exam

WEEK = timedelta(weeks=1)


def test_the_allodynia_area_is_read_oldest_first_leaving_out_exams_that_did_not_test_it(
    django_assert_num_queries: Any, referred: Episode, pat: Any
) -> None:
    latest = sensory_exam(referred, pat, TODAY - WEEK, RIGHT_FOOT)
    sensory_exam(referred, pat, TODAY - 2 * WEEK, None)  # allodynia not tested
    first = sensory_exam(referred, pat, TODAY - 6 * WEEK, RIGHT_LOWER_LEG_AND_FOOT)
    with django_assert_num_queries(1):
        series = allodynia_series(referred.pk)
    assert [(p.exam_id, p.day, p.percent) for p in series] == [
        (first.pk, TODAY - 6 * WEEK, Decimal("9.5")),
        (latest.pk, TODAY - WEEK, Decimal("3.5")),
    ]
    assert allodynia_series(referred.pk, until=TODAY - 3 * WEEK) == series[:1]
    # Each exam's union of allodynia territories comes in the same query, to compare at one age.
    assert [p.regions for p in series] == [tuple(sorted(RIGHT_LOWER_LEG_AND_FOOT)), RIGHT_FOOT]


def test_the_familys_map_is_the_childs_at_each_point_else_a_parents_and_a_clinicians_apart(
    django_assert_num_queries: Any, referred: Episode, pat: Any, gina: Any
) -> None:
    baseline, week4 = TODAY - 6 * WEEK, TODAY - 2 * WEEK
    pain_map(referred, gina, baseline, ["foot-right-front"], respondent="parent")
    child = pain_map(referred, gina, baseline, RIGHT_LOWER_LEG_AND_FOOT, respondent="child")
    parent = pain_map(
        referred,
        gina,
        week4,
        ["foot-right-front"],
        respondent="parent",
        timepoint="weekly",
        label="Week 4",
    )
    clinician = pain_map(referred, pat, week4, ["knee-right-front"], respondent="clinician")
    with django_assert_num_queries(1):
        series = pain_map_series(referred.pk)
    assert [p.map_id for p in series.family] == [child.pk, parent.pk]
    assert [p.map_id for p in series.clinician] == [clinician.pk]
    # The child's lower leg and foot: the right lower leg (a WPI area) and the right foot.
    assert (series.family[0].painful_region_count, series.family[0].wpi) == (2, 1)
    assert (series.family[1].painful_region_count, series.family[1].wpi) == (1, 0)
    assert series.family[0].catalogue_version == "1"
    assert not pain_map_series(referred.pk, until=baseline - timedelta(days=1))


def test_the_batch_reads_take_one_query_for_any_number_of_episodes(
    django_assert_num_queries: Any, referred: Episode, pat: Any, cora: Any, leo: Any
) -> None:
    other = actions.episode_open(
        by=cora, patient=leo, referral_date=TODAY - 10 * WEEK, referral_reason="Knee pain"
    )
    for weeks in range(1, 6):
        for episode in (referred, other):
            sensory_exam(episode, pat, TODAY - weeks * WEEK, RIGHT_FOOT)
            pain_map(episode, pat, TODAY - weeks * WEEK, RIGHT_FOOT, label=f"Week {weeks}")
    ids = [referred.pk, other.pk]
    with django_assert_num_queries(1):
        areas = allodynia_areas_for(ids)
    with django_assert_num_queries(1):
        maps = pain_maps_for(ids)
    with django_assert_num_queries(1):
        walks = walk_percents_for(ids)
    assert {k: len(v) for k, v in areas.items()} == {referred.pk: 5, other.pk: 5}
    assert {k: len(v.family) for k, v in maps.items()} == {referred.pk: 5, other.pk: 5}
    assert walks == {}
    # A subquery of ids works the same (the outcomes' cohort).
    subquery = Episode.objects.filter(pk=other.pk).values("pk")
    assert list(allodynia_areas_for(subquery)) == [other.pk]


def test_the_walks_percent_of_predicted_is_read_where_a_reference_applied(
    referred: Episode, record: Any
) -> None:
    walk = record("6mwt", 6, distance_m=Decimal(400))
    record("6mwt", 1, distance_m=Decimal(500))
    percents = walk_percents_for([referred.pk])[referred.pk]
    assert [w.day for w in percents] == [TODAY - 6 * WEEK, TODAY - WEEK]
    stored = walk.result.get("percent_predicted")
    assert percents[0].percent == (None if stored is None else Decimal(str(stored)))
    # As a reference equation stores it: a number, read back exactly.
    walk.result = {**walk.result, "percent_predicted": 71.4}
    walk.save(update_fields=["result"])
    assert walk_percents_for([referred.pk])[referred.pk][0].percent == Decimal("71.4")


def test_an_exam_that_did_not_test_allodynia_has_no_area(referred: Episode, pat: Any) -> None:
    exam = sensory_exam(referred, pat, TODAY, None)
    assert SensoryExam.objects.get(pk=exam.pk).allodynia_percent is None
    assert allodynia_series(referred.pk) == []

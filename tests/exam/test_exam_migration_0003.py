"""Migration exam 0003 on a table with rows: each exam written before it gets its own key, and a
lightest filament stored as 0.01 g (two decimals) reads 0.008 g after it."""

from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("exam", "0002_body_map_and_sensory_exam")]
AFTER = [("exam", "0003_sensory_exam_submission_key_and_monofilament_grams")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_exams_written_before_get_their_own_key_and_the_lightest_filament_is_put_back(
    referred, pat
):
    try:
        executor = migrate(BEFORE)
        apps = executor.loader.project_state(BEFORE[0]).apps
        OldExam = apps.get_model("exam", "SensoryExam")
        OldFinding = apps.get_model("exam", "SensoryFinding")
        exams = [
            OldExam.objects.create(
                episode_id=referred.pk,
                day=referred.referral_date,
                age_years=12,
                recorded_by_id=pat.pk,
            )
            for _ in range(3)
        ]
        for exam, grams in zip(exams, ("0.01", "15", None), strict=True):
            OldFinding.objects.create(
                exam_id=exam.pk,
                kind="allodynia",
                stimulus="monofilament" if grams else "brush",
                monofilament_g=grams,
                regions=[],
                percent=0,
            )
    finally:
        executor = migrate(AFTER)
        executor = migrate(executor.loader.graph.leaf_nodes())

    from backto.capabilities.exam.models import SensoryExam, SensoryFinding

    keys = list(SensoryExam.objects.values_list("submission_key", flat=True))
    assert len(keys) == 3 and None not in keys and len(set(keys)) == 3
    assert sorted(
        SensoryFinding.objects.exclude(monofilament_g=None).values_list("monofilament_g", flat=True)
    ) == [Decimal("0.008"), Decimal("15.000")]

"""The school plan moved from the progress reader to its own app: a plan written before the move
is the same row, readable through the new model, and the content type row followed it."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from backto.audit.models import AuditEvent
from backto.capabilities.schoolplan.actions import school_plan_save
from backto.capabilities.schoolplan.models import SchoolPlan

BEFORE = [("progress", "0001_initial"), ("schoolplan", None)]
AFTER = [("progress", "0002_school_plan_moves_to_its_app"), ("schoolplan", "0001_initial")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_plan_written_before_the_move_is_the_same_row_after_it(episode, pat):
    ContentType.objects.filter(app_label="schoolplan").delete()
    old_type = ContentType.objects.create(app_label="progress", model="schoolplan")
    try:
        executor = migrate(BEFORE)
        OldPlan = executor.loader.project_state([BEFORE[0]]).apps.get_model(
            "progress", "SchoolPlan"
        )
        old = OldPlan.objects.create(
            episode_id=episode.pk, attendance_plan="Mornings first", updated_by_id=pat.pk
        )
    finally:
        migrate(AFTER)

    plan = SchoolPlan.objects.get()
    assert (plan.pk, plan.episode_id, plan.attendance_plan) == (
        old.pk,
        episode.pk,
        "Mornings first",
    )
    assert SchoolPlan._meta.db_table == "progress_schoolplan"
    assert "schoolplan_schoolplan" not in connection.introspection.table_names()
    moved = ContentType.objects.get(app_label="schoolplan", model="schoolplan")
    assert moved.pk == old_type.pk
    assert not ContentType.objects.filter(app_label="progress").exists()


@pytest.mark.django_db
def test_saving_a_plan_audits_it_under_the_same_object_type(episode, pat):
    plan = school_plan_save(
        by=pat, episode=episode, attendance_plan="Mornings", accommodations="", share_goals=False
    )
    event = AuditEvent.objects.get(object_id=str(plan.pk), object_type="schoolplan")
    assert event.patient_id == episode.patient_id

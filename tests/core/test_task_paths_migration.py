"""A task queued before the apps moved into layer packages still runs after the upgrade."""

import importlib

import pytest
from django.apps import apps
from django.utils.module_loading import import_string
from django_tasks_db.models import DBTaskResult

migration = importlib.import_module("backto.core.migrations.0001_task_paths_after_the_layers_move")


@pytest.mark.django_db
def test_a_queued_task_is_pointed_at_its_new_module_and_back():
    queued = DBTaskResult.objects.create(
        task_path="backto.accounts.tasks.send_invitation",
        args_kwargs={"args": [], "kwargs": {}},
        queue_name="default",
        backend_name="default",
        priority=0,
    )
    untouched = DBTaskResult.objects.create(
        task_path="backto.audit.tasks.audit_seal",
        args_kwargs={"args": [], "kwargs": {}},
        queue_name="default",
        backend_name="default",
        priority=0,
    )
    migration.forwards(apps, None)
    queued.refresh_from_db()
    assert queued.task_path == "backto.access.accounts.tasks.send_invitation"
    assert import_string(queued.task_path)
    untouched.refresh_from_db()
    assert untouched.task_path == "backto.audit.tasks.audit_seal"

    migration.backwards(apps, None)
    queued.refresh_from_db()
    assert queued.task_path == "backto.accounts.tasks.send_invitation"

"""Queued background tasks name their function by module path. The apps moved into layer packages
(docs/architecture.md), so a task queued before the upgrade would no longer import: point its path
at the new module. Rows are kept; the reverse migration points them back."""

from django.db import migrations

MOVED = {
    f"backto.{app}.": f"backto.{layer}.{app}."
    for layer, apps in {
        "access": ["accounts", "patients"],
        "capabilities": [
            "alerts",
            "backup",
            "careplan",
            "diary",
            "goals",
            "homeprogram",
            "instruments",
            "intake",
            "learning",
            "measures",
            "wins",
        ],
        "readers": ["outcomes", "progress"],
    }.items()
    for app in apps
}


def _repoint(apps, mapping: dict[str, str]) -> None:
    Task = apps.get_model("django_tasks_database", "DBTaskResult")
    for old, new in mapping.items():
        for task in Task.objects.filter(task_path__startswith=old).only("pk", "task_path"):
            task.task_path = new + task.task_path[len(old) :]
            task.save(update_fields=["task_path"])


def forwards(apps, schema_editor) -> None:
    _repoint(apps, MOVED)


def backwards(apps, schema_editor) -> None:
    _repoint(apps, {new: old for old, new in MOVED.items()})


class Migration(migrations.Migration):
    dependencies = [("django_tasks_database", "0021_conditional_partial_index_ordering")]
    operations = [migrations.RunPython(forwards, backwards)]

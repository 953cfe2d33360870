from django.utils import timezone
from django_tasks import task

from backto.measures.actions import mark_due


@task()
def mark_due_task() -> int:
    return mark_due(timezone.localdate())

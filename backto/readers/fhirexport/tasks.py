"""The export's work in the tasks worker: the job itself, and the sweep that deletes expired
files (registered in apps.py; `backto reminders` queues it with the other sweeps)."""

from django.utils import timezone
from django_tasks import task

from backto.readers.fhirexport.actions import exports_expire


@task()
def run_export_task(job_id: str) -> str:
    from backto.readers.fhirexport.running import run_export

    return run_export(job_id)


@task()
def expire_exports_task() -> int:
    return exports_expire(now=timezone.now())

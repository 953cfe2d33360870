from zoneinfo import ZoneInfo

from django.utils import timezone
from django_tasks import task

from backto.access.accounts.models import Clinic
from backto.capabilities.measures.actions import mark_due


@task()
def mark_due_task() -> int:
    """The questionnaire sweep, clinic by clinic time zone: a questionnaire becomes due on the
    clinic's own date."""
    return sum(
        mark_due(timezone.localdate(timezone=ZoneInfo(zone)), time_zone=zone)
        for zone in Clinic.objects.values_list("time_zone", flat=True).distinct()
    )

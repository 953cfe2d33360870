"""Setting a family member's daily diary reminder: the time of day, on or off."""

from datetime import date, time
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from backto.access.accounts.models import User
from backto.access.accounts.roles import Permission
from backto.access.patients.models import Patient
from backto.audit.log import audit
from backto.audit.models import Action
from backto.capabilities.diary.models import Reminder


@transaction.atomic
def reminder_set(
    *, by: User, patient: Patient, time_of_day: time, enabled: bool, today: date | None = None
) -> Reminder:
    """A family member's daily reminder time for one child's diary (or turning it off). Turning
    it on, or changing its time, starts its count of days again (diary.reminders.resting), so a
    reminder that was resting wakes up; a later time today still reminds today."""
    if Permission.DIARY_WRITE not in by.permissions:
        raise PermissionDenied("Reminders are for families.")
    now = timezone.localtime(timezone.now(), ZoneInfo(patient.clinic.time_zone))
    today = today or now.date()
    reminder, created = Reminder.objects.select_for_update().get_or_create(
        user=by,
        patient=patient,
        defaults={"time_of_day": time_of_day, "enabled": enabled, "started_on": today},
    )
    if not created:
        if reminder.time_of_day != time_of_day and time_of_day > now.time():
            reminder.last_sent_on = None
        if enabled and (not reminder.enabled or reminder.time_of_day != time_of_day):
            reminder.started_on = today
        reminder.time_of_day = time_of_day
        reminder.enabled = enabled
        reminder.save()
    audit(
        by=by,
        action=Action.CREATE if created else Action.UPDATE,
        obj=reminder,
        patient_id=patient.pk,
        detail=f"reminder {'on' if enabled else 'off'} at {time_of_day:%H:%M}",
    )
    return reminder

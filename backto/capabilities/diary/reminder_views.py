"""The family's Reminders page (/reminders/): each child's daily diary reminder time, and how
reminders reach this person (this phone's push, texts, email) and when not (quiet hours), whose
forms post to notifications. The diary page shows a short summary linking here."""

from datetime import timedelta
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from backto.access.accounts.http import AuthenticatedHttpRequest
from backto.access.accounts.roles import Permission
from backto.access.patients.access import (
    audit_page_view,
    get_patient_for,
    patients_for,
    require_permission,
)
from backto.capabilities.diary import reminder_actions
from backto.capabilities.diary.models import DiaryEntry, Reminder
from backto.capabilities.diary.reminder_forms import ReminderForm, ReminderSetForm
from backto.capabilities.diary.reminders import PAUSE_AFTER, resting
from backto.capabilities.notifications import vapid
from backto.capabilities.notifications.channels import settings_for
from backto.capabilities.notifications.forms import ChannelsForm, QuietHoursForm
from backto.capabilities.notifications.models import PushSubscription


@require_GET
def reminders(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A family member's reminders: one query each for the children, their reminders, the last
    few days' diaries, the channels and the devices, however many children."""
    require_permission(request, Permission.DIARY_WRITE)
    user = request.user
    zone = ZoneInfo(user.clinic.time_zone)
    today = timezone.localtime(timezone.now(), zone).date()
    children = list(patients_for(user).order_by("pk"))
    mine = {r.patient_id: r for r in Reminder.objects.filter(user=user, patient__in=children)}
    written: dict[int, set] = {c.pk: set() for c in children}
    for patient_id, day in DiaryEntry.objects.filter(
        author=user,
        patient__in=children,
        day__gte=today - timedelta(days=PAUSE_AFTER),
        day__lte=today,
    ).values_list("patient_id", "day"):
        written[patient_id].add(day)
    rows = []
    for child in children:
        reminder = mine.get(child.pk)
        rows.append(
            {
                "patient": child,
                "reminder": reminder,
                "resting": bool(
                    reminder
                    and reminder.enabled
                    and resting(reminder, today=today, written_days=written[child.pk])
                ),
                "form": ReminderForm(
                    auto_id=f"id_{child.pk}_%s",
                    initial={"time_of_day": reminder.time_of_day if reminder else "19:30"},
                ),
            }
        )
    choice = settings_for([user.pk])[user.pk]
    audit_page_view(request)
    return render(
        request,
        "diary/reminders.html",
        {
            "rows": rows,
            "choice": choice,
            "channels_form": ChannelsForm(
                initial={
                    "email_enabled": choice.email_enabled,
                    "sms_enabled": choice.sms_enabled,
                    "phone": choice.phone,
                }
            ),
            "quiet_form": QuietHoursForm(
                initial={"quiet_from": choice.quiet_from, "quiet_until": choice.quiet_until}
            ),
            "devices": PushSubscription.objects.filter(user=user).count(),
            "vapid_public_key": vapid.keys().public,
            "pause_after": PAUSE_AFTER,
        },
    )


@require_POST
def diary_reminder(request: AuthenticatedHttpRequest, patient_id: int) -> HttpResponse:
    patient = get_patient_for(request, patient_id, Permission.DIARY_WRITE)
    form = ReminderSetForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Remind me each day at: choose a time of day, like 19:30."))
        return redirect("reminders")
    enabled = form.cleaned_data["enabled"]
    at = form.cleaned_data["time_of_day"]
    reminder = reminder_actions.reminder_set(
        by=request.user, patient=patient, time_of_day=at, enabled=enabled
    )
    choice = settings_for([request.user.pk])[request.user.pk]
    if not enabled:
        messages.success(request, _("The daily reminder is off."))
    elif choice.in_quiet_hours(reminder.time_of_day):
        messages.success(
            request,
            _(
                "Saved: %(time)s is in your quiet hours, so the reminder waits until they end "
                "(%(end)s), or skips the day when they last until midnight."
            )
            % {"time": f"{at:%H:%M}", "end": f"{choice.quiet_until:%H:%M}"},
        )
    else:
        messages.success(
            request, _("Saved: a reminder each day at %(time)s.") % {"time": f"{at:%H:%M}"}
        )
    return redirect("reminders")

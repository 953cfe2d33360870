"""The diary's calendar: every entry of the last weeks, as each viewer may see it."""

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from backto.access.accounts.http import AuthenticatedHttpRequest
from backto.access.accounts.roles import Permission
from backto.access.patients.access import can, get_record_for, has_permission, sees_teen_private
from backto.access.patients.models import Patient
from backto.capabilities.diary.forms import CalendarForm
from backto.capabilities.diary.models import DiaryEntry
from backto.capabilities.diary.queries import (
    EntryView,
    diary_calendar,
    entry_view,
    pain_enabled,
    pain_shown,
    parent_pain_shown,
)


@require_safe
def diary_calendar_view(request: AuthenticatedHttpRequest, patient_id: int) -> HttpResponse:
    patient = get_record_for(
        request,
        Patient.objects.select_related("diary_settings"),
        patient_id,
        Permission.PATIENT_VIEW,
        patient_path="",
    )
    weeks = CalendarForm(request.GET).weeks_shown()
    user = request.user
    # A teen's private answers: the care team and the teen alone (not guardians, nor a clinic
    # admin or coordinator who reaches the child through the clinic and is not on the team).
    sees_private = sees_teen_private(user, patient)
    # The child's pain as the progress page shows it; a guardian's own entries in full, but
    # never to the child: a teen's own views show no pain, the parent's rating of it included.
    child_pain = pain_shown(user, patient, getattr(patient, "diary_settings", None))
    parent_pain = parent_pain_shown(user, patient)
    safety = has_permission(user, Permission.DIARY_SAFETY_VIEW, patient)
    days = diary_calendar(patient.pk, end=timezone.localdate(), days=weeks * 7)

    def shown(entries: list[DiaryEntry], pain: bool) -> list[EntryView]:
        return [
            entry_view(e, sees_private=sees_private, show_pain=pain, show_safety=safety)
            for e in entries
        ]

    rows = [
        {"day": d.day, "child": shown(d.child, child_pain), "parent": shown(d.parent, parent_pain)}
        for d in days
    ]
    return render(
        request,
        "diary/diary_calendar.html",
        {
            "patient": patient,
            "rows": rows,
            "weeks": weeks,
            "can": can(user, patient),
            "pain_enabled": pain_enabled(patient),
            "sees_private": sees_private,
        },
    )

"""The diary's month calendar: a month of days at a glance (whose entries, how much the child did
and how they felt), and one day's entries in full below it, as each viewer may see them."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_safe

from backto.access.accounts.http import AuthenticatedHttpRequest
from backto.access.accounts.roles import Permission
from backto.access.patients.access import can, get_record_for, has_permission, sees_teen_private
from backto.access.patients.models import Patient
from backto.capabilities.diary.calendar_forms import MonthForm
from backto.capabilities.diary.models import DiaryEntry
from backto.capabilities.diary.queries import (
    DayGlance,
    EntryView,
    day_glance,
    diary_calendar,
    entry_view,
    month_end,
    month_weeks,
    pain_enabled,
    pain_shown,
    parent_pain_shown,
)
from backto.core.forms import FIRST_DAY

WEEKDAYS = [
    (pgettext_lazy("weekday, short", "Mon"), gettext_lazy("Monday")),
    (pgettext_lazy("weekday, short", "Tue"), gettext_lazy("Tuesday")),
    (pgettext_lazy("weekday, short", "Wed"), gettext_lazy("Wednesday")),
    (pgettext_lazy("weekday, short", "Thu"), gettext_lazy("Thursday")),
    (pgettext_lazy("weekday, short", "Fri"), gettext_lazy("Friday")),
    (pgettext_lazy("weekday, short", "Sat"), gettext_lazy("Saturday")),
    (pgettext_lazy("weekday, short", "Sun"), gettext_lazy("Sunday")),
]


@dataclass(frozen=True)
class MonthCell:
    """One square of the month: a day of the month (None before the first and after the last),
    whether it is still to come, and what it holds."""

    day: date | None
    future: bool = False
    glance: DayGlance | None = None
    spoken: str = ""  # what the marks say, for screen readers


def spoken(glance: DayGlance, *, child: str) -> str:
    """The day's marks in words: whose entries (`child`: "my entry" or "Maya's entry"), how the
    child felt and how much they did; "nothing written" for an empty day."""
    words = [child] if glance.child else []
    words += [_("parent's entry")] if glance.parent else []
    if glance.mood is not None:
        words.append(_("felt: %(mood)s") % {"mood": glance.mood_words})
    if glance.activity is not None:
        words.append(_("did: %(activity)s") % {"activity": glance.activity_words})
    words += [_("safety answer")] if glance.safety else []
    return ", ".join(words) or _("nothing written")


@require_safe
def diary_calendar_view(request: AuthenticatedHttpRequest, patient_id: int) -> HttpResponse:
    patient = get_record_for(
        request,
        Patient,
        patient_id,
        Permission.PATIENT_VIEW,
        patient_path="",
        related=("diary_settings",),
    )
    today = timezone.localdate()
    chosen = MonthForm(request.GET).chosen(today=today)
    user = request.user
    # A teen's private answers: the care team and the teen alone (not guardians, nor a clinic
    # admin or coordinator who reaches the child through the clinic and is not on the team).
    sees_private = sees_teen_private(user, patient)
    # The child's pain as the progress page shows it; a guardian's own entries in full, but
    # never to the child: a teen's own views show no pain, the parent's rating of it included.
    child_pain = pain_shown(user, patient, getattr(patient, "diary_settings", None))
    parent_pain = parent_pain_shown(user, patient)
    safety = has_permission(user, Permission.DIARY_SAFETY_VIEW, patient)
    last = month_end(chosen.month)
    # One query for the whole month, whatever the number of entries.
    days = {d.day: d for d in diary_calendar(patient.pk, end=last, days=last.day)}

    def shown(entries: list[DiaryEntry], pain: bool) -> list[EntryView]:
        return [
            entry_view(e, sees_private=sees_private, show_pain=pain, show_safety=safety)
            for e in entries
        ]

    views = {
        day: (shown(d.child, child_pain), shown(d.parent, parent_pain)) for day, d in days.items()
    }
    childs = (
        _("my entry")
        if patient.teen_account_id == user.pk
        else _("%(name)s's entry") % {"name": patient.first_name}
    )

    def month_cell(day: date | None) -> MonthCell:
        if day is None:
            return MonthCell(None)
        glance = day_glance(day, *views[day], sees_private=sees_private)
        return MonthCell(day, day > today, glance, spoken(glance, child=childs))

    weeks = [[month_cell(day) for day in week] for week in month_weeks(chosen.month)]
    detail = None
    if chosen.day is not None:
        entries, parents = views[chosen.day]
        detail = {"day": chosen.day, "child": entries, "parent": parents}
    previous = (chosen.month - timedelta(days=1)).replace(day=1)
    following = last + timedelta(days=1)
    return render(
        request,
        "diary/diary_calendar.html",
        {
            "patient": patient,
            "month": chosen.month,
            "weeks": weeks,
            "weekdays": WEEKDAYS,
            "today": today,
            "detail": detail,
            "previous": previous if previous >= FIRST_DAY else None,
            "following": following if following <= today else None,
            "can": can(user, patient),
            "pain_enabled": pain_enabled(patient),
            "sees_private": sees_private,
        },
    )

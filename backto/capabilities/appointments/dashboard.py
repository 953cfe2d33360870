"""The appointments' parts of the dashboards (`backto.core.dashboard`): on the family's home
"This week", each child's appointments of the next seven days in plain words (one query for
every child); on a child's overview the next few appointments, with the way to the child's
appointments page."""

from collections.abc import Iterable, Mapping

from django.utils import timezone

from backto.access.accounts.roles import Permission
from backto.access.patients.access import has_permission
from backto.capabilities.appointments.models import Appointment
from backto.capabilities.appointments.queries import family_appointments, span, zone_of
from backto.core.dashboard import (
    FamilyHome,
    FamilyTodayItem,
    OverviewCard,
    OverviewPage,
    dashboards,
)

DAYS_AHEAD = 7
NEXT_SHOWN = 3


@dashboards.family_today
def this_week(page: FamilyHome) -> Mapping[int, Iterable[FamilyTodayItem]]:
    if Permission.APPOINTMENT_VIEW not in page.viewer.permissions or not page.children:
        return {}
    start, end = span(page.today, DAYS_AHEAD, zone_of(page.viewer.clinic))
    found = family_appointments(page.patient_ids, start=start, end=end)
    return {
        pid: [
            FamilyTodayItem(
                "today", 20, "appointments/_dashboard_family.html", {"appointments": rows}
            )
        ]
        for pid, rows in found.items()
        if rows
    }


@dashboards.overview_cards
def next_appointments(page: OverviewPage) -> Iterable[OverviewCard]:
    if not has_permission(page.viewer, Permission.APPOINTMENT_VIEW, page.patient):
        return []
    upcoming = list(
        Appointment.objects.filter(patient=page.patient, starts_at__gte=timezone.now())
        .select_related("clinician")
        .order_by("starts_at", "pk")[:NEXT_SHOWN]
    )
    return [
        OverviewCard("program", 30, "appointments/_dashboard_overview.html", {"upcoming": upcoming})
    ]

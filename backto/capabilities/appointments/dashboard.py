"""The appointments' part of the family's home (`backto.core.dashboard`): "This week", each
child's appointments of the next seven days, in plain words. One query for every child."""

from collections.abc import Iterable, Mapping

from backto.access.accounts.roles import Permission
from backto.capabilities.appointments.queries import family_appointments, span, zone_of
from backto.core.dashboard import FamilyHome, FamilyTodayItem, dashboards

DAYS_AHEAD = 7


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

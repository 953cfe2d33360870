"""The care plan's part of the dashboards (`backto.core.dashboard`): on a clinician's home, their
own therapy appointments that took place without a session note yet, each a link to record it."""

from collections.abc import Iterable

from backto.access.accounts.roles import Permission
from backto.access.patients.access import has_permission
from backto.capabilities.careplan.attendance import NOTES_DAYS, notes_to_write
from backto.core.dashboard import ClinicianHome, HomeNotice, dashboards


@dashboards.home_notices
def session_notes_to_write(page: ClinicianHome) -> Iterable[HomeNotice]:
    if not has_permission(page.viewer, Permission.SESSION_WRITE):
        return []
    appointments = notes_to_write(page.viewer)
    if not appointments:
        return []
    return [
        HomeNotice(
            40, "careplan/_dashboard_home.html", {"appointments": appointments, "days": NOTES_DAYS}
        )
    ]

"""The instruments' part of the dashboards (`backto.core.dashboard`): on the home of whoever
manages the clinic's questionnaires, those whose licensed wording the clinic lacks."""

from collections.abc import Iterable

from backto.access.accounts.roles import Permission
from backto.access.patients.access import has_permission
from backto.capabilities.instruments.queries import missing_wording
from backto.core.dashboard import ClinicianHome, HomeNotice, dashboards


@dashboards.home_notices
def wording_to_install(page: ClinicianHome) -> Iterable[HomeNotice]:
    if not has_permission(page.viewer, Permission.INSTRUMENT_MANAGE):
        return []
    # Read once for the page: the first-run steps ask the same (clinicsetup.dashboard).
    wording = page.once(missing_wording, page.viewer.clinic)
    if not wording:
        return []
    data = {"missing_wording": wording}
    return [HomeNotice(20, "instruments/_dashboard_home.html", data)]

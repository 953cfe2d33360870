"""Clinic setup's part of the dashboards (`backto.core.dashboard`): the first-run steps still to
do, on the home of whoever sets the clinic up."""

from collections.abc import Iterable

from backto.access.accounts.roles import Permission
from backto.access.patients.access import has_permission
from backto.capabilities.clinicsetup.first_run import first_run_checklist
from backto.capabilities.measures.queries import missing_wording
from backto.core.dashboard import ClinicianHome, HomeNotice, dashboards


@dashboards.home_notices
def first_run_steps(page: ClinicianHome) -> Iterable[HomeNotice]:
    viewer = page.viewer
    if not has_permission(viewer, Permission.CLINIC_SETTINGS):
        return []
    # The wording step reads as done for whoever may not install wording (as the page always
    # had it); read once for the page with the instruments' own notice.
    wording_missing = (
        [(i.id, i.title) for i in page.once(missing_wording, viewer.clinic)]
        if has_permission(viewer, Permission.INSTRUMENT_MANAGE)
        else []
    )
    steps = first_run_checklist(viewer.clinic, by=viewer, wording_missing=wording_missing)
    if not steps:
        return []
    return [HomeNotice(10, "clinicsetup/_dashboard_home.html", {"first_run": steps})]

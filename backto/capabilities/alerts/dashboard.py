"""The alerts' parts of the dashboards (`backto.core.dashboard`): the safety alerts to acknowledge
on the clinician's home and on a child's overview, the safety flag on the caseload, and the
clinic's help message on the family's home after a safety answer."""

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from django.db.models import QuerySet

from backto.access.accounts.roles import Permission
from backto.access.patients.access import Reach, has_permission, reach_of
from backto.capabilities.alerts.help import help_message
from backto.capabilities.alerts.models import SafetyAlert
from backto.capabilities.alerts.queries import open_alerts_for
from backto.core.dashboard import (
    CaseloadChild,
    CaseloadFlag,
    CaseloadSignal,
    ClinicianHome,
    FamilyHome,
    FamilyTodayItem,
    HomeNotice,
    OverviewCard,
    OverviewPage,
    dashboards,
)
from backto.core.fixed_sql import fixed_query

SAFETY = CaseloadFlag("safety", "Safety answer", order=10)


@dashboards.home_notices
def alerts_to_acknowledge(page: ClinicianHome) -> Iterable[HomeNotice]:
    if not has_permission(page.viewer, Permission.ALERT_ACKNOWLEDGE):
        return []
    alerts = open_alerts_for(page.viewer, everyone=page.everyone)
    return [HomeNotice(30, "alerts/_dashboard_home.html", {"alerts": alerts})] if alerts else []


@dashboards.overview_cards
def open_alerts(page: OverviewPage) -> Iterable[OverviewCard]:
    if not has_permission(page.viewer, Permission.ALERT_ACKNOWLEDGE, page.patient):
        return []
    alerts = list(
        SafetyAlert.objects.open()
        .filter(patient=page.patient)
        .visible_to(page.viewer)
        .order_by("-urgent", "-raised_at", "-id")  # an urgent one first
    )
    if not alerts:
        return []
    return [OverviewCard("alerts", 10, "alerts/_dashboard_overview.html", {"alerts": alerts})]


@dashboards.family_today
def help_after_a_safety_answer(page: FamilyHome) -> Mapping[int, Iterable[FamilyTodayItem]]:
    found = {}
    for child in page.children:
        help = help_message(page.request, child.patient)
        if help is not None:
            item = FamilyTodayItem("alert", 10, "alerts/_dashboard_family.html", {"help": help})
            found[child.patient.pk] = [item]
    return found


@fixed_query
def _alerted(
    reach: Reach, *, user_id: int, clinic_id: int, patient_ids: list[int]
) -> QuerySet[Any]:
    return (
        SafetyAlert.objects.open()
        .filter(patient_id__in=patient_ids)
        .visible_to(reach.stand_in(user_id, clinic_id))
        .values_list("patient_id", flat=True)
    )


@dashboards.caseload_signals(SAFETY)
def safety_answers(
    children: Sequence[CaseloadChild], today: date, viewer: Any
) -> Mapping[int, CaseloadSignal]:
    """A safety answer not yet acknowledged, among those the viewer may know of (one raised from
    a teen's private answer: the care team only). One query."""
    alerted = set(
        _alerted(
            reach_of(viewer),
            user_id=viewer.pk,
            clinic_id=viewer.clinic_id,
            patient_ids=[c.patient_id for c in children],
        )
    )
    return {pid: CaseloadSignal(flags=(SAFETY.key,)) for pid in alerted}

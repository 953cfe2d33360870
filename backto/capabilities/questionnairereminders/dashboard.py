"""The questionnaire reminders' part of the dashboards (`backto.core.dashboard`): on the family's
home, under each child's list of things to do, whether questionnaire emails come and the button
that turns them off (or on again)."""

from collections.abc import Iterable, Mapping

from backto.access.accounts.roles import Permission
from backto.access.patients.access import has_permission
from backto.capabilities.questionnairereminders.queries import emails_off_for
from backto.core.dashboard import FamilyHome, FamilyTodayItem, dashboards


@dashboards.family_today
def questionnaire_emails(page: FamilyHome) -> Mapping[int, Iterable[FamilyTodayItem]]:
    """One query: the children this person has turned the emails off for. Nothing for someone
    who answers no questionnaires or has no email address to send them to."""
    if not page.viewer.email or not has_permission(page.viewer, Permission.MEASURE_ANSWER):
        return {}
    off = emails_off_for(page.viewer, [c.patient.pk for c in page.children])
    return {
        c.patient.pk: [
            FamilyTodayItem(
                "today",
                90,
                "questionnairereminders/_dashboard_family.html",
                {"on": c.patient.pk not in off},
            )
        ]
        for c in page.children
    }

"""The learning pages' parts of the dashboards (`backto.core.dashboard`): where to suggest pages,
on a child's overview, and the suggested pages not yet read, on the family's home."""

from collections.abc import Iterable, Mapping

from django.utils.translation import get_language

from backto.access.accounts.roles import Permission
from backto.access.patients.access import has_permission
from backto.capabilities.learning.content import content_language
from backto.capabilities.learning.queries import suggestions_for
from backto.core.dashboard import (
    FamilyHome,
    FamilyTodayItem,
    OverviewCard,
    OverviewPage,
    dashboards,
)


@dashboards.overview_cards
def suggest_pages(page: OverviewPage) -> Iterable[OverviewCard]:
    if page.episode is None or not has_permission(
        page.viewer, Permission.LEARNING_SUGGEST, page.patient
    ):
        return []
    return [OverviewCard("program", 30, "learning/_dashboard_overview.html")]


@dashboards.family_today
def pages_to_read(page: FamilyHome) -> Mapping[int, Iterable[FamilyTodayItem]]:
    suggested = suggestions_for(
        page.viewer.clinic_id,
        [c.patient.pk for c in page.children],
        language=content_language(get_language()),
    )
    found = {}
    for pid, suggestions in suggested.items():
        reading = [s for s in suggestions if s.assignment.read_at is None]
        if reading:
            data = {"reading": reading}
            found[pid] = [FamilyTodayItem("today", 20, "learning/_dashboard_family.html", data)]
    return found

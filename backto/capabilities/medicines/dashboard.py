"""The medicines' parts of the dashboards (`backto.core.dashboard`): a card on a child's overview
(the record's way to the list) and a line on the family's home."""

from collections.abc import Iterable, Mapping

from backto.capabilities.medicines.models import Medicine
from backto.capabilities.medicines.queries import list_state
from backto.core.dashboard import (
    FamilyHome,
    FamilyTodayItem,
    OverviewCard,
    OverviewPage,
    dashboards,
)


@dashboards.overview_cards
def medicines_card(page: OverviewPage) -> Iterable[OverviewCard]:
    if page.episode is None:
        return []
    entries = Medicine.objects.filter(patient=page.patient).select_related("confirmed_by")
    state = list_state(list(entries))
    return [OverviewCard("program", 40, "medicines/_dashboard_overview.html", {"state": state})]


@dashboards.family_today
def medicines_link(page: FamilyHome) -> Mapping[int, Iterable[FamilyTodayItem]]:
    return {
        child.patient.pk: [FamilyTodayItem("today", 60, "medicines/_dashboard_family.html")]
        for child in page.children
    }

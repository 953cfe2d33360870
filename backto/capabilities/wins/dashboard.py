"""The wins' parts of the dashboards (`backto.core.dashboard`): the last wins on a child's
overview and the recent ones on the family's home."""

from collections.abc import Iterable, Mapping

from backto.capabilities.wins.models import Win
from backto.capabilities.wins.queries import recent_wins
from backto.core.dashboard import (
    FamilyHome,
    FamilyTodayItem,
    OverviewCard,
    OverviewPage,
    dashboards,
)


@dashboards.overview_cards
def wins_card(page: OverviewPage) -> Iterable[OverviewCard]:
    if page.episode is None:
        return []
    wins = list(Win.objects.filter(patient=page.patient)[:3])
    return [OverviewCard("program", 20, "wins/_dashboard_overview.html", {"wins": wins})]


@dashboards.family_today
def wins_lately(page: FamilyHome) -> Mapping[int, Iterable[FamilyTodayItem]]:
    wins = recent_wins([c.patient.pk for c in page.children])
    return {
        pid: [FamilyTodayItem("today", 30, "wins/_dashboard_family.html", {"recent_wins": found})]
        for pid, found in wins.items()
        if found
    }

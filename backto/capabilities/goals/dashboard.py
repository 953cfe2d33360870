"""The goals' parts of the dashboards (`backto.core.dashboard`): the goals with the latest GAS
T-score on a child's overview, and each goal's next step on the family's home."""

from collections.abc import Iterable, Mapping

from backto.capabilities.goals.queries import episode_goals, gas_history, goals_for_family
from backto.core.dashboard import (
    FamilyHome,
    FamilyTodayItem,
    OverviewCard,
    OverviewPage,
    dashboards,
)


@dashboards.overview_cards
def goals_card(page: OverviewPage) -> Iterable[OverviewCard]:
    if page.episode is None:
        return []
    goals = episode_goals(page.episode.pk)
    history = gas_history(goals)
    data = {"goals": goals, "gas": history[-1] if history else None}
    return [OverviewCard("program", 10, "goals/_dashboard_overview.html", data)]


@dashboards.family_today
def goals_with_next_steps(page: FamilyHome) -> Mapping[int, Iterable[FamilyTodayItem]]:
    episodes = [c.episode for c in page.children if c.episode is not None]
    goals = goals_for_family(episodes)
    return {
        c.patient.pk: [
            FamilyTodayItem(
                "today", 40, "goals/_dashboard_family.html", {"goals": goals[c.episode.pk]}
            )
        ]
        for c in page.children
        if c.episode is not None and goals.get(c.episode.pk)
    }

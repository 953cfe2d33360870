"""The exam's part of the dashboards (`backto.core.dashboard`): on a child's overview the latest
result of each functional test and its change from the first, for whoever may see the exam; on
the caseload the flag "allodynia area growing"."""

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from backto.access.accounts.roles import Permission
from backto.access.patients.access import has_permission
from backto.capabilities.exam import pain_map_dashboard, sensory_dashboard  # noqa: F401 (registers)
from backto.capabilities.exam.queries import allodynia_areas_for, episode_series
from backto.clinical.caseload import allodynia_territory_growing
from backto.core.dashboard import (
    CaseloadChild,
    CaseloadFlag,
    CaseloadSignal,
    OverviewCard,
    OverviewPage,
    dashboards,
)

ALLODYNIA_GROWING = CaseloadFlag("allodynia_growing", "Allodynia area growing", order=70)


@dashboards.overview_cards
def functional_tests_card(page: OverviewPage) -> Iterable[OverviewCard]:
    if page.episode is None or not has_permission(page.viewer, Permission.EXAM_VIEW, page.patient):
        return []
    data = {"series": episode_series(page.episode.pk)}
    # Function leads the results (issue #19): before the questionnaires (10).
    return [OverviewCard("results", 5, "exam/_dashboard_overview.html", data)]


@dashboards.caseload_signals(ALLODYNIA_GROWING)
def allodynia_signals(
    children: Sequence[CaseloadChild], today: date, viewer: Any
) -> Mapping[int, CaseloadSignal]:
    """One query: the allodynia area at every sensory exam of the children's latest episodes up
    to today, judged by `clinical.caseload.allodynia_territory_growing` for a running program
    (every exam's territory at the latest exam's age)."""
    areas = allodynia_areas_for(
        [c.episode_id for c in children if c.active and c.episode_id is not None], until=today
    )
    found = {}
    for child in children:
        series = areas.get(child.episode_id or 0, [])
        exams = [(p.regions, p.age_years) for p in series]
        if allodynia_territory_growing(active=child.active, exams=exams):
            found[child.patient_id] = CaseloadSignal(flags=(ALLODYNIA_GROWING.key,))
    return found

"""The exam's pain_map part on the dashboards (`backto.core.dashboard`); imported by dashboard.py so
that the dashboards' autodiscovery registers it.

On the family's home: "where it bothered you" when a map is due at a questionnaire point (one
query for every child of the page). On a child's overview: the latest painful-region count and
WPI against the first, for whoever may see the exam (one query)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from backto.access.accounts.roles import Permission
from backto.access.patients.access import has_permission
from backto.capabilities.exam.pain_map_queries import due_for_family, summaries_for
from backto.core.dashboard import (
    FamilyHome,
    FamilyTodayItem,
    OverviewCard,
    OverviewPage,
    dashboards,
)


@dashboards.family_today
def pain_maps_due(page: FamilyHome) -> Mapping[int, Iterable[FamilyTodayItem]]:
    due = due_for_family(page.viewer, [c.patient.pk for c in page.children])
    return {
        patient_id: [FamilyTodayItem("today", 12, "exam/_pain_map_family.html", {"due": points})]
        for patient_id, points in due.items()
    }


@dashboards.overview_cards
def pain_map_card(page: OverviewPage) -> Iterable[OverviewCard]:
    if page.episode is None or not has_permission(page.viewer, Permission.EXAM_VIEW, page.patient):
        return []
    summary = summaries_for([page.episode.pk]).get(page.episode.pk)
    return [OverviewCard("results", 6, "exam/_pain_map_overview.html", {"summary": summary})]

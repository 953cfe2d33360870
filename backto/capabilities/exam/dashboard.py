"""The exam's part of a child's overview (`backto.core.dashboard`): the latest result of each
functional test and its change from the first, for whoever may see the exam."""

from collections.abc import Iterable

from backto.access.accounts.roles import Permission
from backto.access.patients.access import has_permission
from backto.capabilities.exam import pain_map_dashboard, sensory_dashboard  # noqa: F401 (registers)
from backto.capabilities.exam.queries import episode_series
from backto.core.dashboard import OverviewCard, OverviewPage, dashboards


@dashboards.overview_cards
def functional_tests_card(page: OverviewPage) -> Iterable[OverviewCard]:
    if page.episode is None or not has_permission(page.viewer, Permission.EXAM_VIEW, page.patient):
        return []
    data = {"series": episode_series(page.episode.pk)}
    # Function leads the results (issue #19): before the questionnaires (10).
    return [OverviewCard("results", 5, "exam/_dashboard_overview.html", data)]

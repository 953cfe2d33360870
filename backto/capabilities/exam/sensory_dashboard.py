"""The exam's sensory part on the dashboards (`backto.core.dashboard`); imported by dashboard.py so
that the dashboards' autodiscovery registers it: the latest allodynia area against the first, both
at the latest exam's age, on a child's overview, for whoever may see the exam."""

from collections.abc import Iterable

from backto.access.accounts.roles import Permission
from backto.access.patients.access import has_permission
from backto.capabilities.exam.queries import allodynia_series, areas_compared
from backto.core.dashboard import OverviewCard, OverviewPage, dashboards


@dashboards.overview_cards
def sensory_exam_card(page: OverviewPage) -> Iterable[OverviewCard]:
    if page.episode is None or not has_permission(page.viewer, Permission.EXAM_VIEW, page.patient):
        return []
    points = allodynia_series(page.episode.pk)
    compared = areas_compared(points)
    data: dict[str, object] = {"first": None, "latest": None, "change": None}
    if compared is not None:
        # The change compares both exams at the latest exam's age (Lund and Browder band).
        data = {
            "first": points[0],
            "latest": points[-1],
            "first_compared": compared.percents[0],
            "change": compared.change,
            "compared_at": int(compared.age_years),
        }
    # After the functional tests (5): function leads, the allodynia area follows.
    return [OverviewCard("results", 7, "exam/sensory_dashboard_overview.html", data)]

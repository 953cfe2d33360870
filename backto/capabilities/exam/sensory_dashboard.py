"""The exam's sensory part on the dashboards (`backto.core.dashboard`); imported by dashboard.py so
that the dashboards' autodiscovery registers it: the latest allodynia area against the first, on a
child's overview, for whoever may see the exam."""

from collections.abc import Iterable

from backto.access.accounts.roles import Permission
from backto.access.patients.access import has_permission
from backto.capabilities.exam.sensory_queries import allodynia_first_and_latest
from backto.core.dashboard import OverviewCard, OverviewPage, dashboards


@dashboards.overview_cards
def sensory_exam_card(page: OverviewPage) -> Iterable[OverviewCard]:
    if page.episode is None or not has_permission(page.viewer, Permission.EXAM_VIEW, page.patient):
        return []
    found = allodynia_first_and_latest(page.episode.pk)
    data: dict[str, object] = {"first": None, "latest": None, "change": None}
    if found is not None:
        first, latest = found
        change = None
        if first.pk != latest.pk:
            assert first.allodynia_percent is not None and latest.allodynia_percent is not None
            change = latest.allodynia_percent - first.allodynia_percent
        data = {"first": first, "latest": latest, "change": change}
    # After the functional tests (5): function leads, the allodynia area follows.
    return [OverviewCard("results", 7, "exam/sensory_dashboard_overview.html", data)]

from datetime import date, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from backto.capabilities.wins.models import Win
from backto.core.fixed_sql import fixed_query


@fixed_query
def _wins_since(*, patient_ids: list[int], since: date) -> QuerySet[Win]:
    return Win.objects.filter(patient_id__in=patient_ids, happened_on__gte=since)


def recent_wins(
    patient_ids: list[int], *, days: int = 14, per_child: int = 3
) -> dict[int, list[Win]]:
    """The newest wins of the last `days` days for each child, in one query."""
    since = timezone.localdate() - timedelta(days=days)
    result: dict[int, list[Win]] = {}
    for win in _wins_since(patient_ids=patient_ids, since=since):
        if len(result.setdefault(win.patient_id, [])) < per_child:
            result[win.patient_id].append(win)
    return result

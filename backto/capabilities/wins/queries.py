from datetime import timedelta

from django.utils import timezone

from backto.capabilities.wins.models import Win


def recent_wins(
    patient_ids: list[int], *, days: int = 14, per_child: int = 3
) -> dict[int, list[Win]]:
    """The newest wins of the last `days` days for each child, in one query."""
    since = timezone.localdate() - timedelta(days=days)
    result: dict[int, list[Win]] = {}
    for win in Win.objects.filter(patient_id__in=patient_ids, happened_on__gte=since):
        if len(result.setdefault(win.patient_id, [])) < per_child:
            result[win.patient_id].append(win)
    return result

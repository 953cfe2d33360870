"""Rows kept per episode that are derived from its records (its measure summary, its session
dose), so that pages over thousands of episodes read one row each instead of every record.

`refresh_derived` is the one way to write them, inside the transaction of the write that changed
what they derive from: the episodes' rows are made if missing and locked first, so that two
refreshes of one episode take turns and the second reads what the first committed; then
`compute` reads the records and gives each episode's values, written in one insert-or-update.
`rebuild_derived` does it for every episode, a chunk at a time. Both take the models as
arguments, so that the migration that first fills a table runs the same code.
"""

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.dispatch import Signal

# Sent by `refresh_derived` once it has written the rows, inside the writer's transaction:
# sender the model, episode_ids. What derives from these rows in turn listens (program
# outcomes' rows copy the measure summary and the session dose).
derived_rows_refreshed = Signal()

REBUILD_CHUNK = 1000  # episodes a refresh when rebuilding


def refresh_derived(
    model: Any,
    episode_ids: Iterable[int],
    compute: Callable[[list[int]], dict[int, dict[str, Any]]],
    fields: Sequence[str],
) -> int:
    """Write `compute(ids)` (episode id -> values of `fields`) into `model`'s rows for these
    episodes. Returns how many."""
    ids = sorted(set(episode_ids))
    if not ids:
        return 0
    model.objects.bulk_create([model(episode_id=pk) for pk in ids], ignore_conflicts=True)
    list(model.objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk"))
    values = compute(ids)
    model.objects.bulk_create(
        [model(episode_id=pk, **values[pk]) for pk in ids],
        update_conflicts=True,
        unique_fields=["episode"],
        update_fields=list(fields),
    )
    derived_rows_refreshed.send(sender=model, episode_ids=ids)
    return len(ids)


def rebuild_derived(
    episodes: Any, refresh: Callable[[list[int]], object], progress: Any = None
) -> int:
    """Refresh every episode, REBUILD_CHUNK at a time; `progress` is called with the number
    done after each chunk. Returns how many."""
    ids = list(episodes.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), REBUILD_CHUNK):
        chunk = ids[start : start + REBUILD_CHUNK]
        refresh(chunk)
        if progress:
            progress(len(chunk))
    return len(ids)

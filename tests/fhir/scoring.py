"""Completed questionnaires for the FHIR tests, scored by the measures' own action."""

from datetime import datetime, timedelta
from typing import Any

from backto.capabilities.measures import actions
from backto.capabilities.measures.models import Administration
from tests.conftest import PINNED_AT


def complete(
    by: Any, episode: Any, instrument_id: str, answers: dict[str, Any], *, days_ago: int = 0
) -> Administration:
    """The episode's baseline `instrument_id`, answered and scored, completed `days_ago` days
    before the pinned moment."""
    adm = Administration.objects.get(
        episode=episode, instrument_id=instrument_id, timepoint="baseline"
    )
    actions.administration_answer(by=by, administration=adm, answers=answers, finish=True)
    Administration.objects.filter(pk=adm.pk).update(
        completed_at=PINNED_AT - timedelta(days=days_ago)
    )
    adm.refresh_from_db()
    return adm


def copies(adm: Administration, n: int, *, at: datetime) -> list[Administration]:
    """`n` more completed administrations like `adm` (rows for the query-count tests)."""
    made = []
    for i in range(n):
        adm_copy = Administration.objects.get(pk=adm.pk)
        adm_copy.pk = None
        adm_copy.label = f"copy {i} {at.isoformat()}"
        adm_copy.completed_at = at
        adm_copy.save()
        made.append(adm_copy)
    return made

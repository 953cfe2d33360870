"""Scheduling and moving administrations; every change audited."""

from datetime import date

from django.db import transaction

from backto.accounts.models import User
from backto.audit.log import audit
from backto.audit.models import Action
from backto.measures.models import ADMIN_TRANSITIONS, Administration, AdminState
from backto.measures.schedule import Planned
from backto.patients.models import Episode


@transaction.atomic
def administrations_schedule(*, by: User, episode: Episode, planned: list[Planned]) -> int:
    """Create the planned administrations the episode does not have yet; returns how many."""
    have = set(
        Administration.objects.filter(episode=episode).values_list(
            "instrument_id", "respondent", "timepoint", "label"
        )
    )
    new = [
        Administration(
            episode=episode,
            instrument_id=p.instrument_id,
            respondent=p.respondent,
            timepoint=p.timepoint,
            label=p.label,
            due_on=p.due_on,
        )
        for p in planned
        if (p.instrument_id, p.respondent, p.timepoint, p.label) not in have
    ]
    Administration.objects.bulk_create(new)
    if new:
        audit(
            by=by,
            action=Action.CREATE,
            object_type="administration",
            patient_id=episode.patient_id,
            detail=f"scheduled {len(new)}",
        )
    return len(new)


@transaction.atomic
def administrations_cancel_open(
    *, by: User, episode: Episode, after: date | None = None, timepoint: str | None = None
) -> int:
    """Cancel open administrations (optionally only those due after a day, or of one kind)."""
    query = Administration.objects.filter(
        episode=episode, state__in=states_leading_to(AdminState.CANCELLED)
    )
    if after is not None:
        query = query.filter(due_on__gt=after)
    if timepoint is not None:
        query = query.filter(timepoint=timepoint)
    count = query.update(state=AdminState.CANCELLED)
    if count:
        audit(
            by=by,
            action=Action.UPDATE,
            object_type="administration",
            patient_id=episode.patient_id,
            detail=f"cancelled {count}",
        )
    return count


def states_leading_to(target: str) -> list[str]:
    """The states the transition table allows to move to `target`: bulk moves ask the table."""
    return [state for state, targets in ADMIN_TRANSITIONS.items() if target in targets]


def mark_due(today: date) -> int:
    """Scheduled administrations whose day has come become due (a periodic sweep)."""
    return Administration.objects.filter(
        state__in=states_leading_to(AdminState.DUE), due_on__lte=today
    ).update(state=AdminState.DUE)

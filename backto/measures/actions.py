"""Scheduling and moving administrations; every change audited."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from backto.accounts.models import User
from backto.audit.log import audit
from backto.audit.models import Action
from backto.measures.models import ADMIN_TRANSITIONS, OPEN_ADMIN_STATES, Administration, AdminState
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


def administration_move(*, administration: Administration, target: str) -> None:
    """One step of the lifecycle; refuses a step the table does not allow."""
    if target not in ADMIN_TRANSITIONS[AdminState(administration.state)]:
        raise ValidationError(
            f"A {administration.get_state_display().lower()} questionnaire cannot become "
            f"{AdminState(target).label.lower()}."
        )
    administration.state = target
    administration.save(update_fields=["state"])


@transaction.atomic
def administrations_cancel_open(
    *, by: User, episode: Episode, after: date | None = None, timepoint: str | None = None
) -> int:
    """Cancel open administrations (optionally only those due after a day, or of one kind)."""
    query = Administration.objects.filter(episode=episode, state__in=OPEN_ADMIN_STATES)
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


def mark_due(today: date) -> int:
    """Scheduled administrations whose day has come become due (a periodic sweep)."""
    return Administration.objects.filter(state=AdminState.SCHEDULED, due_on__lte=today).update(
        state=AdminState.DUE
    )

"""The measure plan follows the episode: baseline and program measures when the program starts,
discharge and follow-up measures at discharge, nothing more once an episode ends. A
questionnaire is planned only for a child within its instrument's age range on that day."""

from datetime import date
from typing import Any

from django.dispatch import receiver
from django.utils import timezone

from backto.access.patients.lifecycle import EpisodeState
from backto.access.patients.models import Episode
from backto.access.patients.signals import episode_state_changed
from backto.capabilities.careplan.models import CarePlan, FollowUp, PlanState
from backto.capabilities.measures import actions
from backto.capabilities.measures.queries import clinic_template
from backto.capabilities.measures.schedule import (
    TemplateRow,
    discharge_schedule,
    program_schedule,
)
from backto.clinical.instrument_registry import instrument_registry


def for_age(template: list[TemplateRow], episode: Episode, day: date) -> list[TemplateRow]:
    """The rows whose instrument is meant for the child's age on `day` (the GAD-7 is not asked
    of an 8-year-old)."""
    age = episode.patient.age_on(day)
    registry = instrument_registry()
    return [
        row
        for row in template
        if (found := registry.find(row.instrument_id)) is None
        or found.age_range.min <= age <= found.age_range.max
    ]


@receiver(episode_state_changed, sender=Episode)
def schedule_measures(
    sender: Any, episode: Episode, source: str, target: str, by: Any, at: Any, **kwargs: Any
) -> None:
    day = timezone.localdate(at) if at else timezone.localdate()
    if target == EpisodeState.ACTIVE:
        plan = CarePlan.objects.filter(episode=episode, state=PlanState.ACTIVE).first()
        weeks = plan.program_weeks if plan else 8
        template = for_age(clinic_template(episode.patient.clinic), episode, day)
        actions.administrations_schedule(
            by=by, episode=episode, planned=program_schedule(day, weeks, template)
        )
    elif target == EpisodeState.DISCHARGED:
        actions.administrations_cancel_open(
            by=by, episode=episode, after=day, note="the program ended at discharge"
        )
        follow_ups = list(FollowUp.objects.filter(episode=episode).values_list("months", "due_on"))
        template = for_age(clinic_template(episode.patient.clinic), episode, day)
        actions.administrations_schedule(
            by=by, episode=episode, planned=discharge_schedule(day, follow_ups, template)
        )
    elif target in (EpisodeState.WITHDRAWN, EpisodeState.CLOSED):
        actions.administrations_cancel_open(by=by, episode=episode, note="the episode ended")

"""The measure plan follows the episode: baseline and program measures when the program starts,
discharge and follow-up measures at discharge, nothing more once an episode ends. A
questionnaire is planned only for a child old enough for its instrument on its day."""

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
    Planned,
    discharge_schedule,
    program_schedule,
)
from backto.clinical.instrument_registry import instrument_registry


def for_age(planned: list[Planned], episode: Episode) -> list[Planned]:
    """The planned questionnaires the child is old enough for on their day (no GAD-7 for an
    8-year-old). A teen past an instrument's upper age keeps being asked it, so that the measures
    of the program stay comparable from baseline to the last follow-up."""
    patient = episode.patient
    registry = instrument_registry()
    return [
        p
        for p in planned
        if (found := registry.find(p.instrument_id)) is None
        or patient.age_on(p.due_on) >= found.age_range.min
    ]


@receiver(episode_state_changed, sender=Episode)
def schedule_measures(
    sender: Any, episode: Episode, source: str, target: str, by: Any, at: Any, **kwargs: Any
) -> None:
    day = timezone.localdate(at) if at else timezone.localdate()
    if target == EpisodeState.ACTIVE:
        plan = CarePlan.objects.filter(episode=episode, state=PlanState.ACTIVE).first()
        weeks = plan.program_weeks if plan else 8
        template = clinic_template(episode.patient.clinic)
        actions.administrations_schedule(
            by=by, episode=episode, planned=for_age(program_schedule(day, weeks, template), episode)
        )
    elif target == EpisodeState.DISCHARGED:
        actions.administrations_cancel_open(
            by=by, episode=episode, after=day, note="the program ended at discharge"
        )
        follow_ups = list(FollowUp.objects.filter(episode=episode).values_list("months", "due_on"))
        template = clinic_template(episode.patient.clinic)
        planned = discharge_schedule(day, follow_ups, template)
        actions.administrations_schedule(by=by, episode=episode, planned=for_age(planned, episode))
    elif target in (EpisodeState.WITHDRAWN, EpisodeState.CLOSED):
        actions.administrations_cancel_open(by=by, episode=episode, note="the episode ended")

"""Reads of the intake, and who may answer it: the intake page and the writes ask the same."""

from backto.access.accounts.models import User
from backto.access.accounts.roles import Permission
from backto.access.patients.access import has_permission
from backto.access.patients.lifecycle import EpisodeState
from backto.access.patients.models import Episode
from backto.capabilities.intake.models import Intake

# A family answers from home before the program starts; after that the care team records changes.
FAMILY_STAGES = (EpisodeState.REFERRED, EpisodeState.INTAKE)


def intake_for(episode: Episode) -> Intake:
    """The episode's intake, unsaved and empty if nobody has started it."""
    return Intake.objects.filter(episode=episode).first() or Intake(episode=episode)


def records_intake(user: User, episode: Episode) -> bool:
    """Whether this person records and confirms the intake as the care team."""
    return has_permission(user, Permission.INTAKE_EDIT, episode.patient)


def family_may_answer(user: User, episode: Episode) -> bool:
    """Whether this person answers the intake as the family: only before the program runs."""
    return (
        has_permission(user, Permission.INTAKE_FAMILY, episode.patient)
        and episode.state in FAMILY_STAGES
    )

import pytest

from backto.capabilities.goals import actions
from backto.capabilities.goals.models import Goal

LEVELS = {
    "level_minus_2": "Cannot walk to class; uses the elevator and a ride",
    "level_minus_1": "Walks to one class a day with a rest",
    "level_0": "Walks to every class with friends",
    "level_plus_1": "Walks to class and stays for the after-school club",
    "level_plus_2": "Walks to school and to every class",
}


@pytest.fixture
def goal(episode, pat) -> Goal:
    return actions.goal_create(
        by=pat,
        episode=episode,
        title="Walk to class with my friends",
        discipline="pt",
        steps=["Walk to the mailbox", "Walk around the block"],
        **LEVELS,
    )

import pytest

from backto.access.patients import actions
from backto.access.patients.models import Discipline


@pytest.fixture
def team_phil(phil, cora, episode):
    """Phil, the physician, on Maya's care team."""
    actions.care_team_add(by=cora, episode=episode, clinician=phil, discipline=Discipline.MEDICINE)
    return phil


@pytest.fixture
def melatonin(gina, maya, episode):
    from backto.capabilities.medicines.actions import medicine_add
    from tests.conftest import TODAY

    return medicine_add(
        by=gina,
        patient=maya,
        name="Melatonin",
        from_list=True,
        purpose="Sleep",
        how_often="Every evening",
        started_on=TODAY.replace(day=1),
        started_precision="month",
        helped="She falls asleep sooner",
    )

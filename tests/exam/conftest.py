"""Maya's episode for the exam: referred ten weeks ago, so that tests have days to fall on."""

from datetime import timedelta
from typing import Any

import pytest

from backto.access.patients import actions
from backto.access.patients.models import Discipline, Episode, Patient
from backto.capabilities.exam.actions import functional_test_record
from backto.capabilities.exam.models import FunctionalTest
from tests.conftest import TODAY

REFERRED = TODAY - timedelta(weeks=10)


@pytest.fixture
def referred(maya: Patient, cora: Any, pat: Any) -> Episode:
    episode = actions.episode_open(
        by=cora, patient=maya, referral_date=REFERRED, referral_reason="Right foot pain"
    )
    actions.care_team_add(
        by=cora, episode=episode, clinician=pat, discipline=Discipline.PT, lead=True
    )
    return episode


@pytest.fixture
def record(pat: Any, referred: Episode) -> Any:
    """record(test_id, weeks_ago, **inputs) -> a FunctionalTest Pat recorded."""

    def save(test_id: str, weeks_ago: int, note: str = "", **inputs: Any) -> FunctionalTest:
        return functional_test_record(
            by=pat,
            episode=referred,
            test_id=test_id,
            day=TODAY - timedelta(weeks=weeks_ago),
            inputs=inputs,
            note=note,
        )

    return save

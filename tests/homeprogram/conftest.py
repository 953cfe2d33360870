from datetime import timedelta
from typing import Any

import pytest

from backto.access.accounts.models import Clinic, User
from backto.access.patients.models import Episode
from tests.conftest import TODAY
from tests.goals.conftest import goal  # noqa: F401  (fixture)


@pytest.fixture
def texture_item(pat: User, episode: Episode, clinic: Clinic) -> Any:
    """The starter "Texture rub" (desensitization), 5 minutes a day on Maya's program since two
    weeks ago."""
    from backto.capabilities.homeprogram import actions
    from backto.capabilities.homeprogram.models import Exercise

    actions.starter_library_load(clinic=clinic)
    return actions.home_program_add(
        by=pat,
        episode=episode,
        exercise=Exercise.objects.get(clinic=clinic, name="Texture rub"),
        minutes=5,
        start_date=TODAY - timedelta(days=14),
        times_per_day=1,
        days_per_week=7,
    )

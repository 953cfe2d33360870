import uuid
from datetime import date, datetime, time, timedelta

import pytest
from django.utils import timezone

from backto.access.patients.actions import episode_transition
from backto.access.patients.models import EpisodeTransition
from backto.capabilities.diary.models import DiaryEntry
from tests.goals.conftest import goal  # noqa: F401  (fixture)


def child_diary(patient, author, start: date, days: int, *, activity, pain, school=2):
    """`days` child entries from `start`, with activity and pain given as functions of the day."""
    DiaryEntry.objects.bulk_create(
        DiaryEntry(
            patient=patient,
            day=start + timedelta(days=n),
            respondent="child",
            author=author,
            instrument_id="daily-diary",
            instrument_version="1.0.0",
            answers={"activity": activity(n), "pain": pain(n), "school": school, "mood": 3},
            idempotency_key=uuid.uuid4(),
        )
        for n in range(days)
    )


@pytest.fixture
def running(episode, pat, maya_teen):
    """Maya's program started eight weeks ago (Monday), with a diary every day since."""
    episode_transition(by=pat, episode=episode, target="intake")
    episode_transition(by=pat, episode=episode, target="active")
    today = timezone.localdate()
    start = today - timedelta(days=today.weekday(), weeks=7)
    EpisodeTransition.objects.filter(episode=episode, target="active").update(
        at=timezone.make_aware(datetime.combine(start, time(9)))
    )
    child_diary(
        episode.patient,
        maya_teen,
        start,
        (today - start).days + 1,
        activity=lambda n: min(4, 1 + n // 14),
        pain=lambda n: max(2, 8 - n // 10),
    )
    return episode


@pytest.fixture
def discharged(episode, pat):
    """Maya's eight-week program: started 69 weeks ago and discharged eight weeks later."""
    from backto.capabilities.careplan.actions import episode_discharge

    episode_transition(by=pat, episode=episode, target="intake")
    episode_transition(by=pat, episode=episode, target="active")
    start = timezone.localdate() - timedelta(weeks=69)
    EpisodeTransition.objects.filter(episode=episode, target="active").update(
        at=timezone.make_aware(datetime.combine(start, time(9)))
    )
    episode_discharge(
        by=pat,
        episode=episode,
        discharged_on=start + timedelta(weeks=8),
        reason="program_completed",
        summary="Back at school full time.",
    )
    episode.refresh_from_db()
    return episode

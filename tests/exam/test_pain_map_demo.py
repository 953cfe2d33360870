"""The demo's body maps keep the rule of when a map is open (pain_map_queries, docs/pain-map.md):
each was marked on a day its questionnaire point was open for that respondent."""

from collections import defaultdict
from io import StringIO

import pytest
from django.core.management import call_command

from backto.capabilities.exam.models import PainMap
from backto.capabilities.exam.pain_map_queries import REACHED_STATES, WINDOW_STATES
from backto.capabilities.measures.models import Administration
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_every_demo_map_was_marked_while_its_point_was_open() -> None:
    call_command("demo", "--password", PASSWORD, "--patients", "12", stdout=StringIO())
    maps = list(PainMap.objects.all())
    assert len(maps) > 10, "the demo's families marked maps"
    admins = defaultdict(list)
    for a in Administration.objects.filter(episode_id__in={m.episode_id for m in maps}):
        admins[(a.episode_id, a.respondent)].append(a)
    for m in maps:
        mine = admins[(m.episode_id, m.respondent)]
        at_point = [a for a in mine if (a.timepoint, a.label) == (m.timepoint, m.label)]
        assert any(a.state in WINDOW_STATES for a in at_point), m
        opened = min(a.due_on for a in at_point)
        assert opened <= m.day, f"{m} marked before its point fell due"
        later = [
            a.due_on
            for a in mine
            if a.due_on > opened
            and a.state in REACHED_STATES
            and (a.timepoint, a.label) != (m.timepoint, m.label)
        ]
        assert all(m.day < due for due in later), f"{m} marked after the next point fell due"

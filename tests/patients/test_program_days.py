"""Days in the program and the last diary: one definition each, and every page agrees."""

import re
import uuid
from datetime import date, datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from backto.access.patients import actions
from backto.access.patients.models import EpisodeTransition
from backto.access.patients.program import days_in_program, program_end_day
from backto.capabilities.careplan.actions import episode_discharge
from backto.capabilities.diary.models import DiaryEntry
from backto.capabilities.diary.queries import last_diary_days

TODAY = date(2026, 6, 16)


@pytest.mark.parametrize(
    ("start", "ended", "days"),
    [
        (None, None, None),  # not started: no count
        (TODAY, None, 0),  # the first day
        (TODAY - timedelta(days=54), None, 54),
        (TODAY - timedelta(days=104), TODAY - timedelta(days=46), 58),  # stops at the end
        (TODAY - timedelta(days=3), TODAY + timedelta(days=5), 3),  # an end to come: today
    ],
)
def test_days_in_the_program_count_from_the_start_to_today_or_the_end(start, ended, days):
    assert days_in_program(start, ended=ended, today=TODAY) == days


def test_the_program_ends_at_discharge_or_when_it_was_left():
    moved = timezone.make_aware(datetime(2026, 5, 2, 12))
    assert program_end_day("active", moved, None) is None
    assert program_end_day("follow_up", moved, date(2026, 4, 30)) == date(2026, 4, 30)
    assert program_end_day("withdrawn", moved, None) == date(2026, 5, 2)


def write(patient, author, respondent, day):
    DiaryEntry.objects.create(
        patient=patient,
        day=day,
        respondent=respondent,
        author=author,
        instrument_id="daily-diary" if respondent == "child" else "daily-diary-parent",
        instrument_version="1.0.0",
        answers={"activity": 2, "mood": 3},
        idempotency_key=uuid.uuid4(),
    )


def test_the_last_diary_counts_a_parents_entry_as_well_as_the_childs(maya, leo, maya_teen, gina):
    today = timezone.localdate()
    write(maya, maya_teen, "child", today - timedelta(days=32))
    write(maya, gina, "parent", today)
    assert last_diary_days([maya.pk, leo.pk]) == {maya.pk: today}


def start_program(episode, by, days_ago):
    actions.episode_transition(by=by, episode=episode, target="intake")
    actions.episode_transition(by=by, episode=episode, target="active")
    began = timezone.localdate() - timedelta(days=days_ago)
    EpisodeTransition.objects.filter(episode=episode, target="active").update(
        at=timezone.make_aware(datetime.combine(began, time(9)))
    )
    episode.refresh_from_db()
    return began


def text(response):
    """A page's words, tags dropped."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_the_caseload_and_the_childs_page_agree(as_user, pat, maya, maya_teen, gina, episode):
    start_program(episode, pat, 54)
    today = timezone.localdate()
    write(maya, maya_teen, "child", today - timedelta(days=32))
    write(maya, gina, "parent", today - timedelta(days=2))  # the parent wrote last
    client = as_user(pat)
    caseload = text(client.get(reverse("clinician_home")))
    overview = text(client.get(reverse("patient_overview", args=[maya.pk])))
    assert "54 days" in caseload and "In the program 54 days" in overview
    assert "2 days ago" in caseload and "Last diary: 2 days ago" in overview
    assert "32 days ago" not in caseload + overview
    # The session list counts days with sessions: it never calls them days in the program.
    sessions = client.get(reverse("session_list", args=[episode.pk])).content.decode()
    assert "in the program" not in sessions


def test_the_count_stops_at_the_discharge_date_on_every_page(as_user, pat, maya, episode):
    start_program(episode, pat, 104)
    today = timezone.localdate()
    episode_discharge(
        by=pat,
        episode=episode,
        discharged_on=today - timedelta(days=46),
        reason="program_completed",
        summary="Finished the program.",
    )
    client = as_user(pat)
    caseload = text(client.get(reverse("clinician_home")))
    overview = text(client.get(reverse("patient_overview", args=[maya.pk])))
    assert "58 days" in caseload and "In the program 58 days" in overview
    assert "104 days" not in caseload + overview

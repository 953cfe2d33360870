"""The pain question the care team turns on or off, and the clinic's help message after a
safety answer."""

import uuid

from django.urls import reverse

from backto.capabilities.diary.models import DiaryEntry, DiarySettings
from tests.diary.conftest import CHILD, post, today_url


def test_the_pain_question_can_be_turned_off_by_the_care_team(
    as_user, client, pat, maya_teen, maya, episode
):
    assert (
        as_user(pat)
        .post(reverse("diary_pain_question", args=[maya.pk]), {"pain_enabled": "0"})
        .status_code
        == 302
    )
    assert DiarySettings.objects.get(patient=maya).pain_enabled is False
    client.logout()
    teen = as_user(maya_teen)
    assert b'name="pain"' not in teen.get(today_url(maya)).content
    post(teen, maya)
    assert "pain" not in DiaryEntry.objects.get().answers


def test_a_guardian_cannot_turn_the_pain_question_off(as_user, gina, maya):
    assert (
        as_user(gina)
        .post(reverse("diary_pain_question", args=[maya.pk]), {"pain_enabled": "0"})
        .status_code
        == 403
    )


def test_the_lowest_mood_shows_the_clinics_help_message(as_user, maya_teen, maya, episode):
    response = as_user(maya_teen).post(
        today_url(maya), dict(CHILD, mood="0", idempotency_key=str(uuid.uuid4())), follow=True
    )
    assert b"Crisis Lifeline" in response.content
    assert DiaryEntry.objects.get().safety_alert


def test_the_help_message_comes_with_the_clinics_number_and_crisis_line(
    as_user, maya_teen, maya, episode, clinic
):
    clinic.phone = "555-0100"
    clinic.hours = "Mon–Fri 8am–5pm"
    clinic.crisis_line = "Children's hospital on-call line 555-0199"
    clinic.save()
    response = as_user(maya_teen).post(
        today_url(maya), dict(CHILD, mood="0", idempotency_key=str(uuid.uuid4())), follow=True
    )
    page = response.content.decode()
    message = page[page.index("Crisis Lifeline") : page.index("Your care team can see")]
    assert "call the clinic" in message.lower()
    assert "555-0100" in message and "Mon–Fri 8am–5pm" in message
    assert "Children&#x27;s hospital on-call line 555-0199" in message

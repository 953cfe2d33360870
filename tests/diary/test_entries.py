"""Writing the diary: who writes which entry, idempotent submissions and edits, the open days,
the answers checked, and the page's fixed cost."""

import uuid
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from backto.audit.models import AuditEvent
from backto.capabilities.diary import actions
from backto.capabilities.diary.models import DiaryEntry
from tests.conftest import TODAY, audited
from tests.diary.conftest import CHILD, post, today_url


def test_a_teen_writes_today_and_marks_mood_private(as_user, maya_teen, maya, episode):
    client = as_user(maya_teen)
    assert client.get(today_url(maya)).status_code == 200
    response = post(client, maya, dict(CHILD, private_fields=["mood"]))
    assert response.status_code == 302
    entry = DiaryEntry.objects.get()
    assert entry.respondent == "child" and entry.author == maya_teen
    assert entry.answers["sleep_hours"] == 7.5 and entry.answers["coping"] == [1, 3]
    assert entry.private_fields == ["mood"]
    assert entry.instrument_id == "daily-diary" and entry.instrument_version == "1.0.0"
    assert audited("create", object_type="diaryentry", patient_id=maya.pk)


def test_saving_goes_to_the_family_home_saying_what_the_save_did(as_user, maya_teen, maya, episode):
    client = as_user(maya_teen)
    home = reverse("family_home")
    key = uuid.uuid4()
    assert post(client, maya, key=key).url == f"{home}?diary={maya.pk}&saved=created#saved"
    assert post(client, maya, key=key).url == f"{home}?diary={maya.pk}&saved=already#saved"
    assert (
        post(client, maya, dict(CHILD, mood="3")).url
        == f"{home}?diary={maya.pk}&saved=edited#saved"
    )
    # yesterday's entry too; the address says no more than the child's id and the outcome
    yesterday = post(client, maya, day="yesterday")
    assert yesterday.url == f"{home}?diary={maya.pk}&saved=created#saved"
    assert DiaryEntry.objects.filter(day=TODAY - timedelta(days=1)).exists()


def test_the_diary_is_in_steps_with_the_pain_last_and_a_summary_with_the_privacy_choices(
    as_user, maya_teen, maya, episode
):
    page = as_user(maya_teen).get(today_url(maya)).content.decode()
    titles = ["What I did", "School", "Sleep", "How I felt", "What helped"]
    titles += ["My home exercises", "A win", "Pain", "Check and save"]
    positions = [page.index(f'tabindex="-1">{title}</h2>') for title in titles]
    assert positions == sorted(positions)
    assert page.index('name="pain"') > positions[7]
    assert positions[8] < page.index('name="private_fields"') < page.index("Save my day")
    assert "data-outbox" in page and "data-draft-key" in page
    assert 'class="choice-cards face-scale"' in page


def test_the_parent_diary_has_fewer_steps(as_user, gina, maya, episode):
    page = as_user(gina).get(today_url(maya)).content.decode()
    assert page.count("data-step>") + page.count("data-step data-summary-step>") == 4
    assert "Skills, a win and pain" in page and 'name="private_fields"' not in page


def test_guardians_never_see_a_teens_private_answers_but_the_care_team_does(
    as_user, client, maya_teen, gina, pat, maya, episode
):
    post(as_user(maya_teen), maya, dict(CHILD, private_fields=["mood", "win"]))
    client.logout()
    guardian_view = as_user(gina).get(reverse("diary_calendar", args=[maya.pk])).content.decode()
    assert "A bit sad or worried" not in guardian_view
    assert "Went to school for the morning" not in guardian_view
    assert "kept between Maya and the care team" in guardian_view
    client.logout()
    team_view = as_user(pat).get(reverse("diary_calendar", args=[maya.pk])).content.decode()
    assert "A bit sad or worried" in team_view
    assert "private from guardians" in team_view


def test_the_same_form_submitted_twice_is_stored_once(as_user, maya_teen, maya, episode):
    client = as_user(maya_teen)
    key = uuid.uuid4()
    first = post(client, maya, key=key)
    second = post(client, maya, key=key)
    assert first.status_code == second.status_code == 302
    assert DiaryEntry.objects.count() == 1
    assert audited("create", object_type="diaryentry")


def test_a_replayed_form_says_it_was_already_saved_not_edited(as_user, maya_teen, maya, episode):
    client = as_user(maya_teen)
    key = uuid.uuid4()
    assert "saved=created" in post(client, maya, key=key).url
    replay = post(client, maya, key=key)
    assert "saved=already" in replay.url and "saved=edited" not in replay.url
    page = client.get(replay.url).content.decode()
    assert "already saved" in page and "Your changes are in" not in page
    # A real change is still an edit.
    assert "saved=edited" in post(client, maya, dict(CHILD, mood="3")).url


def test_a_second_entry_the_same_day_edits_the_first(as_user, maya_teen, maya, episode):
    client = as_user(maya_teen)
    post(client, maya)
    post(client, maya, dict(CHILD, mood="3"))
    entry = DiaryEntry.objects.get()
    assert entry.answers["mood"] == 3
    assert audited("update", object_type="diaryentry")


def test_a_late_retry_of_the_first_form_does_not_undo_a_later_edit(
    as_user, maya_teen, maya, episode
):
    client = as_user(maya_teen)
    first = uuid.uuid4()
    post(client, maya, key=first)
    post(client, maya, dict(CHILD, mood="3"))
    # The phone's first request was slow: its retry arrives after the edit.
    assert post(client, maya, key=first).status_code == 302
    entry = DiaryEntry.objects.get()
    assert entry.answers["mood"] == 3
    assert entry.earlier_keys == [str(first)]
    assert AuditEvent.objects.filter(action="update", object_type="diaryentry").count() == 1


def test_a_parent_entry_is_linked_by_child_and_day(as_user, client, maya_teen, gina, maya, episode):
    post(as_user(maya_teen), maya)
    client.logout()
    response = post(as_user(gina), maya, **{"as": "parent"})
    assert response.status_code == 302
    entries = DiaryEntry.objects.filter(patient=maya, day=TODAY)
    assert sorted(e.respondent for e in entries) == ["child", "parent"]
    assert entries.get(respondent="parent").instrument_id == "daily-diary-parent"


def test_a_guardian_fills_the_childs_own_entry_only_without_a_teen_account(
    as_user, gina, maya, maya_teen
):
    assert post(as_user(gina), maya, **{"as": "child"}).status_code == 403
    maya.teen_account = None
    maya.save()
    assert post(as_user(gina), maya, **{"as": "child"}).status_code == 302


def test_a_teen_cannot_write_the_parent_diary(as_user, maya_teen, maya):
    assert post(as_user(maya_teen), maya, **{"as": "parent"}).status_code == 403


def test_it_returns_404_and_audits_another_familys_child(as_user, otto, maya):
    response = post(as_user(otto), maya, **{"as": "parent"})
    assert response.status_code == 404
    assert audited("permission_denied", actor_id=otto.pk, patient_id=maya.pk)
    assert not DiaryEntry.objects.exists()


def test_it_returns_403_to_a_clinician_writing_a_diary(as_user, pat, maya, episode):
    assert as_user(pat).get(today_url(maya)).status_code == 403


def test_it_names_the_item_and_what_is_allowed(as_user, maya_teen, maya):
    response = post(as_user(maya_teen), maya, dict(CHILD, sleep_hours="30", mood="7"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Hours of sleep: type a number from 0 to 16." in body
    assert "How I felt: 7 is not allowed; choose one of the answers shown." in body
    assert "Walked the dog" in body
    assert not DiaryEntry.objects.exists()


def test_it_asks_for_required_answers(as_user, maya_teen, maya):
    response = post(as_user(maya_teen), maya, {"win": "A walk"})
    page = response.content.decode()
    assert "How I felt: please choose an answer." in page
    assert "Hours of sleep: please type a number." in page
    assert not DiaryEntry.objects.exists()


def test_yesterday_is_still_open_and_the_day_before_is_not(maya_teen, maya):
    answers = {
        "activity": 2,
        "school": 9,
        "sleep_hours": 8,
        "sleep_quality": 2,
        "mood": 2,
        "home_program": 1,
    }
    yesterday = TODAY - timedelta(days=1)
    result = actions.diary_entry_submit(
        by=maya_teen,
        patient=maya,
        day=yesterday,
        respondent="child",
        answers=answers,
        idempotency_key=uuid.uuid4(),
    )
    assert result.created
    with pytest.raises(ValidationError, match="close at the end of the next day"):
        actions.diary_entry_submit(
            by=maya_teen,
            patient=maya,
            day=yesterday - timedelta(days=1),
            respondent="child",
            answers=answers,
            idempotency_key=uuid.uuid4(),
        )
    with pytest.raises(ValidationError, match="not a day to come"):
        actions.diary_entry_submit(
            by=maya_teen,
            patient=maya,
            day=TODAY + timedelta(days=1),
            respondent="child",
            answers=answers,
            idempotency_key=uuid.uuid4(),
        )


def test_a_replayed_key_from_someone_else_is_refused(maya_teen, gina, maya):
    key = uuid.uuid4()
    answers = {
        "activity": 2,
        "school": 9,
        "sleep_hours": 8,
        "sleep_quality": 2,
        "mood": 2,
        "home_program": 1,
    }
    actions.diary_entry_submit(
        by=maya_teen,
        patient=maya,
        day=TODAY,
        respondent="child",
        answers=answers,
        idempotency_key=key,
    )
    with pytest.raises(PermissionDenied):
        actions.diary_entry_submit(
            by=gina,
            patient=maya,
            day=TODAY,
            respondent="parent",
            answers=answers,
            idempotency_key=key,
        )


def test_the_diary_page_has_a_fixed_number_of_queries(
    as_user, maya_teen, maya, django_assert_max_num_queries
):
    client = as_user(maya_teen)
    with django_assert_max_num_queries(12):
        assert client.get(today_url(maya)).status_code == 200


def test_a_new_entry_is_stored_in_a_fixed_number_of_queries(
    as_user, maya_teen, maya, episode, django_assert_num_queries
):
    # The hot path: the session, the person, the child, the circle, then one transaction of two
    # inserts (the entry and its audit event). A query added here costs every family, every day.
    client = as_user(maya_teen)
    with django_assert_num_queries(8):
        assert post(client, maya).status_code == 302


def test_a_refusal_inside_a_view_is_audited_once(as_user, maya_teen, maya, episode):
    from backto.audit.models import AuditEvent

    response = as_user(maya_teen).get(today_url(maya, **{"as": "parent"}))
    assert response.status_code == 403
    refusals = AuditEvent.objects.filter(action="permission_denied", patient_id=maya.pk)
    assert refusals.count() == 1 and refusals.get().object_id == "diary_today"

import uuid
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from backto.audit.models import AuditEvent
from backto.capabilities.diary import actions
from backto.capabilities.diary.models import DiaryEntry, DiarySettings
from backto.capabilities.diary.queries import diary_streak
from tests.conftest import audited

CHILD = {
    "activity": "3",
    "school": "1",
    "school_hours": "4",
    "sleep_hours": "7.5",
    "sleep_quality": "3",
    "mood": "1",
    "coping": ["1", "3"],
    "home_program": "2",
    "activity_note": "Walked the dog",
    "win": "Went to school for the morning",
    "pain": "5",
}


def today_url(patient, **query):
    url = reverse("diary_today", args=[patient.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def post(client, patient, data=None, key=None, **query):
    payload = dict(CHILD if data is None else data)
    payload["idempotency_key"] = str(key or uuid.uuid4())
    payload.setdefault("as", query.get("as", ""))
    return client.post(today_url(patient, **query), payload)


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
    entries = DiaryEntry.objects.filter(patient=maya, day=date.today())
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
    assert "less than or equal to 16" in body
    assert "Select a valid choice" in body
    assert "Walked the dog" in body
    assert not DiaryEntry.objects.exists()


def test_it_asks_for_required_answers(as_user, maya_teen, maya):
    response = post(as_user(maya_teen), maya, {"win": "A walk"})
    assert b"This field is required" in response.content
    assert not DiaryEntry.objects.exists()


def test_the_pain_question_can_be_turned_off_by_the_care_team(
    as_user, client, pat, maya_teen, maya, episode
):
    assert (
        as_user(pat)
        .post(reverse("diary_pain_setting", args=[maya.pk]), {"pain_enabled": "0"})
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
        .post(reverse("diary_pain_setting", args=[maya.pk]), {"pain_enabled": "0"})
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


def test_yesterday_is_still_open_and_the_day_before_is_not(maya_teen, maya):
    answers = {
        "activity": 2,
        "school": 9,
        "sleep_hours": 8,
        "sleep_quality": 2,
        "mood": 2,
        "home_program": 1,
    }
    yesterday = date.today() - timedelta(days=1)
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
            day=date.today() + timedelta(days=1),
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
        day=date.today(),
        respondent="child",
        answers=answers,
        idempotency_key=key,
    )
    with pytest.raises(PermissionDenied):
        actions.diary_entry_submit(
            by=gina,
            patient=maya,
            day=date.today(),
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


def test_the_calendar_keeps_its_query_count_however_long_the_history(
    as_user, pat, maya_teen, maya, episode
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = as_user(pat)
    url = reverse("diary_calendar", args=[maya.pk])
    with CaptureQueriesContext(connection) as short:
        client.get(url, {"weeks": 1})
    answers = {
        "activity": 2,
        "school": 9,
        "sleep_hours": 8,
        "sleep_quality": 2,
        "mood": 2,
        "home_program": 1,
    }
    for n in range(30):
        DiaryEntry.objects.create(
            patient=maya,
            day=date.today() - timedelta(days=n),
            respondent="child",
            author=maya_teen,
            answers=answers,
            instrument_id="daily-diary",
            instrument_version="1.0.0",
            idempotency_key=uuid.uuid4(),
        )
    with CaptureQueriesContext(connection) as long:
        response = client.get(url, {"weeks": 8})
    assert response.content.count(b"Hours of sleep") == 30
    assert len(long) == len(short)


def test_streaks_count_days_of_doing_the_program():
    today = date(2026, 11, 24)
    days = {today - timedelta(days=n) for n in (1, 2, 3, 5)}
    streak = diary_streak(days, today=today)
    assert (streak.days_in_a_row, streak.total_days, streak.milestone) == (3, 4, 3)
    assert diary_streak(days | {today}, today=today).days_in_a_row == 4
    assert diary_streak(set(), today=today).days_in_a_row == 0


def test_a_family_sets_a_reminder_and_gets_one_email_a_day(as_user, gina, maya, settings):
    from datetime import datetime, time

    from django.core import mail
    from django.utils import timezone

    from backto.capabilities.diary.models import Reminder
    from backto.capabilities.diary.reminders import send_due_reminders

    as_user(gina).post(reverse("diary_reminder", args=[maya.pk]), {"time_of_day": "18:00"})
    reminder = Reminder.objects.get(user=gina)
    assert reminder.time_of_day == time(18, 0) and reminder.enabled
    day = timezone.localdate()
    tz = timezone.get_current_timezone()
    before = datetime.combine(day, time(17, 59), tz)
    after = datetime.combine(day, time(18, 5), tz)
    mail.outbox.clear()
    assert send_due_reminders(before) == 0
    assert send_due_reminders(after) == 1
    assert send_due_reminders(after) == 0  # never twice a day
    assert mail.outbox[0].to == [gina.email]
    assert f"/patients/{maya.pk}/diary/" in mail.outbox[0].body
    assert "Maya" not in mail.outbox[0].body  # no child's name in an email


def test_a_reminder_goes_out_at_its_time_in_the_clinics_time_zone(as_user, gina, maya):
    from datetime import datetime, time
    from zoneinfo import ZoneInfo

    from backto.capabilities.diary.reminders import send_due_reminders

    maya.clinic.time_zone = "Europe/Stockholm"
    maya.clinic.save()
    as_user(gina).post(reverse("diary_reminder", args=[maya.pk]), {"time_of_day": "18:00"})
    stockholm = ZoneInfo("Europe/Stockholm")
    day = datetime.now(stockholm).date()
    assert send_due_reminders(datetime.combine(day, time(17, 59), stockholm)) == 0
    # 18:05 in Stockholm, the family's evening, is early afternoon in New York (five or six hours
    # earlier, as the two switch to summer time on different days).
    evening = datetime.combine(day, time(18, 5), stockholm).astimezone(ZoneInfo("America/New_York"))
    assert evening.hour < 18
    assert send_due_reminders(evening) == 1


def test_a_reminder_is_signed_with_the_clinics_name_and_phone(gina, maya, clinic):
    from datetime import datetime, time

    from django.core import mail
    from django.utils import timezone

    from backto.capabilities.diary.models import Reminder
    from backto.capabilities.diary.reminders import send_due_reminders

    clinic.phone = "555-0100"
    clinic.save()
    Reminder.objects.create(user=gina, patient=maya, time_of_day=time(7, 0))
    mail.outbox.clear()
    late = datetime.combine(timezone.localdate(), time(23, 0), timezone.get_current_timezone())
    assert send_due_reminders(late) == 1
    body = mail.outbox[0].body
    assert "Lakeside Pain Program" in body and "Phone: 555-0100" in body
    assert "Maya" not in body and "Lindqvist" not in body  # nothing about the child


def test_a_refused_reminder_email_is_retried_and_costs_no_one_else_theirs(
    gina, otto, maya, leo, monkeypatch
):
    from datetime import datetime, time

    from django.core import mail
    from django.utils import timezone

    from backto.capabilities.diary import reminders
    from backto.capabilities.diary.models import Reminder

    for user, child in ((gina, maya), (otto, leo)):
        Reminder.objects.create(user=user, patient=child, time_of_day=time(7, 0))
    late = datetime.combine(timezone.localdate(), time(23, 0), timezone.get_current_timezone())
    real_send = reminders._send

    def refuse_gina(reminder, **kwargs):
        if reminder.user == gina:
            raise ConnectionRefusedError
        real_send(reminder, **kwargs)

    monkeypatch.setattr(reminders, "_send", refuse_gina)
    mail.outbox.clear()
    assert reminders.send_due_reminders(late) == 1
    assert [m.to for m in mail.outbox] == [[otto.email]]
    assert Reminder.objects.get(user=gina).last_sent_on is None  # back for the next sweep
    monkeypatch.setattr(reminders, "_send", real_send)
    assert reminders.send_due_reminders(late) == 1
    assert mail.outbox[-1].to == [gina.email]


def test_no_reminder_when_the_diary_is_already_written(as_user, gina, maya):
    from datetime import datetime, time

    from django.core import mail
    from django.utils import timezone

    from backto.capabilities.diary.reminders import send_due_reminders

    client = as_user(gina)
    client.post(reverse("diary_reminder", args=[maya.pk]), {"time_of_day": "07:00"})
    post(client, maya, **{"as": "parent"})
    mail.outbox.clear()
    late = datetime.combine(timezone.localdate(), time(23, 0), timezone.get_current_timezone())
    assert send_due_reminders(late) == 0
    assert mail.outbox == []


def test_the_reminder_sweep_costs_the_same_queries_for_one_family_or_many(
    gina, otto, maya, leo, maya_teen, active
):
    from datetime import datetime, time

    from django.core import mail
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from backto.capabilities.diary import reminders
    from backto.capabilities.diary.models import Reminder

    late = datetime.combine(timezone.localdate(), time(23, 0), timezone.get_current_timezone())

    def sweep(*users):
        Reminder.objects.all().delete()
        for user in users:
            child = leo if user == otto else maya
            Reminder.objects.create(user=user, patient=child, time_of_day=time(7, 0))
        mail.outbox.clear()
        with CaptureQueriesContext(connection) as queries:
            assert reminders.send_due_reminders(late) == len(users)
        return len(queries)

    assert sweep(gina, maya_teen) == sweep(gina, otto, maya_teen)
    # The teen's email counts the child forms waiting for her; her mother's, the parent forms.
    by_address = {m.to[0]: m.body for m in mail.outbox}
    assert by_address[maya_teen.email] != by_address[gina.email]


def test_reminders_can_be_turned_off(as_user, gina, maya):
    from backto.capabilities.diary.models import Reminder

    client = as_user(gina)
    client.post(reverse("diary_reminder", args=[maya.pk]), {"time_of_day": "07:00"})
    client.post(reverse("diary_reminder", args=[maya.pk]), {"time_of_day": "07:00", "enabled": "0"})
    assert not Reminder.objects.get().enabled


def test_a_clinician_cannot_set_a_familys_reminder(as_user, pat, maya, episode):
    assert (
        as_user(pat)
        .post(reverse("diary_reminder", args=[maya.pk]), {"time_of_day": "07:00"})
        .status_code
        == 403
    )


def test_the_diary_page_offers_the_reminder_time_and_todays_exercises(
    as_user, pat, gina, maya, episode, clinic
):
    from backto.capabilities.homeprogram import actions as hp
    from backto.capabilities.homeprogram.models import Exercise, ExerciseLog

    hp.starter_library_load(clinic=clinic)
    item = hp.home_program_add(
        by=pat,
        episode=episode,
        exercise=Exercise.objects.get(name="Daily walk"),
        minutes=10,
        start_date=date.today(),
        times_per_day=1,
        days_per_week=7,
    )
    client = as_user(gina)
    page = client.get(today_url(maya)).content.decode()
    assert 'name="time_of_day"' in page
    assert "Daily walk" in page and "Today's exercises" in page
    # Ticked from the diary page without JavaScript: back to the diary afterwards.
    response = client.post(
        reverse("exercises_today", args=[episode.pk]),
        {"item": item.pk, "done": "1", "next": today_url(maya)},
    )
    assert response["Location"] == today_url(maya)
    assert ExerciseLog.objects.filter(item=item).exists()
    evil = client.post(
        reverse("exercises_today", args=[episode.pk]),
        {"item": item.pk, "done": "0", "next": "https://evil.example/"},
    )
    assert evil["Location"] == reverse("exercises_today", args=[episode.pk])


def test_the_calendar_shows_a_guardian_the_childs_pain_only_when_the_team_allows(
    as_user, client, maya_teen, gina, pat, maya, episode
):
    post(as_user(maya_teen), maya, dict(CHILD, pain="7"))
    client.logout()
    calendar = reverse("diary_calendar", args=[maya.pk])
    assert "Pain" not in as_user(gina).get(calendar).content.decode().split("<main")[1]
    client.logout()
    assert "Pain" in as_user(pat).get(calendar).content.decode().split("<main")[1]
    DiarySettings.objects.update_or_create(patient=maya, defaults={"family_sees_pain": True})
    client.logout()
    assert "Pain" in as_user(gina).get(calendar).content.decode().split("<main")[1]


def test_a_teen_sees_no_pain_in_the_calendar_not_even_the_parents_rating(
    as_user, client, maya_teen, gina, maya, episode
):
    assert post(as_user(gina), maya, dict(CHILD, pain="6"), **{"as": "parent"}).status_code == 302
    client.logout()
    calendar = reverse("diary_calendar", args=[maya.pk])
    DiarySettings.objects.update_or_create(patient=maya, defaults={"family_sees_pain": True})
    assert "Pain" in as_user(gina).get(calendar).content.decode().split("<main")[1]
    client.logout()
    assert "Pain" not in as_user(maya_teen).get(calendar).content.decode().split("<main")[1]


def test_a_refusal_inside_a_view_is_audited_once(as_user, maya_teen, maya, episode):
    from backto.audit.models import AuditEvent

    response = as_user(maya_teen).get(today_url(maya, **{"as": "parent"}))
    assert response.status_code == 403
    refusals = AuditEvent.objects.filter(action="permission_denied", patient_id=maya.pk)
    assert refusals.count() == 1 and refusals.get().object_id == "diary_today"

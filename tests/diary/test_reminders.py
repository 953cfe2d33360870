"""Daily diary reminders by email: set by the family, sent at their time in the clinic's zone,
once a day, and put back for the next sweep when the mail server refuses one."""

from django.urls import reverse

from tests.conftest import TODAY
from tests.diary.conftest import post, today_url


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
    gina, otto, maya, leo, settings
):
    from datetime import datetime, time

    from django.core import mail
    from django.utils import timezone

    from backto.capabilities.diary import reminders
    from backto.capabilities.diary.models import Reminder

    for user, child in ((gina, maya), (otto, leo)):
        Reminder.objects.create(user=user, patient=child, time_of_day=time(7, 0))
    late = datetime.combine(timezone.localdate(), time(23, 0), timezone.get_current_timezone())
    settings.EMAIL_BACKEND = "tests.diary.mail_server.RefusingEmailBackend"
    settings.TEST_REFUSED_RECIPIENTS = [gina.email]
    mail.outbox.clear()
    assert reminders.send_due_reminders(late) == 1
    assert [m.to for m in mail.outbox] == [[otto.email]]
    assert Reminder.objects.get(user=gina).last_sent_on is None  # back for the next sweep
    settings.TEST_REFUSED_RECIPIENTS = []  # the server takes her mail again
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
    worded, gina, otto, maya, leo, maya_teen, active
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
        start_date=TODAY,
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

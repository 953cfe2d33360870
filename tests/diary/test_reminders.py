"""Daily diary reminders: set by the family on the Reminders page, sent at their time in the
clinic's zone by their channels, once a day, never in their quiet hours, resting after a few days
without a diary, and put back for the next sweep when every channel refuses one."""

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
    day = TODAY
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
    late = datetime.combine(TODAY, time(20, 30), timezone.get_current_timezone())
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
    late = datetime.combine(TODAY, time(20, 30), timezone.get_current_timezone())
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
    late = datetime.combine(TODAY, time(20, 30), timezone.get_current_timezone())
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
    from backto.capabilities.measures.models import Administration

    late = datetime.combine(TODAY, time(20, 30), timezone.get_current_timezone())
    # the mother's health care visits form aside, she has one form fewer than Maya (3 and 4)
    Administration.objects.filter(episode=active, instrument_id="healthcare-use").update(
        state="cancelled"
    )

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


def test_the_diary_page_links_to_the_reminders_and_offers_todays_exercises(
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
    # The diary page sums the reminder up and links to the Reminders page, which sets it.
    assert reverse("reminders") in page and "No reminder is set." in page
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


# The Reminders page, quiet hours, resting after days without a diary, and daylight saving.


def _at(day, hour, minute=0, zone=None):
    from datetime import datetime, time

    from tests.conftest import ZONE

    return datetime.combine(day, time(hour, minute), zone or ZONE)


def _vapid(settings):
    from backto.capabilities.notifications.vapid import generate_pair

    settings.BACKTO_VAPID_PUBLIC_KEY, settings.BACKTO_VAPID_PRIVATE_KEY = generate_pair()


def test_the_reminders_page_sets_each_childs_time_and_is_audited(as_user, gina, maya, settings):
    from datetime import time

    from backto.audit.models import AuditEvent
    from backto.capabilities.diary.models import Reminder

    _vapid(settings)
    client = as_user(gina)
    page = client.get(reverse("reminders"))
    assert page.status_code == 200
    html = page.content.decode()
    for control in (
        'name="time_of_day"',
        'name="sms_enabled"',
        'name="phone"',
        'name="quiet_from"',
    ):
        assert control in html
    assert settings.BACKTO_VAPID_PUBLIC_KEY in html  # for push.js, this device's subscription
    assert AuditEvent.objects.filter(
        actor_id=gina.pk, action="view", object_type="page", object_id="reminders"
    ).exists()
    saved = client.post(reverse("diary_reminder", args=[maya.pk]), {"time_of_day": "18:30"})
    assert saved["Location"] == reverse("reminders")
    assert Reminder.objects.get(user=gina).time_of_day == time(18, 30)
    event = AuditEvent.objects.filter(actor_id=gina.pk, object_type="reminder").latest("pk")
    assert event.patient_id == maya.pk and "18:30" in event.detail
    bad = client.post(
        reverse("diary_reminder", args=[maya.pk]), {"time_of_day": "half past six"}, follow=True
    )
    assert "Remind me each day at: choose a time of day" in bad.content.decode()
    assert Reminder.objects.get(user=gina).time_of_day == time(18, 30)  # nothing half-written


def test_the_reminders_page_is_a_familys_own(as_user, pat, gina, otto, maya, leo, episode):
    assert as_user(pat).get(reverse("reminders")).status_code == 403
    # Otto may not set a reminder for Maya, who is not his: her record is not found for him.
    response = as_user(otto).post(
        reverse("diary_reminder", args=[maya.pk]), {"time_of_day": "07:00"}
    )
    assert response.status_code == 404
    page = as_user(otto).get(reverse("reminders")).content.decode()
    assert f'action="{reverse("diary_reminder", args=[leo.pk])}"' in page
    assert f'action="{reverse("diary_reminder", args=[maya.pk])}"' not in page


def test_the_reminders_page_costs_the_same_queries_for_one_child_or_two(
    as_user, gina, maya, leo, settings
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from backto.access.patients.models import Guardianship

    _vapid(settings)
    client = as_user(gina)
    client.get(reverse("reminders"))  # the session and the clinic, read once
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("reminders"))
    Guardianship.objects.create(guardian=gina, patient=leo, relationship="aunt")
    client.post(reverse("diary_reminder", args=[leo.pk]), {"time_of_day": "07:00"})
    client.post(reverse("diary_reminder", args=[maya.pk]), {"time_of_day": "07:00"})
    client.get(reverse("reminders"))  # shows the messages of those two posts
    with CaptureQueriesContext(connection) as two:
        page = client.get(reverse("reminders"))
    assert "Diary reminder for Leo" in page.content.decode()
    assert len(two) == len(one)


def test_no_reminder_in_quiet_hours_it_waits_until_they_end(gina, maya, clock):
    from datetime import time

    from django.core import mail

    from backto.capabilities.diary.models import Reminder
    from backto.capabilities.diary.reminders import send_due_reminders
    from backto.capabilities.notifications.models import NotificationSettings
    from tests.conftest import TODAY

    NotificationSettings.objects.create(user=gina, quiet_from=time(12, 0), quiet_until=time(14, 0))
    Reminder.objects.create(user=gina, patient=maya, time_of_day=time(12, 30))
    mail.outbox.clear()
    assert send_due_reminders(_at(TODAY, 12, 45)) == 0  # quiet: not sent, not marked sent
    assert Reminder.objects.get().last_sent_on is None
    assert send_due_reminders(_at(TODAY, 14, 0)) == 1  # the quiet hours are over
    assert len(mail.outbox) == 1


def test_a_reminder_in_quiet_hours_until_midnight_skips_the_day(gina, maya):
    from datetime import time, timedelta

    from backto.capabilities.diary.models import Reminder
    from backto.capabilities.diary.reminders import send_due_reminders
    from tests.conftest import TODAY

    # The default quiet hours, 21:00 to 07:00; a reminder at 22:00 never finds a quiet moment.
    Reminder.objects.create(user=gina, patient=maya, time_of_day=time(22, 0))
    assert send_due_reminders(_at(TODAY, 22, 5)) == 0
    assert send_due_reminders(_at(TODAY, 23, 59)) == 0
    assert send_due_reminders(_at(TODAY + timedelta(days=1), 7, 0)) == 0  # not yet 22:00


def test_a_reminder_rests_after_three_days_without_a_diary_and_wakes_when_they_write(
    as_user, gina, maya
):
    from datetime import time, timedelta

    from django.core import mail

    from backto.capabilities.diary.models import DiaryEntry, Reminder
    from backto.capabilities.diary.reminders import PAUSE_AFTER, send_due_reminders
    from tests.conftest import TODAY

    assert PAUSE_AFTER == 3
    client = as_user(gina)
    post(client, maya, **{"as": "parent"})
    entry = DiaryEntry.objects.get()
    Reminder.objects.create(
        user=gina, patient=maya, time_of_day=time(18, 0), started_on=TODAY - timedelta(days=30)
    )
    sent = []
    for days_after in range(1, 6):  # a diary on day 0, then nothing
        DiaryEntry.objects.filter(pk=entry.pk).update(day=TODAY - timedelta(days=days_after))
        Reminder.objects.update(last_sent_on=None)
        mail.outbox.clear()
        sent.append(send_due_reminders(_at(TODAY, 18, 5)))
    assert sent == [1, 1, 1, 0, 0]  # days 1 to 3 after a diary remind; then they rest
    page = client.get(reverse("reminders")).content.decode()
    assert "Reminders are having a rest" in page and "nothing to catch up on" in page
    for shaming in ("missed", "failed", "forgot"):
        assert shaming not in page.lower()
    # A diary again (two days ago): the reminders come back.
    DiaryEntry.objects.filter(pk=entry.pk).update(day=TODAY - timedelta(days=2))
    Reminder.objects.update(last_sent_on=None)
    assert send_due_reminders(_at(TODAY, 18, 5)) == 1
    assert "having a rest" not in client.get(reverse("reminders")).content.decode()


def test_a_new_reminder_does_not_rest_before_it_has_had_three_days(as_user, gina, maya):
    from datetime import timedelta

    from backto.capabilities.diary.models import Reminder
    from backto.capabilities.diary.reminders import send_due_reminders
    from tests.conftest import TODAY

    as_user(gina).post(reverse("diary_reminder", args=[maya.pk]), {"time_of_day": "08:00"})
    assert Reminder.objects.get().started_on == TODAY
    # No diary ever, but the reminder is new: it reminds on its first three days.
    for day in range(3):
        assert send_due_reminders(_at(TODAY + timedelta(days=day), 8, 5)) == 1
    assert send_due_reminders(_at(TODAY + timedelta(days=3), 8, 5)) == 0


def test_reminders_keep_the_familys_time_across_the_daylight_saving_change(gina, maya, clock):
    """New York springs forward on 8 March 2026: 18:00 is 23:00 UTC the day before and 22:00 UTC
    that day. The reminder comes at 18:00 on the clock on the wall both days."""
    from datetime import UTC, date, datetime, time

    from backto.capabilities.diary.models import Reminder
    from backto.capabilities.diary.reminders import send_due_reminders

    maya.clinic.time_zone = "America/New_York"
    maya.clinic.save()
    Reminder.objects.create(
        user=gina, patient=maya, time_of_day=time(18, 0), started_on=date(2026, 3, 6)
    )
    # A diary two days before (none on the days reminded), so that the reminder does not rest.
    import uuid

    from backto.capabilities.diary.models import DiaryEntry

    for day in (date(2026, 3, 5), date(2026, 3, 6)):
        DiaryEntry.objects.create(
            patient=maya,
            day=day,
            respondent="parent",
            author=gina,
            instrument_id="test",
            instrument_version="1",
            idempotency_key=uuid.uuid4(),
        )
    for utc_hour, expected in (
        (datetime(2026, 3, 7, 22, 59, tzinfo=UTC), 0),  # 17:59 EST
        (datetime(2026, 3, 7, 23, 1, tzinfo=UTC), 1),  # 18:01 EST
        (datetime(2026, 3, 8, 21, 59, tzinfo=UTC), 0),  # 17:59 EDT, the day the clocks change
        (datetime(2026, 3, 8, 22, 1, tzinfo=UTC), 1),  # 18:01 EDT
        (datetime(2026, 3, 8, 23, 1, tzinfo=UTC), 0),  # 19:01 EDT: once a day
    ):
        clock.move_to(utc_hour, tick=False)
        assert send_due_reminders() == expected, utc_hour
    assert Reminder.objects.get().last_sent_on == date(2026, 3, 8)


def test_reminders_keep_the_familys_time_when_the_clocks_go_back(gina, maya, clock):
    """New York falls back on 1 November 2026: 18:00 is 22:00 UTC the day before, 23:00 after."""
    from datetime import UTC, date, datetime, time

    from backto.capabilities.diary.models import Reminder
    from backto.capabilities.diary.reminders import send_due_reminders

    Reminder.objects.create(
        user=gina, patient=maya, time_of_day=time(18, 0), started_on=date(2026, 10, 30)
    )
    for moment, expected in (
        (datetime(2026, 10, 31, 21, 59, tzinfo=UTC), 0),  # 17:59 EDT
        (datetime(2026, 10, 31, 22, 1, tzinfo=UTC), 1),  # 18:01 EDT
        (datetime(2026, 11, 1, 22, 30, tzinfo=UTC), 0),  # 17:30 EST, the day the clocks change
        (datetime(2026, 11, 1, 23, 1, tzinfo=UTC), 1),  # 18:01 EST
    ):
        clock.move_to(moment, tick=False)
        assert send_due_reminders() == expected, moment


def test_saving_a_time_inside_quiet_hours_says_what_will_happen(as_user, gina, maya):
    page = (
        as_user(gina)
        .post(reverse("diary_reminder", args=[maya.pk]), {"time_of_day": "22:00"}, follow=True)
        .content.decode()
    )
    assert "22:00 is in your quiet hours" in page and "07:00" in page

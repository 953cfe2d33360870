"""The day-before reminder: from 17:00 in the clinic's zone, once per appointment, one message per
person, no kind, place or name in it; quiet hours kept; tomorrow as the clinic's calendar has it,
the day the clocks change too."""

from datetime import date, timedelta

from django.core import mail

from backto.access.patients.models import Guardianship
from backto.capabilities.appointments.actions import appointment_change, appointment_status_set
from backto.capabilities.appointments.models import Appointment
from backto.capabilities.appointments.reminders import send_appointment_reminders
from backto.capabilities.notifications.models import NotificationSettings
from backto.core.sweeps import registered_sweeps
from tests.appointments.conftest import at, book
from tests.conftest import TODAY

TOMORROW = TODAY + timedelta(days=1)


def test_the_sweep_is_registered():
    assert "appointment reminders" in registered_sweeps()


def test_the_family_hears_the_day_before_from_five_once(gina, maya_teen, booked):
    mail.outbox.clear()
    assert send_appointment_reminders(at(TODAY, 16, 59)) == 0
    assert send_appointment_reminders(at(TODAY, 17, 5)) == 2  # Gina and Maya herself
    assert send_appointment_reminders(at(TODAY, 17, 10)) == 0
    assert send_appointment_reminders(at(TODAY, 20, 0)) == 0
    assert sorted(m.to[0] for m in mail.outbox) == sorted([gina.email, maya_teen.email])
    message = mail.outbox[0]
    assert message.subject == "An appointment tomorrow"
    for secret in ("Maya", "Room 2", "physical", "Pat", "sneakers"):
        assert secret not in message.subject + message.body
    assert "/family/week/" in message.body
    booked.refresh_from_db()
    assert booked.reminded_at == at(TODAY, 17, 5)


def test_only_tomorrows_booked_appointments(gina, pat, maya, episode):
    book(pat, maya, starts_at=at(TODAY, 19))  # today
    book(pat, maya, starts_at=at(TODAY + timedelta(days=2), 9))  # the day after
    cancelled = book(pat, maya, starts_at=at(TOMORROW, 11))
    appointment_status_set(by=pat, appointment=cancelled, status="cancelled")
    assert send_appointment_reminders(at(TODAY, 17, 5)) == 0
    assert not Appointment.objects.filter(reminded_at__isnull=False).exists()


def test_a_moved_appointment_is_reminded_again(gina, pat, booked):
    send_appointment_reminders(at(TODAY, 17, 5))
    appointment_change(by=pat, appointment=booked, starts_at=at(TODAY + timedelta(days=2), 9))
    assert send_appointment_reminders(at(TODAY, 17, 30)) == 0  # no longer tomorrow
    assert send_appointment_reminders(at(TOMORROW, 17, 5)) == 1


def test_one_message_for_two_children_tomorrow(gina, pat, maya, booked, leo, cora):
    Guardianship.objects.create(guardian=gina, patient=leo, relationship="mother")
    book(cora, leo, kind="ot", starts_at=at(TOMORROW, 15))
    mail.outbox.clear()
    assert send_appointment_reminders(at(TODAY, 17, 5)) == 1
    assert len(mail.outbox) == 1
    assert Appointment.objects.filter(reminded_at__isnull=True).count() == 0


def test_quiet_hours_that_end_this_evening_are_waited_for(gina, booked):
    NotificationSettings.objects.create(
        user=gina, quiet_from=at(TODAY, 16).time(), quiet_until=at(TODAY, 18).time()
    )
    assert send_appointment_reminders(at(TODAY, 17, 5)) == 0
    booked.refresh_from_db()
    assert booked.reminded_at is None
    assert send_appointment_reminders(at(TODAY, 18, 5)) == 1


def test_quiet_hours_through_the_night_are_not_woken(gina, otto, leo, cora, booked, pat, maya):
    # Gina is quiet from 16:00 to 8:00; Maya's other guardian, Otto here, still hears.
    Guardianship.objects.create(guardian=otto, patient=maya, relationship="father")
    NotificationSettings.objects.create(
        user=gina, quiet_from=at(TODAY, 16).time(), quiet_until=at(TODAY, 8).time()
    )
    mail.outbox.clear()
    assert send_appointment_reminders(at(TODAY, 17, 5)) == 1
    assert [m.to for m in mail.outbox] == [[otto.email]]


def test_a_refused_reminder_is_tried_again(gina, booked, settings):
    settings.EMAIL_BACKEND = "tests.appointments.test_reminders.RefusingBackend"
    assert send_appointment_reminders(at(TODAY, 17, 5)) == 0
    booked.refresh_from_db()
    assert booked.reminded_at is None
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert send_appointment_reminders(at(TODAY, 17, 15)) == 1


class RefusingBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("the mail server is down")


def test_tomorrow_is_the_clinics_on_the_day_the_clocks_go_back(gina, pat, maya, episode):
    # Saturday 31 October 2026, 17:05 in New York; Sunday 1 November has 25 hours.
    saturday = date(2026, 10, 31)
    late = book(pat, maya, starts_at=at(saturday + timedelta(days=1), 23, 30))
    monday = book(pat, maya, starts_at=at(saturday + timedelta(days=2), 0, 30))
    assert send_appointment_reminders(at(saturday, 17, 5)) == 1
    late.refresh_from_db()
    monday.refresh_from_db()
    assert late.reminded_at is not None and monday.reminded_at is None


def test_tomorrow_is_the_clinics_on_the_day_the_clocks_go_forward(gina, pat, maya, episode):
    # Saturday 13 March 2027; Sunday 14 March has 23 hours in New York.
    saturday = date(2027, 3, 13)
    early = book(pat, maya, starts_at=at(saturday + timedelta(days=1), 0, 15))
    late = book(pat, maya, starts_at=at(saturday + timedelta(days=1), 23, 45))
    before = book(pat, maya, starts_at=at(saturday, 23, 55))  # Saturday's own
    assert send_appointment_reminders(at(saturday, 17, 0)) == 1
    for appointment, reminded in ((early, True), (late, True), (before, False)):
        appointment.refresh_from_db()
        assert (appointment.reminded_at is not None) == reminded


def test_the_clinics_own_time_zone(gina, maya, booked, clinic):
    clinic.time_zone = "Europe/Stockholm"
    clinic.save()
    from zoneinfo import ZoneInfo

    stockholm = ZoneInfo("Europe/Stockholm")
    # 17:05 in New York is already 23:05 in Stockholm: Maya's 9:00 New York appointment falls on
    # Stockholm's tomorrow at 15:00.
    assert booked.starts_at.astimezone(stockholm).date() == TOMORROW
    assert send_appointment_reminders(at(TODAY, 16, 59, zone=stockholm)) == 0
    assert send_appointment_reminders(at(TODAY, 17, 1, zone=stockholm)) == 1


def test_the_sweep_costs_the_same_queries_for_one_family_or_many(gina, pat, cora, clinic, booked):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from backto.access.patients import actions as patients
    from tests.conftest import make_user, years_ago

    def sweep(day):
        with CaptureQueriesContext(connection) as captured:
            reached = send_appointment_reminders(at(day, 17, 5))
        return reached, len(captured)

    one = sweep(TODAY)
    for n in range(4):
        child = patients.patient_register(
            by=cora, clinic=clinic, legal_name=f"Child {n}", date_of_birth=years_ago(9)
        )
        patients.episode_open(by=cora, patient=child, referral_date=TODAY)
        parent = make_user(clinic, f"parent{n}", kind="guardian")
        Guardianship.objects.create(guardian=parent, patient=child, relationship="mother")
        book(cora, child, starts_at=at(TOMORROW + timedelta(days=1), 10 + n))
    book(pat, booked.patient, starts_at=at(TOMORROW + timedelta(days=1), 8))
    many = sweep(TOMORROW)
    assert (one[0], many[0]) == (1, 5)
    assert many[1] == one[1]


def test_in_spanish_the_teen_is_told_abre_and_her_mother_abra(gina, maya_teen, booked):
    from tests.conftest import spanish

    spanish(gina)
    spanish(maya_teen)
    mail.outbox.clear()
    assert send_appointment_reminders(at(TODAY, 17, 5)) == 2
    bodies = {m.to[0]: m.body for m in mail.outbox}
    assert bodies[maya_teen.email].startswith("Abre BackTo para ver la hora y el lugar.")
    assert bodies[gina.email].startswith("Abra BackTo para ver la hora y el lugar.")

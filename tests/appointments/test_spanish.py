"""Appointments in Spanish: the family's week and home, the calendar page, and the calendar feed
in its owner's language (a calendar fetches it without signing in), while an English reader's
stay English; the day-before reminder in each reader's language."""

from datetime import datetime, time

from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from tests.appointments.conftest import book
from tests.conftest import TODAY, spanish


def _feed(client):
    address = client.post(reverse("calendar_feed_reset")).context["address"]
    path = "/" + address.split("://", 1)[1].split("/", 1)[1]
    # A calendar app asking in English: the feed still speaks its owner's language.
    response = Client(HTTP_ACCEPT_LANGUAGE="en-US").get(path)
    assert response.status_code == 200
    return Calendar.from_ical(response.content)


def test_a_spanish_parent_reads_the_week_in_spanish(as_user, gina, booked):
    spanish(gina)
    page = as_user(gina).get(reverse("family_week")).content.decode()
    assert '<html lang="es"' in page
    assert "La semana" in page and "Esta semana" in page and "La próxima semana" in page
    assert "fisioterapia con " in page  # "miércoles 9:00, fisioterapia con Pat, Room 2"
    assert "Physical therapy" not in page and "physical therapy" not in page
    assert "Poner estas citas en el calendario de su teléfono" in page


def test_a_spanish_parent_sees_this_weeks_appointments_on_the_home_in_spanish(
    as_user, gina, booked
):
    spanish(gina)
    home = as_user(gina).get(reverse("family_home")).content.decode()
    assert "fisioterapia con" in home and "Ver las citas de la semana" in home


def test_the_calendar_page_is_in_spanish(as_user, gina, booked):
    spanish(gina)
    client = as_user(gina)
    page = client.get(reverse("calendar_feed")).content.decode()
    assert "Las citas en su calendario" in page and "Obtener una dirección de calendario" in page
    made = client.post(reverse("calendar_feed_reset")).content.decode()
    assert "Cópiela ahora: BackTo la muestra solo esta vez." in made


def test_the_feed_speaks_its_owners_language(as_user, gina, otto, cora, leo, booked):
    spanish(gina)
    book(cora, leo, kind="counseling")
    in_spanish, english = _feed(as_user(gina)), _feed(as_user(otto))
    [event] = in_spanish.walk("VEVENT")
    assert str(event["SUMMARY"]) == "Fisioterapia (BackTo)"
    assert str(event["DESCRIPTION"]).startswith("Los detalles están en BackTo: ")
    assert str(in_spanish["X-WR-CALNAME"]) == "Citas de BackTo"
    [event] = english.walk("VEVENT")
    assert str(event["SUMMARY"]) == "Counseling (BackTo)"
    assert str(event["DESCRIPTION"]).startswith("Details in BackTo: ")


def test_the_day_before_reminder_is_in_each_readers_language(gina, otto, cora, leo, booked):
    from backto.capabilities.appointments.reminders import send_appointment_reminders

    spanish(gina)
    book(cora, leo)
    mail.outbox.clear()
    evening = datetime.combine(TODAY, time(17, 30), timezone.get_current_timezone())
    assert send_appointment_reminders(evening) == 2
    subjects = {m.to[0]: m.subject for m in mail.outbox}
    assert subjects == {gina.email: "Una cita mañana", otto.email: "An appointment tomorrow"}


def test_an_english_parent_still_reads_english(as_user, gina, booked):
    page = as_user(gina).get(reverse("family_week")).content.decode()
    assert "This week" in page and "physical therapy with" in page


def test_a_cancelled_appointment_says_so_in_spanish(as_user, gina, pat, booked):
    from backto.capabilities.appointments.actions import appointment_status_set

    appointment_status_set(by=pat, appointment=booked, status="cancelled")
    spanish(gina)
    page = as_user(gina).get(reverse("family_week")).content.decode()
    assert "(cancelada)" in page


def test_a_status_the_page_never_sends_is_refused_naming_every_status():
    from backto.capabilities.appointments.forms import StatusField
    from backto.capabilities.appointments.models import AppointmentStatus

    assert str(StatusField.problem).endswith(": " + ", ".join(AppointmentStatus.values) + ".")

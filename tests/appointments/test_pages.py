"""The appointment pages: a child's list with the book, change and status forms; the clinician's
week (Monday to Sunday, in the clinic's time zone, across a daylight-saving change); the
coordinator's view of anyone's week; the family's week and "This week" on their home."""

from datetime import date, timedelta

from django.urls import reverse

from backto.audit.models import Action
from backto.capabilities.appointments.actions import appointment_status_set
from backto.capabilities.appointments.models import Appointment
from backto.capabilities.appointments.queries import monday_of
from tests.appointments.conftest import NEW_YORK, at, book
from tests.conftest import TODAY, audited

TOMORROW = TODAY + timedelta(days=1)


def booking(**extra):
    data = {
        "kind": "pt",
        "day": TOMORROW.isoformat(),
        "start": "09:00",
        "minutes": "45",
        "clinician": "",
        "place": "Room 2",
        "video_link": "",
        "note_for_family": "",
        "weeks": "1",
    }
    data.update(extra)
    return data


def test_the_care_team_books_from_the_childs_page(as_user, pat, maya, episode):
    client = as_user(pat)
    page = client.get(reverse("appointments", args=[maya.pk]))
    assert page.status_code == 200 and b"Book an appointment" in page.content
    answer = client.post(
        reverse("appointment_book", args=[maya.pk]), booking(clinician=str(pat.pk))
    )
    assert answer.status_code == 302
    appointment = Appointment.objects.get()
    assert appointment.starts_at == at(TOMORROW, 9) and appointment.clinician == pat
    listed = client.get(reverse("appointments", args=[maya.pk])).content.decode()
    assert "physical therapy with Pat PT, Room 2" in listed


def test_a_weekly_booking_from_the_page(as_user, pat, maya, episode):
    as_user(pat).post(reverse("appointment_book", args=[maya.pk]), booking(weeks="4"))
    assert Appointment.objects.count() == 4


def test_bad_input_is_named_and_nothing_is_written(as_user, pat, maya, episode):
    answer = as_user(pat).post(
        reverse("appointment_book", args=[maya.pk]),
        booking(video_link="http://meet.example.org/x", minutes="0"),
    )
    assert answer.status_code == 400
    text = answer.content.decode()
    assert "https://" in text and "5 to 480 minutes" in text
    assert not Appointment.objects.exists()


def test_a_time_the_clocks_skip_is_refused(as_user, pat, maya, episode):
    answer = as_user(pat).post(
        reverse("appointment_book", args=[maya.pk]),
        booking(day="2027-03-14", start="02:30"),  # New York springs forward at 2:00
    )
    assert answer.status_code == 400 and b"skip this time" in answer.content
    assert not Appointment.objects.exists()


def test_a_change_moves_the_appointment(as_user, pat, maya, booked):
    data = booking(start="10:15", place="Gym", note_for_family="Shorts")
    data.pop("weeks")
    data.pop("kind")
    data["appointment"] = str(booked.pk)
    answer = as_user(pat).post(reverse("appointment_change", args=[maya.pk]), data)
    assert answer.status_code == 302
    booked.refresh_from_db()
    assert booked.starts_at == at(TOMORROW, 10, 15) and booked.place == "Gym"
    assert booked.sequence == 1


def test_a_change_to_another_childs_appointment_is_404(as_user, pat, maya, booked, leo, cora):
    data = booking()
    data["appointment"] = str(booked.pk)
    answer = as_user(cora).post(reverse("appointment_change", args=[leo.pk]), data)
    assert answer.status_code == 404


def test_an_appointment_id_that_is_not_a_number_is_a_400(as_user, pat, maya, booked):
    answer = as_user(pat).post(
        reverse("appointment_status", args=[maya.pk]),
        {"appointment": "x", "status": "cancelled"},
    )
    assert answer.status_code == 400 and "appointment" in answer.content.decode()


def test_the_status_buttons(as_user, pat, maya, booked):
    client = as_user(pat)
    client.post(
        reverse("appointment_status", args=[maya.pk]),
        {"appointment": str(booked.pk), "status": "cancelled"},
    )
    booked.refresh_from_db()
    assert booked.status == "cancelled"
    page = client.get(reverse("appointments", args=[maya.pk])).content.decode()
    assert "(cancelled)" in page and "Book again" in page


def test_who_sees_the_page(as_user, maya, booked, olive, elsa, gina, ada):
    url = reverse("appointments", args=[maya.pk])
    assert as_user(olive).get(url).status_code == 404  # not on the care team
    assert as_user(elsa).get(url).status_code == 404  # another clinic
    family = as_user(gina).get(url)
    assert family.status_code == 200 and b"Book an appointment" not in family.content
    admin = as_user(ada).get(url)
    assert admin.status_code == 200 and b"Book an appointment" not in admin.content
    assert (
        as_user(ada).post(reverse("appointment_book", args=[maya.pk]), booking()).status_code == 403
    )


def test_the_week_shows_local_times_across_the_clocks_change(as_user, pat, maya, episode):
    # The week of Monday 26 October 2026: New York's clocks go back at 2:00 on Sunday 1 November.
    monday = date(2026, 10, 26)
    book(pat, maya, starts_at=at(monday + timedelta(days=4), 9), clinician=pat)  # EDT
    book(pat, maya, starts_at=at(monday + timedelta(days=6), 9), clinician=pat)  # EST
    # 23:30 on the Sunday of 25 hours: still Sunday, still this week.
    book(pat, maya, starts_at=at(monday + timedelta(days=6), 23, 30), clinician=pat)
    book(pat, maya, starts_at=at(monday + timedelta(days=7), 0, 30), clinician=pat)  # next week
    page = as_user(pat).get(reverse("week"), {"start": "2026-10-28"})
    assert page.status_code == 200
    days = {d.day: d.appointments for d in page.context["days"]}
    assert list(days) == [monday + timedelta(days=n) for n in range(7)]
    shown = {
        day: [a.starts_at.astimezone(NEW_YORK).strftime("%H:%M") for a in rows]
        for day, rows in days.items()
        if rows
    }
    assert shown == {date(2026, 10, 30): ["09:00"], date(2026, 11, 1): ["09:00", "23:30"]}
    text = page.content.decode()
    assert "Sunday 1 November" in text and "9:00" in text and "23:30" in text
    assert "?start=2026-11-02" in text and "?start=2026-10-19" in text
    assert audited(Action.VIEW, object_type="page", object_id="week")


def test_a_clinician_sees_only_their_own_week(as_user, pat, olive, maya, episode):
    book(pat, maya, starts_at=at(TOMORROW, 9), clinician=pat)
    assert as_user(olive).get(reverse("week")).context["count"] == 0
    assert as_user(olive).get(reverse("week"), {"clinician": str(pat.pk)}).status_code == 403
    assert as_user(olive).get(reverse("week"), {"clinician": "all"}).status_code == 403


def test_the_coordinator_chooses_whose_week(as_user, cora, pat, olive, maya, episode):
    book(pat, maya, starts_at=at(TOMORROW, 9), clinician=pat)
    book(pat, maya, starts_at=at(TOMORROW, 11), clinician=olive)
    client = as_user(cora)
    start = {"start": TOMORROW.isoformat()}
    assert client.get(reverse("week"), {**start, "clinician": str(pat.pk)}).context["count"] == 1
    assert client.get(reverse("week"), {**start, "clinician": "all"}).context["count"] == 2
    assert client.get(reverse("week"), {"clinician": "me"}).status_code == 400
    assert client.get(reverse("week"), {"start": "2026-13-01"}).status_code == 400


def test_a_child_outside_the_circle_shows_by_record_number(as_user, pat, olive, maya, episode):
    # Olive is booked with Maya but is not on her care team: no name on Olive's week.
    book(pat, maya, starts_at=at(TOMORROW, 11), clinician=olive)
    text = as_user(olive).get(reverse("week"), {"start": TOMORROW.isoformat()}).content.decode()
    assert f"record #{maya.pk}" in text and "Maya" not in text


def test_the_family_week_in_plain_words(as_user, gina, pat, maya, booked):
    book(pat, maya, kind="counseling", starts_at=at(TODAY + timedelta(days=8), 15), place="")
    page = as_user(gina).get(reverse("family_week"))
    text = page.content.decode()
    weekday = TOMORROW.strftime("%A")
    assert f"{weekday} 9:00, physical therapy with Pat PT, Room 2" in text
    assert "Bring sneakers" in text
    monday_after = monday_of(TODAY) + timedelta(days=7)
    in_view = TODAY + timedelta(days=8) < monday_after + timedelta(days=7)
    assert ("counseling" in text) == in_view
    assert audited(Action.VIEW, object_type="page", object_id="family_week")
    assert as_user(gina).get(reverse("week")).status_code == 302  # the family's own week


def test_a_teen_sees_their_own_week(as_user, maya_teen, maya, booked, leo, pat, cora):
    text = as_user(maya_teen).get(reverse("family_week")).content.decode()
    assert "My appointments" in text and "physical therapy" in text


def test_another_family_sees_nothing_of_it(as_user, otto, booked):
    text = as_user(otto).get(reverse("family_week")).content.decode()
    assert "physical therapy" not in text and "Room 2" not in text


def test_this_week_on_the_family_home(as_user, gina, pat, maya, booked):
    cancelled = book(pat, maya, starts_at=at(TODAY + timedelta(days=2), 14), kind="ot")
    appointment_status_set(by=pat, appointment=cancelled, status="cancelled")
    book(pat, maya, starts_at=at(TODAY + timedelta(days=9), 9), kind="counseling")
    text = as_user(gina).get(reverse("family_home")).content.decode()
    assert "This week" in text
    assert f"{TOMORROW.strftime('%A')} 9:00, physical therapy with Pat PT, Room 2" in text
    assert "occupational therapy, Room 2 (cancelled)" in text
    assert "counseling" not in text  # more than a week ahead


def test_the_childs_overview_shows_the_next_appointments(as_user, pat, gina, maya, booked):
    staff = as_user(pat).get(reverse("patient_overview", args=[maya.pk])).content.decode()
    assert "Next appointments" in staff
    assert "9:00, physical therapy with Pat PT, Room 2" in staff
    assert reverse("appointments", args=[maya.pk]) in staff
    family = as_user(gina).get(reverse("patient_overview", args=[maya.pk])).content.decode()
    assert "Next appointments" in family and reverse("family_week") in family

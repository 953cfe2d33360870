"""A session recorded from the appointment it took place in: the form offers the child's recent
therapy appointments, choosing one fills the session in and marks the appointment as taken
place (or not come) in the same transaction; attendance by discipline follows from the
schedule, and appointments that took place without a note are a to-do."""

from datetime import datetime, time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from backto.access.patients.actions import care_team_add
from backto.capabilities.appointments.actions import appointment_book, appointment_status_set
from backto.capabilities.appointments.models import Appointment
from backto.capabilities.careplan import actions
from backto.capabilities.careplan.attendance import (
    appointments_to_record,
    schedule_attendance,
    took_place_without_note,
)
from backto.capabilities.careplan.models import TherapySession
from tests.conftest import PINNED_AT, TODAY, ZONE, audited, make_user


def at(day, hour=10, minute=0):
    return datetime.combine(day, time(hour, minute), tzinfo=ZONE)


@pytest.fixture
def book(cora, maya, active):
    def book(day=TODAY - timedelta(days=1), kind="pt", hour=10, minutes=45, clinician=None, **kw):
        return appointment_book(
            by=cora,
            patient=maya,
            kind=kind,
            starts_at=at(day, hour),
            minutes=minutes,
            clinician=clinician,
            **kw,
        )

    return book


def test_recording_from_an_appointment_fills_the_session_and_marks_it_taken_place(
    as_user, pat, olive, active, book
):
    appointment = book(clinician=olive, minutes=45)
    response = as_user(pat).post(
        reverse("session_list", args=[active.pk]),
        {"appointment": str(appointment.pk), "attended": "on", "subjective": "Stairs"},
    )
    session = TherapySession.objects.get()
    assert response["Location"] == reverse("session_detail", args=[session.pk])
    assert (session.date, session.discipline, session.minutes) == (
        TODAY - timedelta(days=1),
        "pt",
        45,
    )
    assert session.clinician == olive  # the appointment's clinician, not who typed it
    assert session.appointment == appointment
    appointment.refresh_from_db()
    assert appointment.status == "attended"
    assert audited("update", object_type="appointment", detail="status booked to attended")
    assert audited(
        "create", object_type="therapysession", detail=f"pt appointment {appointment.pk}"
    )


def test_a_session_recorded_as_not_attended_marks_the_appointment_did_not_come(pat, active, book):
    appointment = book()
    actions.session_record(by=pat, episode=active, appointment=appointment, attended=False)
    appointment.refresh_from_db()
    assert appointment.status == "missed"


def test_changing_whether_the_child_came_changes_the_appointment_too(pat, active, book):
    appointment = book()
    session = actions.session_record(by=pat, episode=active, appointment=appointment)
    actions.session_update(by=pat, session=session, attended=False)
    appointment.refresh_from_db()
    assert appointment.status == "missed"
    actions.session_update(by=pat, session=session, attended=True)
    appointment.refresh_from_db()
    assert appointment.status == "attended"


def test_an_appointment_already_marked_from_the_week_is_left_as_it_is(cora, pat, active, book):
    appointment = book()
    appointment_status_set(by=cora, appointment=appointment, status="attended")
    actions.session_record(by=pat, episode=active, appointment=appointment)
    appointment.refresh_from_db()
    assert appointment.status == "attended" and appointment.session.pk


def test_the_form_offers_only_recent_started_therapy_appointments_without_a_session(
    cora, pat, maya, leo, active, book
):
    wanted = book(TODAY - timedelta(days=2), kind="ot")
    book(TODAY - timedelta(days=20))  # too long ago
    book(TODAY + timedelta(days=1))  # not started
    book(kind="physician")  # not a therapy
    cancelled = book(hour=13)
    appointment_status_set(by=cora, appointment=cancelled, status="cancelled")
    recorded = book(hour=15)
    actions.session_record(by=pat, episode=active, appointment=recorded)
    assert [a.pk for a in appointments_to_record(active, now=PINNED_AT)] == [wanted.pk]


def test_a_discipline_other_than_the_appointments_is_refused_naming_the_field(
    as_user, pat, active, book
):
    appointment = book(kind="counseling")
    response = as_user(pat).post(
        reverse("session_list", args=[active.pk]),
        {"appointment": str(appointment.pk), "discipline": "pt", "attended": "on"},
    )
    assert response.status_code == 200
    assert "The appointment is counseling" in response.content.decode()
    assert not TherapySession.objects.exists()
    appointment.refresh_from_db()
    assert appointment.status == "booked"  # nothing half-written


def test_another_day_than_the_appointments_is_refused(pat, active, book):
    appointment = book()
    with pytest.raises(Exception, match="record its session on that day"):
        actions.session_record(by=pat, episode=active, appointment=appointment, date=TODAY)
    assert not TherapySession.objects.exists()


def test_an_appointment_takes_one_session(pat, active, book):
    appointment = book()
    actions.session_record(by=pat, episode=active, appointment=appointment)
    with pytest.raises(Exception, match="already recorded for this appointment"):
        actions.session_record(by=pat, episode=active, appointment=appointment)
    assert TherapySession.objects.count() == 1


def test_another_childs_appointment_is_not_offered_nor_taken(as_user, cora, pat, leo, active):
    other = Appointment.objects.create(
        patient=leo, kind="pt", starts_at=at(TODAY - timedelta(days=1)), minutes=30, created_by=cora
    )
    response = as_user(pat).post(
        reverse("session_list", args=[active.pk]),
        {"appointment": str(other.pk), "attended": "on"},
    )
    assert "Select a valid choice" in response.content.decode()
    assert not TherapySession.objects.exists()


def test_a_session_outside_the_schedule_needs_its_day_discipline_and_minutes(as_user, pat, active):
    client = as_user(pat)
    url = reverse("session_list", args=[active.pk])
    response = client.post(url, {"attended": "on", "discipline": "pt", "minutes": "40"})
    assert "choose the appointment it took place in" in response.content.decode()
    assert not TherapySession.objects.exists()
    client.post(
        url, {"date": TODAY.isoformat(), "discipline": "pt", "minutes": "40", "attended": "on"}
    )
    assert TherapySession.objects.get().appointment is None


def test_a_link_from_the_to_do_starts_the_form_from_its_appointment(as_user, pat, active, book):
    appointment = book(minutes=50)
    client = as_user(pat)
    url = reverse("session_list", args=[active.pk])
    page = client.get(url, {"appointment": appointment.pk}).content.decode()
    assert f'value="{appointment.pk}"' in page and 'value="50"' in page
    assert 'data-minutes="50"' in page  # what the script copies when another one is chosen
    assert client.get(url, {"appointment": "1; drop"}).status_code == 400


def test_attendance_by_discipline_and_the_appointments_without_a_note(
    as_user, cora, pat, active, book
):
    took = book(TODAY - timedelta(days=3))
    noted = book(TODAY - timedelta(days=2))
    missed = book(TODAY - timedelta(days=2), kind="counseling")
    off = book(TODAY - timedelta(days=1), kind="counseling")
    book(TODAY + timedelta(days=2))
    book(TODAY - timedelta(days=1), hour=14)  # started, not marked
    appointment_status_set(by=cora, appointment=took, status="attended")
    actions.session_record(by=pat, episode=active, appointment=noted)
    appointment_status_set(by=cora, appointment=missed, status="missed")
    appointment_status_set(by=cora, appointment=off, status="cancelled")

    rows = {row.kind: row for row in schedule_attendance(active, now=PINNED_AT)}
    pt, counseling = rows["pt"], rows["counseling"]
    assert (pt.so_far, pt.took_place, pt.did_not_come, pt.not_marked, pt.coming) == (3, 2, 0, 1, 1)
    assert pt.rate == 100 and pt.without_note == 1
    assert (counseling.did_not_come, counseling.cancelled, counseling.rate) == (1, 1, 0)
    assert [a.pk for a in took_place_without_note(active)] == [took.pk]

    page = as_user(pat).get(reverse("care_plan", args=[active.pk])).content.decode()
    assert "appointments that took place without a session note" in page
    assert f"?appointment={took.pk}" in page


def test_the_care_plan_page_asks_the_same_queries_however_many_appointments(
    as_user, cora, pat, active, book
):
    client = as_user(pat)
    url = reverse("care_plan", args=[active.pk])

    def add(n, start):
        for k in range(n):
            a = book(TODAY - timedelta(days=1 + (start + k) % 10), hour=8 + (start + k) // 10)
            appointment_status_set(by=cora, appointment=a, status="attended")

    add(2, 0)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    add(12, 2)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


def test_the_sessions_page_asks_the_same_queries_however_many_appointments(
    as_user, pat, olive, active, book
):
    client = as_user(pat)
    url = reverse("session_list", args=[active.pk])
    book(clinician=olive)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for k in range(8):
        book(TODAY - timedelta(days=1 + k), hour=12, clinician=olive)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


def test_a_counselor_records_from_her_counseling_appointment(clinic, cora, active, book):
    connie = make_user(clinic, "connie", roles=("counselor",))
    care_team_add(by=cora, episode=active, clinician=connie, discipline="counseling")
    appointment = book(kind="counseling", clinician=connie, minutes=50)
    session = actions.session_record(by=connie, episode=active, appointment=appointment)
    assert (session.discipline, session.minutes, session.clinician) == ("counseling", 50, connie)
    assert actions.session_sign(by=connie, session=session).is_signed


def test_a_clinicians_home_lists_their_appointments_without_a_note(
    as_user, cora, pat, olive, active, book
):
    took = book(TODAY - timedelta(days=2), clinician=pat)
    noted = book(TODAY - timedelta(days=1), clinician=pat)
    theirs = book(TODAY - timedelta(days=1), hour=14, clinician=olive)
    for appointment in (took, noted, theirs):
        appointment_status_set(by=cora, appointment=appointment, status="attended")
    actions.session_record(by=pat, episode=active, appointment=noted)
    client = as_user(pat)
    page = client.get(reverse("clinician_home")).content.decode()
    assert "Session notes to write (1)" in page
    assert f"{reverse('session_list', args=[active.pk])}?appointment={took.pk}" in page
    assert f"appointment={theirs.pk}" not in page

    with CaptureQueriesContext(connection) as few:
        client.get(reverse("clinician_home"))
    for k in range(6):
        a = book(TODAY - timedelta(days=3 + k), clinician=pat)
        appointment_status_set(by=cora, appointment=a, status="attended")
    with CaptureQueriesContext(connection) as many:
        page = client.get(reverse("clinician_home")).content.decode()
    assert "Session notes to write (7)" in page
    assert len(many) == len(few)


def test_the_progress_page_partial_shows_the_schedule_beside_the_dose(cora, pat, active, book):
    from django.template.loader import render_to_string

    from backto.capabilities.careplan.queries import program_dose

    assert (
        render_to_string(
            "careplan/_schedule_attendance.html", {"dose": program_dose(active)}
        ).strip()
        == ""
    )
    appointment = book()
    appointment_status_set(by=cora, appointment=appointment, status="attended")
    dose = program_dose(active)
    assert dose.without_note == 1 and dose.schedule[0].took_place == 1
    html = render_to_string("careplan/_schedule_attendance.html", {"dose": dose})
    assert "Physical therapy" in html and "1 took place without a session note." in html


def test_an_appointment_of_another_childs_program_is_refused_by_the_action(cora, pat, leo, active):
    from backto.access.patients.actions import episode_open

    other = episode_open(by=cora, patient=leo, referral_date=TODAY)
    appointment = appointment_book(
        by=cora,
        patient=leo,
        episode=other,
        kind="pt",
        starts_at=at(TODAY - timedelta(days=1)),
        minutes=30,
    )
    with pytest.raises(Exception, match="this child's appointments in this program"):
        actions.session_record(by=pat, episode=active, appointment=appointment)
    appointment.refresh_from_db()
    assert appointment.status == "booked" and not TherapySession.objects.exists()


def test_without_javascript_choosing_an_appointment_leaves_its_day_to_it(
    as_user, pat, active, book
):
    appointment = book(TODAY - timedelta(days=3), minutes=40)
    client = as_user(pat)
    url = reverse("session_list", args=[active.pk])
    form = client.get(url).context["form"]
    assert form["date"].value() in (None, "") and form["minutes"].value() in (None, "")
    # The form as a browser without JavaScript sends it: the empty fields, one radio chosen.
    client.post(
        url,
        {"appointment": str(appointment.pk), "date": "", "discipline": "", "minutes": ""},
    )
    session = TherapySession.objects.get()
    assert (session.date, session.minutes) == (TODAY - timedelta(days=3), 40)
    assert not session.attended  # the box left unticked: did not come
    appointment.refresh_from_db()
    assert appointment.status == "missed"

"""Booking, moving and recording appointments: who may, what is refused (each field named),
all-or-nothing for a weekly series, a change raising the calendar's SEQUENCE, every write
audited."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from backto.audit.models import Action, AuditEvent
from backto.capabilities.appointments.actions import (
    appointment_book_weekly,
    appointment_change,
    appointment_status_set,
)
from backto.capabilities.appointments.models import Appointment
from tests.appointments.conftest import NEW_YORK, at, book
from tests.conftest import TODAY, audited


def test_a_booking_is_in_the_childs_open_episode_and_audited(booked, episode, pat):
    assert booked.episode == episode
    assert booked.status == "booked" and booked.sequence == 0
    assert booked.created_by == pat
    assert audited(Action.CREATE, object_type="appointment", patient_id=booked.patient_id)


def test_a_booking_names_each_field_that_is_not_right(pat, maya, episode, elsa, gina):
    with pytest.raises(ValidationError) as refused:
        book(
            pat,
            maya,
            kind="yoga",
            minutes=600,
            video_link="http://meet.example.org/room",
            clinician=elsa,
        )
    errors = refused.value.message_dict
    assert set(errors) == {"kind", "minutes", "video_link", "clinician"}
    assert "https://" in errors["video_link"][0]
    with pytest.raises(ValidationError) as refused:
        book(pat, maya, clinician=gina)  # a parent is not a clinician
    assert "clinician" in refused.value.message_dict
    assert not Appointment.objects.exists()


def test_a_video_visit_takes_an_https_link(pat, maya, episode):
    visit = book(pat, maya, place="", video_link="https://meet.example.org/backto-17")
    assert visit.video_link == "https://meet.example.org/backto-17"


def test_only_the_care_team_books(maya, episode, olive, gina, ada, pat):
    for outsider in (olive, gina, ada):  # off the team, a parent, the clinic admin
        with pytest.raises(PermissionDenied):
            book(outsider, maya)
    assert not Appointment.objects.exists()


def test_a_weekly_series_keeps_its_local_time_across_the_clocks_change(pat, maya, episode):
    # Thursdays from 22 October 2026; New York's clocks go back on 1 November.
    first = at(TODAY.replace(year=2026, month=10, day=22), 16)
    series = appointment_book_weekly(
        by=pat, patient=maya, kind="ot", starts_at=first, minutes=60, weeks=3, place="OT gym"
    )
    assert [a.starts_at.astimezone(NEW_YORK).hour for a in series] == [16, 16, 16]
    offsets = [a.starts_at.astimezone(NEW_YORK).utcoffset() for a in series]
    assert offsets[0] != offsets[2]  # summer time, then standard time


def test_a_weekly_series_is_all_or_nothing(pat, maya, episode):
    with pytest.raises(ValidationError):
        appointment_book_weekly(
            by=pat, patient=maya, kind="pt", starts_at=at(TODAY, 9), minutes=45, weeks=27
        )
    with pytest.raises(ValidationError):
        appointment_book_weekly(
            by=pat, patient=maya, kind="pt", starts_at=at(TODAY, 9), minutes=4, weeks=3
        )
    assert not Appointment.objects.exists()


def test_moving_an_appointment_raises_its_sequence_and_asks_for_a_new_reminder(booked, pat):
    Appointment.objects.filter(pk=booked.pk).update(reminded_at=booked.starts_at)
    moved = appointment_change(
        by=pat, appointment=booked, starts_at=booked.starts_at + timedelta(days=1), place="Gym"
    )
    assert moved.sequence == 1 and moved.reminded_at is None and moved.place == "Gym"
    event = AuditEvent.objects.filter(action=Action.UPDATE, object_type="appointment").last()
    assert event is not None and event.detail == "changed starts_at place"
    same = appointment_change(by=pat, appointment=moved, place="Gym")
    assert same.sequence == 1  # nothing changed, nothing written


def test_a_change_is_checked_like_a_booking(booked, pat, elsa):
    with pytest.raises(ValidationError) as refused:
        appointment_change(by=pat, appointment=booked, video_link="ftp://x.example", clinician=elsa)
    assert set(refused.value.message_dict) == {"video_link", "clinician"}


def test_statuses_follow_their_table(booked, pat, clock):
    with pytest.raises(ValidationError) as refused:  # tomorrow's has not taken place yet
        appointment_status_set(by=pat, appointment=booked, status="attended")
    assert "once its time has come" in refused.value.messages[0]
    cancelled = appointment_status_set(by=pat, appointment=booked, status="cancelled")
    assert cancelled.status == "cancelled" and cancelled.sequence == 1
    with pytest.raises(ValidationError):
        appointment_status_set(by=pat, appointment=cancelled, status="missed")
    with pytest.raises(ValidationError):  # a cancelled one is booked again before it moves
        appointment_change(by=pat, appointment=cancelled, place="Gym")
    again = appointment_status_set(by=pat, appointment=cancelled, status="booked")
    assert again.status == "booked" and again.sequence == 2
    clock.shift(timedelta(days=2))
    done = appointment_status_set(by=pat, appointment=again, status="attended")
    assert done.status == "attended"
    assert AuditEvent.objects.filter(
        action=Action.UPDATE, object_type="appointment", detail="status booked to attended"
    ).exists()

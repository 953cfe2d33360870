"""Applying a template week to a child's program: the preview lists every appointment it will
book (clinicians from the care team, the length from the care plan's link), booking books them
all or none, an overlap with a booked appointment is refused naming its day and time, and the
times stay the clinic's wall-clock times across a daylight-saving change."""

from datetime import UTC, date, time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from backto.access.patients.actions import care_team_add
from backto.capabilities.appointments.models import Appointment
from backto.capabilities.appointments.timetable_actions import (
    SlotData,
    timetable_apply,
    timetable_save,
)
from tests.appointments.conftest import NEW_YORK, at, book
from tests.conftest import TODAY, audited, make_user

MONDAY = TODAY + timedelta(days=7 - TODAY.weekday())  # next Monday


WEEK = ((0, "09:00", 60, "pt"), (0, "11:00", 45, "ot"), (3, "14:00", 50, "counseling"))


def week(cora, rows=WEEK, name="Intensive"):
    return timetable_save(
        by=cora,
        clinic=cora.clinic,
        name=name,
        slots=[
            SlotData(weekday=w, start=time.fromisoformat(s), minutes=m, kind=k, place="Gym")
            for w, s, m, k in rows
        ],
    )


@pytest.fixture
def otto_ot(clinic, cora, active):
    ot = make_user(clinic, "oona", roles=("occupational_therapist",), display_name="Oona OT")
    care_team_add(by=cora, episode=active, clinician=ot, discipline="ot")
    return ot


def choices(timetable, first=MONDAY, weeks=2, **clinicians):
    data = {"timetable": str(timetable.pk), "first_monday": first.isoformat(), "weeks": str(weeks)}
    data.update({f"clinician_{k}": str(u.pk) for k, u in clinicians.items()})
    return data


def test_the_form_starts_from_the_care_team_and_the_care_plans_weeks(
    as_user, cora, pat, otto_ot, active
):
    week(cora)
    page = as_user(cora).get(reverse("timetable_apply", args=[active.pk]), {"weeks": "3"})
    form = page.context["form"]
    assert form.initial["weeks"] == 3
    assert form.initial["first_monday"] == MONDAY
    assert form.initial["clinician_pt"] == pat.pk and form.initial["clinician_ot"] == otto_ot.pk
    assert (
        as_user(cora).get(reverse("timetable_apply", args=[active.pk]), {"weeks": "x"}).status_code
        == 400
    )


def test_the_care_plan_of_an_intensive_program_links_with_its_weeks(as_user, cora, pat, active):
    from backto.capabilities.careplan.actions import (
        care_plan_activate,
        care_plan_draft,
        care_plan_update,
    )

    plan = care_plan_draft(by=pat, episode=active)
    care_plan_update(
        by=pat, plan=plan, doses={"pt": (5, 60, pat)}, setting="intensive", program_weeks=3
    )
    care_plan_activate(by=pat, plan=plan)
    page = as_user(cora).get(reverse("care_plan", args=[active.pk])).content.decode()
    assert reverse("timetable_apply", args=[active.pk]) + "?weeks=3" in page
    assert (
        "timetable_apply"
        not in as_user(pat).get(reverse("care_plan", args=[active.pk])).content.decode()
    )


def test_the_preview_lists_every_appointment_and_books_nothing(as_user, cora, pat, active):
    timetable = week(cora)
    page = as_user(cora).get(
        reverse("timetable_apply", args=[active.pk]), choices(timetable, pt=pat)
    )
    planned = page.context["planned"]
    assert len(planned) == 6 and not page.context["problems"]
    assert [p.starts_at for p in planned[:3]] == [
        at(MONDAY, 9),
        at(MONDAY, 11),
        at(MONDAY + timedelta(days=3), 14),
    ]
    assert planned[0].clinician == pat and planned[1].clinician is None
    assert "Book these 6 appointments" in page.content.decode()
    assert not Appointment.objects.exists()


def test_booking_books_them_all_in_the_program(as_user, cora, pat, otto_ot, maya, active):
    timetable = week(cora)
    answer = as_user(cora).post(
        reverse("timetable_apply", args=[active.pk]),
        choices(timetable, weeks=3, pt=pat, ot=otto_ot),
    )
    assert answer["Location"] == reverse("patient_overview", args=[maya.pk])
    booked = list(Appointment.objects.order_by("starts_at"))
    assert len(booked) == 9
    assert {(a.episode_id, a.timetable_id, a.status) for a in booked} == {
        (active.pk, timetable.pk, "booked")
    }
    assert [a.clinician for a in booked[:2]] == [pat, otto_ot]
    assert booked[-1].starts_at == at(MONDAY + timedelta(weeks=2, days=3), 14)
    assert audited(
        "create",
        object_type="timetabletemplate",
        patient_id=maya.pk,
        detail=f"applied to episode {active.pk}: 9 appointments from {MONDAY:%Y-%m-%d}, 3 weeks",
    )


def test_an_overlap_is_refused_naming_the_day_and_time_and_nothing_is_booked(
    as_user, cora, pat, maya, active
):
    timetable = week(cora)
    thursday = MONDAY + timedelta(weeks=1, days=3)
    book(pat, maya, kind="physician", starts_at=at(thursday, 13, 30), minutes=60)
    client = as_user(cora)
    preview = client.get(reverse("timetable_apply", args=[active.pk]), choices(timetable))
    text = preview.content.decode()
    expected = f"{thursday:%A %-d %B} at 14:00: counseling would overlap the physician visit"
    assert expected in text and "Book these" not in text
    answer = client.post(reverse("timetable_apply", args=[active.pk]), choices(timetable))
    assert expected in answer.content.decode() and "Nothing was booked." in answer.content.decode()
    assert Appointment.objects.count() == 1


def test_a_cancelled_appointment_is_no_overlap(cora, pat, maya, active):
    from backto.capabilities.appointments.actions import appointment_status_set

    timetable = week(cora)
    other = book(pat, maya, starts_at=at(MONDAY, 9), minutes=30)
    appointment_status_set(by=pat, appointment=other, status="cancelled")
    booked = timetable_apply(
        by=cora, episode=active, timetable=timetable, first_monday=MONDAY, weeks=1, clinicians={}
    )
    assert len(booked) == 3


def test_the_wall_clock_time_holds_across_the_autumn_clock_change(cora, active):
    timetable = week(cora, rows=((0, "09:00", 60, "pt"),))
    before = date(2026, 10, 26)  # New York's clocks go back on Sunday 1 November
    booked = timetable_apply(
        by=cora, episode=active, timetable=timetable, first_monday=before, weeks=2, clinicians={}
    )
    local = [a.starts_at.astimezone(NEW_YORK) for a in booked]
    assert [t.time() for t in local] == [time(9), time(9)]
    utc = [a.starts_at.astimezone(UTC) for a in booked]
    assert [t.hour for t in utc] == [13, 14]  # 9:00 EDT, then 9:00 EST
    assert utc[1] - utc[0] == timedelta(days=7, hours=1)


def test_a_time_the_clocks_skip_is_refused(as_user, cora, active):
    timetable = week(cora, rows=((6, "02:30", 60, "pt"),))  # Sunday 14 March 2027, 2:30
    answer = as_user(cora).post(
        reverse("timetable_apply", args=[active.pk]),
        choices(timetable, first=date(2027, 3, 8), weeks=1),
    )
    assert "02:30 does not exist on Sunday 14 March 2027" in answer.content.decode()
    assert not Appointment.objects.exists()


def test_bad_choices_are_named_by_field(as_user, cora, active):
    timetable = week(cora)
    answer = as_user(cora).post(
        reverse("timetable_apply", args=[active.pk]),
        choices(timetable, first=MONDAY + timedelta(days=1), weeks=40),
    )
    text = answer.content.decode()
    assert "is not a Monday: choose a Monday." in text
    assert "Ensure this value is less than or equal to 26." in text
    assert not Appointment.objects.exists()


def test_a_deactivated_week_is_not_offered(as_user, cora, active):
    from backto.capabilities.appointments.timetable_actions import timetable_set_active

    timetable = week(cora)
    timetable_set_active(by=cora, timetable=timetable, active=False)
    answer = as_user(cora).post(reverse("timetable_apply", args=[active.pk]), choices(timetable))
    assert "The clinic has no active template week yet" in answer.content.decode()
    assert not Appointment.objects.exists()
    week(cora, rows=((1, "10:00", 30, "ot"),), name="Another")
    answer = as_user(cora).post(reverse("timetable_apply", args=[active.pk]), choices(timetable))
    assert "Select a valid choice" in answer.content.decode()
    assert not Appointment.objects.exists()


def test_who_may_apply_a_template_week(as_user, cora, pat, olive, gina, active):
    timetable = week(cora)
    url = reverse("timetable_apply", args=[active.pk])
    assert as_user(pat).get(url).status_code == 403  # on the care team, not a coordinator
    assert as_user(gina).get(url).status_code == 403
    assert as_user(olive).get(url).status_code == 404  # off the care team
    assert as_user(pat).post(url, choices(timetable)).status_code == 403
    assert not Appointment.objects.exists()


def test_the_preview_asks_the_same_queries_however_many_appointments(as_user, cora, pat, active):
    timetable = week(cora)
    client = as_user(cora)
    url = reverse("timetable_apply", args=[active.pk])
    client.get(url, choices(timetable, weeks=1, pt=pat))
    with CaptureQueriesContext(connection) as few:
        page = client.get(url, choices(timetable, weeks=1, pt=pat))
    assert len(page.context["planned"]) == 3
    with CaptureQueriesContext(connection) as many:
        page = client.get(url, choices(timetable, weeks=8, pt=pat))
    assert len(page.context["planned"]) == 24
    assert len(many) == len(few)


def test_an_ended_program_takes_no_template_week(as_user, cora, pat, active):
    from backto.capabilities.careplan.actions import episode_discharge

    timetable = week(cora)
    episode_discharge(
        by=pat, episode=active, discharged_on=TODAY, reason="goals_met", summary="Back at school."
    )
    client = as_user(cora)
    url = reverse("timetable_apply", args=[active.pk])
    assert "This program has ended" in client.get(url).content.decode()
    answer = client.post(url, choices(timetable))
    assert "This program has ended" in answer.content.decode()
    with pytest.raises(ValidationError, match="The program has ended"):
        timetable_apply(
            by=cora,
            episode=active,
            timetable=timetable,
            first_monday=MONDAY,
            weeks=1,
            clinicians={},
        )
    assert not Appointment.objects.exists()


def test_one_appointment_is_named_in_the_singular(as_user, cora, active):
    timetable = week(cora, rows=((2, "10:00", 30, "ot"),), name="One visit")
    client = as_user(cora)
    url = reverse("timetable_apply", args=[active.pk])
    assert "Book this appointment" in client.get(url, choices(timetable, weeks=1)).content.decode()
    answer = client.post(url, choices(timetable, weeks=1), follow=True)
    assert "1 appointment booked from “One visit”." in answer.content.decode()

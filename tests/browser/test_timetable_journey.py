"""A coordinator makes a template week and applies it to a child's intensive program from the
care plan, previewing the appointments before booking them; the PT then records a session from
one of those appointments, which fills the form and marks the appointment as taken place. On a
390-px phone: axe-core finds nothing on each page and nothing scrolls sideways."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect

from backto.capabilities.appointments.models import Appointment, TimetableTemplate
from backto.capabilities.careplan.models import TherapySession
from tests.browser.conftest import assert_accessible, assert_no_sideways_scroll, sign_in, sign_out
from tests.conftest import TODAY

pytestmark = pytest.mark.browser

THIS_MONDAY = TODAY - timedelta(days=TODAY.weekday())


def checked(page: Page) -> None:
    assert_no_sideways_scroll(page)
    assert_accessible(page)


def test_a_coordinator_applies_a_week_and_the_pt_records_from_it(
    new_page, live_server, cora, pat, active
):
    page = new_page()
    sign_in(page, live_server.url, "cora")

    # The template week: two slots on Monday, typed into the first two rows.
    page.goto(f"{live_server.url}/clinic/timetables/new/")
    checked(page)
    page.get_by_label("Name").fill("Intensive week")
    for n, (start, minutes, kind, place) in enumerate(
        [("09:00", "60", "pt", "PT gym"), ("11:00", "45", "ot", "OT room")]
    ):
        page.locator(f"#id_slots-{n}-weekday").select_option("0")
        page.locator(f"#id_slots-{n}-start").fill(start)
        page.locator(f"#id_slots-{n}-minutes").fill(minutes)
        page.locator(f"#id_slots-{n}-kind").select_option(kind)
        page.locator(f"#id_slots-{n}-place").fill(place)
    page.get_by_role("button", name="Save the template week").click()
    expect(page.get_by_text("“Intensive week” saved.")).to_be_visible()
    checked(page)
    assert TimetableTemplate.objects.get().slots.count() == 2
    page.goto(f"{live_server.url}/clinic/timetables/")
    expect(page.get_by_role("link", name="Intensive week")).to_be_visible()
    checked(page)

    # Applied from the care plan, from this week's Monday, for two weeks.
    page.goto(f"{live_server.url}/episodes/{active.pk}/plan/")
    page.get_by_role("link", name="Book the program's weeks from a template week").click()
    checked(page)
    expect(page.get_by_label("Physical therapy: clinician")).to_have_value(str(pat.pk))
    page.get_by_label("First Monday").fill(THIS_MONDAY.isoformat())
    page.get_by_label("Number of weeks").fill("2")
    page.get_by_role("button", name="Show the appointments").click()
    expect(page.get_by_role("heading", name="4 appointments to book")).to_be_visible()
    checked(page)
    assert not Appointment.objects.exists()
    page.get_by_role("button", name="Book these 4 appointments").click()
    expect(page.get_by_text("4 appointments booked from “Intensive week”.")).to_be_visible()
    assert Appointment.objects.filter(episode=active, status="booked").count() == 4
    sign_out(page)

    # The PT records Monday's physical therapy from its appointment.
    sign_in(page, live_server.url, "pat")
    page.goto(f"{live_server.url}/episodes/{active.pk}/sessions/")
    checked(page)
    day, minutes = page.locator("#id_date"), page.locator("#id_minutes")
    day.fill("")
    minutes.fill("")
    page.get_by_role("radio", name="09:00: Physical therapy, 60 minutes with Pat PT").check()
    expect(day).to_have_value(THIS_MONDAY.isoformat())  # filled in by the page's script
    expect(minutes).to_have_value("60")
    expect(page.locator("#id_discipline")).to_have_value("pt")
    page.get_by_label("Subjective").fill("Walked the stairs twice")
    page.get_by_role("button", name="Record").click()
    expect(page.get_by_text("Session recorded.")).to_be_visible()
    checked(page)
    session = TherapySession.objects.get()
    assert session.appointment is not None and session.appointment.status == "attended"
    assert (session.date, session.minutes, session.discipline) == (THIS_MONDAY, 60, "pt")

    # The care plan shows the attendance so far.
    page.goto(f"{live_server.url}/episodes/{active.pk}/plan/")
    expect(page.get_by_role("heading", name="Appointments so far")).to_be_visible()
    checked(page)


def test_refusals_are_named_on_a_phone(new_page, live_server, cora, pat, maya, active):
    from datetime import time

    from backto.capabilities.appointments.actions import appointment_book
    from backto.capabilities.appointments.timetable_actions import SlotData, timetable_save
    from tests.appointments.conftest import at

    timetable_save(
        by=cora,
        clinic=cora.clinic,
        name="Intensive week",
        slots=[SlotData(weekday=0, start=time(9), minutes=60, kind="pt")],
    )
    next_monday = THIS_MONDAY + timedelta(weeks=1)
    appointment_book(
        by=cora, patient=maya, kind="physician", starts_at=at(next_monday, 9, 30), minutes=30
    )
    page = new_page()
    sign_in(page, live_server.url, "cora")

    # A slot with a bad time and no minutes: each named beside its field.
    page.goto(f"{live_server.url}/clinic/timetables/new/")
    page.get_by_label("Name").fill("Broken week")
    page.locator("#id_slots-0-weekday").select_option("1")
    page.locator("#id_slots-0-start").fill("09:00")
    page.locator("#id_slots-0-kind").select_option("ot")
    page.get_by_role("button", name="Save the template week").click()
    expect(page.get_by_text("This field is required.")).to_be_visible()
    checked(page)

    # The overlap is named in the preview, and nothing can be booked.
    page.goto(f"{live_server.url}/episodes/{active.pk}/timetable/")
    page.get_by_label("Number of weeks").fill("1")
    page.get_by_role("button", name="Show the appointments").click()
    expect(
        page.get_by_text(f"{next_monday:%A %-d %B} at 09:00: physical therapy would overlap")
    ).to_be_visible()
    expect(page.get_by_role("button", name=re.compile("^Book"))).to_have_count(0)
    checked(page)

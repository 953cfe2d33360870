"""An appointment from the care team's desk to the family's phone: Pat books Maya's physical
therapy on a desktop, it shows on Pat's week, on Gina's home under "This week" on a 390-px
phone, on the family's week, and in the calendar feed Gina makes, fetched over HTTP and read
back with the icalendar package. axe finds nothing on any page; no page scrolls sideways."""

from collections.abc import Callable
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from icalendar import Calendar
from playwright.sync_api import Page, expect

from backto.capabilities.appointments.models import Appointment
from tests.appointments.conftest import at
from tests.browser.conftest import assert_accessible, assert_no_sideways_scroll, sign_in
from tests.conftest import TODAY

pytestmark = pytest.mark.browser

TOMORROW = TODAY + timedelta(days=1)


def test_a_booked_appointment_reaches_the_family_home_and_their_calendar(
    new_page: Callable[..., Page], live_server, pat, gina, maya, episode
):
    desk = new_page(viewport={"width": 1280, "height": 900}, has_touch=False, is_mobile=False)
    sign_in(desk, live_server.url, "pat")
    desk.goto(f"{live_server.url}/patients/{maya.pk}/appointments/")
    expect(desk.get_by_role("heading", name="Maya's appointments")).to_be_visible()
    assert_accessible(desk)
    desk.get_by_label("Kind").select_option(label="Physical therapy")
    desk.get_by_label("Day").fill(TOMORROW.isoformat())
    desk.get_by_label("Time").fill("09:00")
    desk.get_by_label("Minutes").fill("45")
    desk.get_by_label("With").select_option(label="Pat PT")
    desk.get_by_label("Place").fill("Room 2")
    desk.get_by_label("Note for the family").fill("Bring sneakers")
    desk.get_by_role("button", name="Book", exact=True).click()
    expect(desk.get_by_text("Appointment booked.")).to_be_visible()
    words = f"{TOMORROW:%A} 9:00, physical therapy with Pat PT, Room 2"
    expect(desk.get_by_text(words)).to_be_visible()
    appointment = Appointment.objects.get()
    assert appointment.starts_at == at(TOMORROW, 9)
    assert_accessible(desk)

    desk.goto(f"{live_server.url}/week/?start={TOMORROW.isoformat()}")
    day = desk.get_by_role(
        "region", name=f"{TOMORROW:%A} {TOMORROW.day} {TOMORROW:%B}", exact=False
    )
    expect(day.get_by_text("Physical therapy")).to_be_visible()
    expect(day.get_by_role("link", name="Maya Lindqvist")).to_be_visible()
    assert_accessible(desk)

    phone = new_page()
    sign_in(phone, live_server.url, "gina")
    this_week = phone.get_by_role("region", name="This week")
    expect(this_week.get_by_text(words)).to_be_visible()
    expect(this_week.get_by_text("Bring sneakers")).to_be_visible()
    assert_no_sideways_scroll(phone)
    assert_accessible(phone)

    this_week.get_by_role("link", name="The week ahead").click()
    expect(phone.get_by_role("heading", name="The week", exact=True)).to_be_visible()
    expect(phone.get_by_text(words)).to_be_visible()
    assert_no_sideways_scroll(phone)
    assert_accessible(phone)

    phone.get_by_role("link", name="Put these appointments in the calendar on your phone").click()
    phone.get_by_role("button", name="Make my calendar address").click()
    address = phone.get_by_role("textbox", name="Address").input_value()
    assert address.endswith(".ics")
    assert_no_sideways_scroll(phone)
    assert_accessible(phone)

    # A calendar fetches it over HTTP, signed in as nobody.
    calendar_app = new_page().request
    response = calendar_app.get(live_server.url + urlsplit(address).path)
    assert response.status == 200
    assert response.headers["content-type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.body())
    [event] = calendar.walk("VEVENT")
    assert str(event["SUMMARY"]) == "Physical therapy (BackTo)"
    assert event.decoded("DTSTART") == at(TOMORROW, 9)
    assert str(event["LOCATION"]) == "Room 2" and str(event["STATUS"]) == "CONFIRMED"


def test_the_coordinator_reads_anyones_week_on_a_phone(
    new_page: Callable[..., Page], live_server, cora, pat, maya, episode
):
    from tests.appointments.conftest import book

    book(pat, maya, starts_at=at(TOMORROW, 9), clinician=pat, video_link="https://v.example.org/1")
    page = new_page()
    sign_in(page, live_server.url, "cora")
    page.goto(f"{live_server.url}/week/?start={TOMORROW.isoformat()}")
    expect(page.get_by_role("heading", name="My week")).to_be_visible()
    expect(page.get_by_text("0 appointments")).to_be_visible()
    page.get_by_label("Whose week").select_option(label="Pat PT")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("heading", name="Pat PT's week")).to_be_visible()
    expect(page.get_by_role("link", name="Maya Lindqvist")).to_be_visible()
    for control in page.locator("main a.btn, main button").all():
        box = control.bounding_box()
        assert box is not None and box["height"] >= 44 and box["width"] >= 44
    assert_no_sideways_scroll(page)
    assert_accessible(page)
    page.get_by_role("link", name="Maya Lindqvist").click()
    expect(page.get_by_role("heading", name="Maya's appointments")).to_be_visible()
    assert_no_sideways_scroll(page)
    assert_accessible(page)

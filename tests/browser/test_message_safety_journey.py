"""A flagged word in a teen's message raises the alert: the teen writes in their own conversation
on a phone and sees the clinic's help message (never a reply); the PT finds the alert on their
home and opens it, with the message's words; axe finds nothing on each page."""

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from backto.capabilities.alerts.models import SafetyAlert
from backto.capabilities.messaging.models import Message
from tests.browser.conftest import assert_accessible, assert_no_sideways_scroll, sign_in

pytestmark = pytest.mark.browser

WORDS = "school was awful again and honestly I want to kill myself"


def test_a_teens_flagged_message_shows_the_help_and_alerts_the_care_team(
    new_page: Callable[..., Page], live_server, clinic, maya, maya_teen, gina, pat, episode
):
    clinic.phone = "(555) 010-0100"
    clinic.hours = "Mon–Fri 8am–5pm"
    clinic.crisis_line = "Children's hospital on-call line, (555) 010-0199"
    clinic.save()

    phone = new_page()
    sign_in(phone, live_server.url, maya_teen.username)
    write = phone.get_by_role("link", name="Write to the care team")
    box = write.bounding_box()
    assert box is not None and box["height"] >= 44
    assert_accessible(phone)
    write.click()
    phone.get_by_role("link", name=re.compile("Just me and the care team")).click()
    banner = phone.locator("aside", has_text="Messages are not for emergencies")
    expect(banner).to_be_visible()
    expect(banner.get_by_role("link", name="(555) 010-0100")).to_be_visible()
    expect(banner).to_contain_text("We reply within 2 working days.")
    assert_accessible(phone)
    phone.get_by_label("Your message").fill(WORDS)
    phone.get_by_role("button", name="Send").click()

    # The clinic's own help message, with its numbers, first on the page: not a reply.
    help_box = phone.get_by_role("alert")
    expect(help_box).to_contain_text("Then call the clinic")
    expect(help_box.get_by_role("link", name="(555) 010-0100")).to_be_visible()
    expect(help_box).to_contain_text("Children's hospital on-call line")
    expect(phone.locator("ol.thread > li")).to_have_count(1)
    assert_no_sideways_scroll(phone)
    assert_accessible(phone)
    assert list(Message.objects.values_list("author_id", flat=True)) == [maya_teen.pk]
    alert = SafetyAlert.objects.get()
    assert alert.source == "message" and alert.private

    # The help shows once: reading the conversation again shows the thread as it is.
    phone.reload()
    expect(phone.get_by_role("alert")).to_have_count(0)

    desk = new_page(viewport={"width": 1280, "height": 900}, has_touch=False, is_mobile=False)
    sign_in(desk, live_server.url, pat.username)
    alerts = desk.get_by_role("region", name=re.compile("Safety alerts to acknowledge"))
    expect(alerts).to_contain_text("message to the care team")
    assert_accessible(desk)
    alerts.get_by_role("link", name=re.compile("Maya")).click()
    expect(desk.get_by_role("heading", name="What was written")).to_be_visible()
    expect(desk.locator("blockquote")).to_have_text(WORDS)
    expect(desk.get_by_text("Words that raised the alert: kill myself")).to_be_visible()
    assert_accessible(desk)
    desk.get_by_role("link", name="the conversation").click()
    expect(desk.locator("ol.thread")).to_contain_text(WORDS)

    # The guardian never learns of the teen's own conversation or its alert.
    parent = new_page()
    sign_in(parent, live_server.url, gina.username)
    expect(parent.get_by_text("Safety alert")).to_have_count(0)
    expect(parent.get_by_text("A new reply")).to_have_count(0)
    assert WORDS not in parent.content()


def test_a_team_member_chooses_one_email_a_day_on_a_phone(
    new_page: Callable[..., Page], live_server, pat
):
    from backto.capabilities.messaging.notify import delivery_of

    phone = new_page()
    sign_in(phone, live_server.url, pat.username)
    phone.goto(f"{live_server.url}/messages/preferences/")
    expect(phone.get_by_role("heading", name="Message emails", level=1)).to_be_visible()
    phone.get_by_label("One email a day listing what waits").check()
    for n in range(3):  # each choice is a card a thumb finds
        box = phone.locator(f"label[for=id_delivery_{n}]").bounding_box()
        assert box is not None and box["height"] >= 44 and box["width"] >= 44
    assert_no_sideways_scroll(phone)
    assert_accessible(phone)
    phone.get_by_role("button", name="Save").click()
    expect(phone.get_by_text("Saved: one email a day")).to_be_visible()
    expect(phone.get_by_label("One email a day listing what waits")).to_be_checked()
    assert delivery_of(pat) == "digest"

"""A parent answers the health care visits questionnaire (issue 25) on a 390-px phone and on a
desktop (each photographed into test-artifacts/ by `new_page`): number boxes for the counts, the period the answers cover said above them, no question
about the months (BackTo fills them in), and axe-core finds nothing."""

from collections.abc import Callable

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from backto.capabilities.measures.models import Administration
from tests.browser.conftest import (
    assert_accessible,
    assert_no_sideways_scroll,
    sign_in,
)

pytestmark = pytest.mark.browser

COUNTS = (
    "emergency",
    "urgent_care",
    "specialist",
    "imaging_tests",
    "hospital_nights",
    "school_nurse",
    "work_days_missed",
)


@pytest.mark.parametrize("screen", ["phone", "desktop"])
def test_a_parent_answers_the_health_care_visits(
    screen: str, new_page: Callable[..., Page], live_server, gina, maya, active
):
    width = 390 if screen == "phone" else 1280
    page = (
        new_page()
        if screen == "phone"
        else new_page(viewport={"width": width, "height": 900}, has_touch=False, is_mobile=False)
    )
    form = Administration.objects.get(
        episode=active, instrument_id="healthcare-use", timepoint="baseline"
    )
    sign_in(page, live_server.url, "gina")
    page.goto(f"{live_server.url}/questionnaires/{form.pk}/")
    expect(page.get_by_text("Think about the last 3 months.")).to_be_visible()
    for name in COUNTS:
        expect(page.locator(f"input[name={name}]")).to_have_attribute("type", "number")
    expect(page.locator("input[name=months_covered]")).to_have_count(0)
    assert_no_sideways_scroll(page, width)
    assert_accessible(page)
    page.locator("input[name=emergency]").fill("2")
    page.locator("input[name=specialist]").fill("3")
    for name in ("urgent_care", "imaging_tests", "hospital_nights", "school_nurse"):
        page.locator(f"input[name={name}]").fill("0")
    page.locator("input[name=work_days_missed]").fill("4")
    page.get_by_role("button", name="Finish", exact=True).click()
    expect(page.get_by_role("heading", name="All done. Thank you!")).to_be_visible()
    assert_accessible(page)
    form.refresh_from_db()
    assert form.state == "completed" and form.answers["months_covered"] == 3.0
    assert form.result["total"] == "5.0"  # (2 + 0 + 3) x 3 / 3
    assert form.result["subscales"]["work_days_missed"] == "4.0"
    # Her progress page tells her what she counted, in her words, before any after form.
    page.goto(f"{live_server.url}{reverse('progress', args=[active.pk])}")
    expect(page.get_by_role("heading", name="Visits to doctors and hospitals")).to_be_visible()
    expect(
        page.get_by_text("In the 3 months before the program: 2 emergency visits")
    ).to_be_visible()
    assert_no_sideways_scroll(page, width)
    assert_accessible(page)

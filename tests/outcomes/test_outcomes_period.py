"""The outcomes period: a day outside what BackTo computes with is named with what is allowed
(400) on the page and on the export (9999-12-31 overflowed into a 500)."""

import pytest
from django.urls import reverse

RANGE = "Enter a date between 1900-01-01 and 2199-12-31."


@pytest.mark.parametrize("name", ["outcomes", "outcomes_export"])
@pytest.mark.parametrize(
    "period",
    [
        {"start": "2026-01-01", "end": "9999-12-31"},
        {"start": "0001-01-01", "end": "2026-01-01"},
        {"start": "1899-12-31", "end": "2200-01-01"},
    ],
)
def test_a_period_beyond_the_dates_allowed_is_refused_and_named(as_user, cora, name, period):
    response = as_user(cora).get(reverse(name), period)
    assert response.status_code == 400
    assert RANGE in response.content.decode()


def test_the_widest_period_allowed_is_summarized(as_user, cora):
    response = as_user(cora).get(reverse("outcomes"), {"start": "1900-01-01", "end": "2199-12-31"})
    assert response.status_code == 200

"""The audit page's filter: a value it cannot use is named with what is allowed (400), and the
page then lists no events rather than all of them (9999-12-31 overflowed into a 500; a 1 MB
username was a LIKE pattern SQLite refused)."""

import pytest
from django.urls import reverse

from backto.audit.log import audit
from backto.audit.models import Action

RANGE = "Enter a date between 1900-01-01 and 2199-12-31."


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"until": "9999-12-31"}, RANGE),
        ({"since": "0001-01-01"}, RANGE),
        ({"since": "2026-01-01", "until": "2200-01-01"}, RANGE),
        ({"actor": "x" * 1_000_000}, "at most 150 characters"),
        ({"patient": "9" * 25}, "less than or equal to 9223372036854775807"),
    ],
)
def test_a_filter_it_cannot_use_is_named_and_lists_nothing(as_user, ada, query, message):
    audit(by=ada, action=Action.VIEW, object_type="page", detail="something to list")
    response = as_user(ada).get(reverse("audit_log"), query)
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert "No events match." in page and "something to list" not in page


def test_the_last_and_first_days_allowed_are_accepted(as_user, ada):
    audit(by=ada, action=Action.VIEW, object_type="page", detail="something to list")
    response = as_user(ada).get(
        reverse("audit_log"), {"since": "1900-01-01", "until": "2199-12-31"}
    )
    assert response.status_code == 200 and "something to list" in response.content.decode()

"""After a diary is saved the diary sends the family home with `?diary=<child>&saved=<outcome>`:
the home celebrates at the top (what the save did, the days in a row, a milestone the day it is
reached), the clinic's help message first after a safety answer, and ignores a child the viewer
cannot see or an outcome the diary never sends."""

import re
import uuid
from datetime import timedelta

import pytest
from django.urls import reverse

from backto.capabilities.alerts.help import HELP_FLAG
from backto.capabilities.diary.models import DiaryEntry
from tests.conftest import TODAY

HOME = reverse("family_home")
WORDS = {
    "created": "Saved. Thank you for writing today!",
    "already": "This was already saved. Nothing more to do.",
    "edited": "Saved. Your changes are in.",
}


def saved(patient, outcome):
    return f"{HOME}?diary={patient.pk}&saved={outcome}"


def celebration(page: str) -> str:
    """The celebration's words, or "" when there is none."""
    found = re.search(r'<div id="saved"[^>]*role="status".*?</div>', page, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", found.group(0)).split()) if found else ""


def days_written(patient, author, days):
    for n in days:
        DiaryEntry.objects.create(
            patient=patient,
            day=TODAY - timedelta(days=n),
            respondent="child",
            author=author,
            answers={"activity": 3},
            instrument_id="daily-diary",
            instrument_version="1.0.0",
            idempotency_key=uuid.uuid4(),
        )


@pytest.mark.parametrize("outcome", ["created", "already", "edited"])
def test_it_says_what_the_save_did(as_user, maya_teen, maya, active, outcome):
    days_written(maya, maya_teen, [0])
    page = as_user(maya_teen).get(saved(maya, outcome)).content.decode()
    assert WORDS[outcome] in celebration(page)
    assert page.count('id="saved"') == 1
    for other in set(WORDS) - {outcome}:
        assert WORDS[other] not in page


def test_it_comes_first_on_the_page(as_user, maya_teen, maya, active):
    days_written(maya, maya_teen, [0])
    page = as_user(maya_teen).get(saved(maya, "created")).content.decode()
    assert page.index('id="saved"') < page.index('<section class="card"')


def test_it_counts_the_days_in_a_row(as_user, gina, maya_teen, maya, active):
    days_written(maya, maya_teen, [0, 1, 2, 3])
    client = as_user(gina)
    page = client.get(saved(maya, "created")).content.decode()
    assert "That makes 4 days in a row for Maya's diary." in celebration(page)
    assert "written the diary 4 days in a row" not in page  # said once, at the top
    assert "written the diary 4 days in a row" in client.get(HOME).content.decode()


def test_one_day_is_no_run_yet_and_no_day_missed_is_ever_counted(as_user, maya_teen, maya, active):
    days_written(maya, maya_teen, [0, 5, 9])
    said = celebration(as_user(maya_teen).get(saved(maya, "created")).content.decode())
    assert "in a row" not in said and "missed" not in said.lower()


def test_it_shows_a_milestone_the_day_it_is_reached(as_user, maya_teen, maya, active):
    days_written(maya, maya_teen, [0, 1, 2])
    client = as_user(maya_teen)
    said = celebration(client.get(saved(maya, "created")).content.decode())
    assert "A milestone: 3 diary days in all!" in said
    days_written(maya, maya_teen, [3])  # four days: the milestone of three is behind
    said = celebration(client.get(saved(maya, "created")).content.decode())
    assert "milestone" not in said.lower()


def test_the_help_message_comes_first_after_a_safety_answer(as_user, gina, maya, active, clinic):
    clinic.phone = "(555) 010-0100"
    clinic.save()
    client = as_user(gina)
    session = client.session
    session[HELP_FLAG] = maya.pk
    session.save()
    page = client.get(saved(maya, "created")).content.decode()
    help_at = page.index('role="alert"')
    assert help_at < page.index('id="saved"') < page.index('<section class="card"')
    assert 'href="tel:(555)010-0100"' in page[help_at : page.index('id="saved"')]
    # Once: the next page no longer shows it.
    assert 'role="alert"' not in client.get(HOME).content.decode()


def test_a_child_the_viewer_cannot_see_is_ignored(as_user, otto, leo, gina, maya, active):
    response = as_user(otto).get(saved(maya, "created"))
    assert response.status_code == 200
    page = response.content.decode()
    assert celebration(page) == "" and "Maya" not in page


@pytest.mark.parametrize(
    "query",
    [
        "diary={pk}&saved=deleted",
        "diary={pk}&saved=",
        "diary={pk}",
        "saved=created",
        "diary=abc&saved=created",
        "diary=-1&saved=created",
        "diary=99999999999999999999999&saved=created",
        "diary=²&saved=created",
    ],
)
def test_any_other_value_is_ignored(as_user, maya_teen, maya, active, query):
    response = as_user(maya_teen).get(f"{HOME}?{query.format(pk=maya.pk)}")
    assert response.status_code == 200
    assert celebration(response.content.decode()) == ""


def test_the_celebration_is_read_in_one_query(
    as_user, django_assert_num_queries, maya_teen, maya, active
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = as_user(maya_teen)
    client.get(HOME)
    with CaptureQueriesContext(connection) as plain:
        client.get(HOME)
    with django_assert_num_queries(len(plain) + 1):
        client.get(saved(maya, "created"))

"""A tampered or mistyped value posted to the home program pages gets a 400 naming the field and
what is allowed, with the page shown again, and nothing is written (it was a 500 for "²", which
str.isdigit() accepts and int() refuses, and a tick was saved before a `next` without a slash
failed)."""

import pytest
from django.urls import reverse

from backto.capabilities.homeprogram.models import ExerciseLog, HomeProgramItem

NOT_RECORD_NUMBERS = ["²", "abc", "", "1.5", "-1", " 1", "9" * 30]


@pytest.fixture
def item(walk_item):
    return walk_item


@pytest.mark.parametrize("value", NOT_RECORD_NUMBERS)
def test_a_tick_for_an_item_that_is_not_a_record_number_names_the_field(
    as_user, gina, episode, item, value
):
    client = as_user(gina)
    url = reverse("exercises_today", args=[episode.pk])
    response = client.post(url, {"item": value, "done": "1"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "“item” must be a record number: digits 0–9 only." in page
    assert "Daily walk" in page  # the checklist, shown again
    htmx = client.post(url, {"item": value, "done": "1"}, headers={"HX-Request": "true"})
    assert htmx.status_code == 400 and "“item” must be a record number" in htmx.content.decode()
    assert not ExerciseLog.objects.exists()


@pytest.mark.parametrize("value", ["", "yes", "2", "true"])
def test_a_tick_that_is_neither_done_nor_undone_changes_nothing(
    as_user, gina, episode, item, value
):
    client = as_user(gina)
    url = reverse("exercises_today", args=[episode.pk])
    client.post(url, {"item": item.pk, "done": "1"})
    response = client.post(url, {"item": item.pk, "done": value})
    assert response.status_code == 400
    assert "“done” must be 1 (on) or 0 (off)." in response.content.decode()
    assert ExerciseLog.objects.filter(item=item).count() == 1  # not unticked


@pytest.mark.parametrize(
    "back", ["abc", "exercises_today", "home", "//evil.example/x", "javascript:x"]
)
def test_a_return_address_that_is_not_a_path_on_this_site_returns_to_the_checklist(
    as_user, gina, episode, item, back
):
    url = reverse("exercises_today", args=[episode.pk])
    response = as_user(gina).post(url, {"item": item.pk, "done": "1", "next": back})
    assert response.status_code == 302 and response["Location"] == url
    assert ExerciseLog.objects.filter(item=item).count() == 1


@pytest.mark.parametrize(
    ("field", "value"),
    # An empty `edit` on the page asks for no dose change (tested by a link below).
    [("stop", v) for v in NOT_RECORD_NUMBERS] + [("edit", v) for v in NOT_RECORD_NUMBERS if v],
)
def test_a_stop_or_dose_change_that_is_not_a_record_number_names_the_field(
    as_user, pat, episode, item, field, value
):
    url = reverse(
        {"stop": "home_program_stop", "edit": "home_program_dose"}[field], args=[episode.pk]
    )
    response = as_user(pat).post(url, {field: value})
    assert response.status_code == 400
    page = response.content.decode()
    assert f"“{field}” must be a record number: digits 0–9 only." in page
    assert "Adherence by week" in page  # the program page, shown again
    item.refresh_from_db()
    assert item.end_date is None and item.minutes == 10
    assert not HomeProgramItem.objects.exclude(pk=item.pk).exists()


def test_a_dose_change_asked_for_by_a_link_that_is_not_a_record_number_names_the_field(
    as_user, pat, episode, item
):
    response = as_user(pat).get(reverse("home_program", args=[episode.pk]), {"edit": "²"})
    assert response.status_code == 400
    assert "“edit” must be a record number" in response.content.decode()

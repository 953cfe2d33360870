"""The diary's month calendar: weeks as rows from Monday, each day marked with whose entries it
holds and how much the child did and felt, the month chosen by `?month=` and a day read in full
by `?day=` (a 400 naming the field otherwise), every privacy rule kept."""

import html
import re
import uuid
from datetime import date, timedelta

import pytest
from django.urls import reverse

from backto.capabilities.diary import actions
from backto.capabilities.diary.calendar_forms import MonthForm
from backto.capabilities.diary.models import DiaryEntry
from backto.capabilities.diary.queries import month_weeks
from backto.core.forms import BadParameter
from tests.conftest import TODAY


def url(patient, **query):
    base = reverse("diary_calendar", args=[patient.pk])
    return base + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def entry(patient, author, day, respondent="child", private=(), **answers):
    return DiaryEntry.objects.create(
        patient=patient,
        day=day,
        respondent=respondent,
        author=author,
        answers=answers,
        private_fields=list(private),
        instrument_id="daily-diary" if respondent == "child" else "parent-diary",
        instrument_version="1.0.0",
        idempotency_key=uuid.uuid4(),
    )


def cell(page: str, day: date) -> str:
    """The words of one day's square, as a screen reader reads its link."""
    found = re.search(rf'<a class="day[^"]*" href="[^"]*day={day:%Y-%m-%d}#day".*?</a>', page, re.S)
    assert found, f"no link for {day}"
    return html.unescape(" ".join(re.sub(r"<[^>]+>", " ", found.group(0)).split()))


def test_weeks_run_from_monday_with_empty_days_outside_the_month():
    weeks = month_weeks(date(2026, 2, 1))  # a Sunday
    assert weeks[0] == [None] * 6 + [date(2026, 2, 1)]
    assert weeks[-1][0] == date(2026, 2, 23) and weeks[-1][-1] is None
    assert [d for week in weeks for d in week if d] == [
        date(2026, 2, 1) + timedelta(days=n) for n in range(28)
    ]
    assert all(len(week) == 7 for week in month_weeks(date(2024, 2, 1)))


def test_the_month_is_a_table_with_a_column_per_weekday(as_user, maya_teen, maya, episode):
    page = as_user(maya_teen).get(url(maya)).content.decode()
    heads = re.findall(r'<th scope="col"><abbr title="(\w+)">', page)
    assert heads == ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
    assert f"{TODAY:%B %Y}" in page
    assert page.count("<tr>") == len(month_weeks(TODAY.replace(day=1))) + 1
    assert 'aria-current="date"' in page


def test_each_day_says_whose_entries_it_holds_and_how_the_day_went(
    as_user, gina, maya_teen, maya, episode
):
    yesterday = TODAY - timedelta(days=1)
    entry(maya, maya_teen, yesterday, activity=3, mood=4, pain=8)
    entry(maya, gina, yesterday, respondent="parent", activity=1, mood=1)
    page = as_user(gina).get(url(maya, month=f"{yesterday:%Y-%m}")).content.decode()
    said = cell(page, yesterday)
    assert "Maya's entry" in said and "parent's entry" in said
    # The child's own answers first, in words for screen readers.
    assert "felt: Great" in said and "did: Most of it" in said
    assert "8" not in said.replace(str(yesterday.day), "")  # never pain at a glance
    if yesterday.month == TODAY.month:
        assert "nothing written" in cell(page, TODAY)


def test_a_teens_private_answers_stay_off_a_guardians_calendar(
    as_user, client, gina, pat, maya_teen, maya, episode
):
    entry(maya, maya_teen, TODAY, private=["mood"], activity=2, mood=1)
    said = cell(as_user(gina).get(url(maya)).content.decode(), TODAY)
    assert "felt" not in said and "did: About half" in said
    client.logout()
    said = cell(as_user(pat).get(url(maya)).content.decode(), TODAY)
    assert "felt: A bit sad or worried" in said


def test_the_safety_marker_is_for_those_who_see_safety_answers(
    as_user, client, gina, pat, maya_teen, maya, episode
):
    actions.diary_entry_submit(
        by=maya_teen,
        patient=maya,
        day=TODAY,
        respondent="child",
        answers={
            "activity": 2,
            "school": 9,
            "sleep_hours": 8,
            "sleep_quality": 2,
            "mood": 0,
            "home_program": 1,
        },
        idempotency_key=uuid.uuid4(),
    )
    assert "safety answer" in cell(as_user(pat).get(url(maya)).content.decode(), TODAY)
    client.logout()
    assert "safety answer" not in cell(as_user(gina).get(url(maya)).content.decode(), TODAY)


def test_a_day_is_read_in_full_below_the_month(as_user, pat, maya_teen, maya, episode):
    first = TODAY.replace(day=1)
    entry(maya, maya_teen, first, activity=4, activity_note="Rode my bike to the lake")
    client = as_user(pat)
    page = client.get(url(maya, month=f"{first:%Y-%m}", day=f"{first:%Y-%m-%d}")).content
    detail = page.decode().split('id="day"')[1]
    assert f"{first:%A} {first.day} {first:%B}" in detail
    assert "Rode my bike to the lake" in detail and "by Maya" in detail
    assert 'class="day is-selected"' in page.decode()
    if first != TODAY:  # the day shown by default is today, which holds nothing
        default = client.get(url(maya)).content.decode().split('id="day"')[1]
        assert "Rode my bike" not in default and "Nothing written this day." in default


def test_the_month_moves_back_and_forward_but_not_past_this_month(
    as_user, maya_teen, maya, episode
):
    client = as_user(maya_teen)
    this = TODAY.replace(day=1)
    before = (this - timedelta(days=1)).replace(day=1)
    page = client.get(url(maya)).content.decode()
    assert f'href="?month={before:%Y-%m}"' in page and "Next month" not in page
    page = client.get(url(maya, month=f"{before:%Y-%m}")).content.decode()
    assert f'href="?month={this:%Y-%m}"' in page and f"{before:%B %Y}" in page
    assert "A day in full" in page  # no day picked: today is not in that month


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"month": "2026-13"}, "month"),
        ({"month": "June"}, "month"),
        ({"month": "2026-6"}, "month"),
        ({"month": "0999-01"}, "month"),
        ({"day": "2026-02-30"}, "day"),
        ({"day": "yesterday"}, "day"),
        ({"month": "2026-05", "day": "2026-06-01"}, "day"),
    ],
)
def test_an_address_the_page_never_sends_is_a_400_naming_the_field(
    as_user, maya_teen, maya, episode, query, field
):
    response = as_user(maya_teen).get(url(maya, **query))
    assert response.status_code == 400
    assert f"“{field}”" in response.content.decode()


def test_the_form_reads_a_month_and_a_day():
    assert MonthForm({}).chosen(today=date(2026, 6, 16)).day == date(2026, 6, 16)
    chosen = MonthForm({"day": "2026-03-04"}).chosen(today=date(2026, 6, 16))
    assert (chosen.month, chosen.day) == (date(2026, 3, 1), date(2026, 3, 4))
    chosen = MonthForm({"month": "2026-03"}).chosen(today=date(2026, 6, 16))
    assert (chosen.month, chosen.day) == (date(2026, 3, 1), None)
    with pytest.raises(BadParameter, match="month"):
        MonthForm({"month": "2026-00"}).chosen(today=date(2026, 6, 16))


def test_outside_the_circle_the_calendar_is_not_found(as_user, otto, maya, episode):
    assert as_user(otto).get(url(maya, month=f"{TODAY:%Y-%m}")).status_code == 404

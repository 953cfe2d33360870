"""The family home's to-dos for today: one list per child, each capability's items ticked when
done, for the person looking (a teen their own, a guardian theirs and the child's as the
child's), never a count of missed days, in a fixed number of queries however many children."""

import html
import re
import uuid
from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from backto.access.patients import actions as patients
from backto.access.patients.models import Discipline, Guardianship
from backto.capabilities.diary.models import DiaryEntry
from backto.capabilities.homeprogram import actions as home_program
from backto.capabilities.homeprogram.models import Exercise
from backto.capabilities.measures.models import Administration
from tests.conftest import PINNED_AT, TODAY, start_program, years_ago

URL = reverse("family_home")


def todos(page: str) -> list[str]:
    """Each to-do of the page in words, as a screen reader reads the link."""
    lists = re.findall(r'<ul class="todos".*?</ul>', page, flags=re.S)
    items = [li for ul in lists for li in re.findall(r"<li>(.*?)</li>", ul, flags=re.S)]
    words = (" ".join(re.sub(r"<[^>]+>", " ", li).split()) for li in items)
    return [html.unescape(w).replace(" ,", ",") for w in words]


def todo_list(page: str) -> str:
    found = re.search(r'<ul class="todos".*?</ul>', page, flags=re.S)
    assert found is not None
    return found.group(0)


def write_diary(patient, author, respondent, day=TODAY):
    return DiaryEntry.objects.create(
        patient=patient,
        day=day,
        respondent=respondent,
        author=author,
        answers={"activity": 3},
        instrument_id="daily-diary" if respondent == "child" else "parent-diary",
        instrument_version="1.0.0",
        idempotency_key=uuid.uuid4(),
    )


def add_exercise(pat, episode, name):
    home_program.starter_library_load(clinic=episode.patient.clinic)
    return home_program.home_program_add(
        by=pat,
        episode=episode,
        exercise=Exercise.objects.get(clinic=episode.patient.clinic, name=name),
        minutes=5,
        start_date=TODAY - timedelta(days=7),
        times_per_day=1,
        days_per_week=7,
    )


def tick(by, item):
    home_program.exercise_tick(by=by, item=item, day=TODAY, done=True)


def test_a_teen_writes_their_own_diary_and_it_is_ticked_once_written(
    as_user, maya_teen, maya, active
):
    client = as_user(maya_teen)
    page = client.get(URL).content.decode()
    diary = reverse("diary_today", args=[maya.pk]) + "?as=child"
    assert "My diary (to do)" in todos(page)
    assert f'href="{diary}"' in page
    assert not any("Your diary" in t for t in todos(page))
    write_diary(maya, maya_teen, "child")
    assert "My diary (done)" in todos(client.get(URL).content.decode())


def test_yesterdays_diary_does_not_tick_today(as_user, maya_teen, maya, active):
    write_diary(maya, maya_teen, "child", day=TODAY - timedelta(days=1))
    assert "My diary (to do)" in todos(as_user(maya_teen).get(URL).content.decode())


def test_a_guardian_of_a_teen_writes_the_parent_diary_only(as_user, gina, maya_teen, maya, active):
    write_diary(maya, maya_teen, "child")  # the teen's own entry is not the guardian's to-do
    listed = todos(as_user(gina).get(URL).content.decode())
    assert [t for t in listed if "diary" in t] == ["Your diary (to do)"]


def test_a_guardian_writes_the_childs_diary_together_when_the_child_has_no_account(
    as_user, gina, maya, active
):
    client = as_user(gina)
    assert [t for t in todos(client.get(URL).content.decode()) if "diary" in t] == [
        "Your diary (to do)",
        "Maya's diary together with Maya (to do)",
    ]
    write_diary(maya, gina, "child")
    listed = todos(client.get(URL).content.decode())
    assert "Your diary (to do)" in listed and "Maya's diary together with Maya (done)" in listed


def test_no_diary_to_do_before_the_program_runs(as_user, maya_teen, maya, episode):
    assert todos(as_user(maya_teen).get(URL).content.decode()) == []


def test_todays_exercises_say_how_many_are_done_and_tick_when_all_are(
    as_user, maya_teen, pat, maya, active
):
    walk = add_exercise(pat, active, "Daily walk")
    stairs = add_exercise(pat, active, "Stairs")
    client = as_user(maya_teen)
    assert "My exercises (to do)" in todos(client.get(URL).content.decode())
    tick(maya_teen, walk)
    assert "My exercises 1 of 2 done (to do)" in todos(client.get(URL).content.decode())
    tick(maya_teen, stairs)
    assert "My exercises (done)" in todos(client.get(URL).content.decode())


def test_touch_practice_is_its_own_to_do_when_the_program_has_some(
    as_user, gina, pat, maya, active
):
    walk = add_exercise(pat, active, "Daily walk")
    rub = add_exercise(pat, active, "Texture rub")
    client = as_user(gina)
    listed = todos(client.get(URL).content.decode())
    assert "Today's exercises (to do)" in listed and "Touch practice (to do)" in listed
    tick(gina, rub)
    listed = todos(client.get(URL).content.decode())
    assert "Today's exercises (to do)" in listed and "Touch practice (done)" in listed
    tick(gina, walk)
    assert "Today's exercises (done)" in todos(client.get(URL).content.decode())


def test_each_questionnaire_due_is_a_to_do_ticked_when_finished_today(
    as_user, worded, maya_teen, maya, active
):
    client = as_user(maya_teen)
    listed = todos(client.get(URL).content.decode())
    fdi = "Functional Disability Inventory, child form for you"
    assert f"{fdi} (to do)" in listed
    assert not any("parent form" in t for t in listed)  # the parent's, not the teen's
    Administration.objects.filter(episode=active, instrument_id="fdi-child").update(
        state="completed", completed_by=maya_teen, completed_at=PINNED_AT
    )
    listed = todos(client.get(URL).content.decode())
    assert f"{fdi} (done)" in listed and f"{fdi} (to do)" not in listed


def test_a_questionnaire_finished_on_another_day_or_by_someone_else_is_not_listed(
    as_user, worded, maya_teen, pat, maya, active
):
    Administration.objects.filter(episode=active, instrument_id="fdi-child").update(
        state="completed", completed_by=pat, completed_at=PINNED_AT
    )
    Administration.objects.filter(episode=active, instrument_id="school").update(
        state="completed",
        completed_by=maya_teen,
        completed_at=PINNED_AT - timedelta(days=2),
    )
    listed = todos(as_user(maya_teen).get(URL).content.decode())
    assert not any("Functional Disability Inventory" in t for t in listed)
    assert not any(t.endswith("(done)") and "diary" not in t for t in listed)


def test_a_done_item_has_a_tick_and_an_undone_one_never_speaks_of_missed_days(
    as_user, maya_teen, maya, active
):
    for days_ago in (3, 4, 5):  # a gap of days: never counted against the family
        write_diary(maya, maya_teen, "child", day=TODAY - timedelta(days=days_ago))
    page = as_user(maya_teen).get(URL).content.decode()
    section = todo_list(page)
    assert "icons.svg#check" not in section
    assert "missed" not in section.lower() and "bad" not in section
    write_diary(maya, maya_teen, "child")
    page = as_user(maya_teen).get(URL).content.decode()
    section = todo_list(page)
    assert section.count("icons.svg#check") == 1 and "is-done" in section


def test_another_familys_child_has_no_to_dos_here(as_user, otto, leo, gina, maya, active):
    page = as_user(otto).get(URL).content.decode()
    assert todos(page) == [] and "Maya" not in page


def _child_in_the_program(n, guardian, cora, pat):
    child = patients.patient_register(
        by=cora,
        clinic=guardian.clinic,
        legal_name=f"Child {n}",
        date_of_birth=years_ago(9 + n),
        sex="female",
    )
    Guardianship.objects.create(guardian=guardian, patient=child, relationship="mother")
    episode = patients.episode_open(
        by=cora, patient=child, referral_date=TODAY, referral_reason="Knee pain"
    )
    patients.care_team_add(
        by=cora, episode=episode, clinician=pat, discipline=Discipline.PT, lead=True
    )
    episode = start_program(episode, pat)
    add_exercise(pat, episode, "Daily walk")
    tick(guardian, add_exercise(pat, episode, "Texture rub"))
    write_diary(child, guardian, "parent")
    return child


def test_the_home_reads_the_same_number_of_queries_for_one_child_or_three(
    as_user, django_assert_max_num_queries, worded, gina, cora, pat, maya, active
):
    add_exercise(pat, active, "Daily walk")
    write_diary(maya, gina, "parent")
    client = as_user(gina)
    client.get(URL)
    with CaptureQueriesContext(connection) as one:
        page = client.get(URL).content.decode()
    assert len(todos(page)) >= 4  # two diaries, exercises, questionnaires
    for n in (2, 3):
        _child_in_the_program(n, gina, cora, pat)
    with django_assert_max_num_queries(len(one)):
        page = client.get(URL).content.decode()
    assert page.count('<ul class="todos"') == 3
    assert "Touch practice (done)" in todos(page)

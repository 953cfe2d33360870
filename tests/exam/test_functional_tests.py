"""Functional tests recorded by the clinician and shown over time (issue #19): each kind,
validation by the clinical core naming the field, the day, the audit, who may see and record."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from backto.access.patients import actions as patients
from backto.access.patients.models import Discipline, Patient
from backto.audit.models import AuditEvent
from backto.capabilities.exam.actions import age_in_years, functional_test_record
from backto.capabilities.exam.models import FunctionalTest
from backto.clinical.functional_tests import NO_6MWT_EQUATION, score_functional_test
from tests.conftest import TODAY, make_user
from tests.exam.conftest import REFERRED


def url(episode, **query):
    address = reverse("functional_tests", args=[episode.pk])
    return address + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def post(client, episode, test, **fields):
    fields.setdefault("day", (TODAY - timedelta(days=1)).isoformat())
    return client.post(url(episode), {"test": test, **fields})


# --- Recording each kind ------------------------------------------------------------------------

KINDS = [
    (
        "6mwt",
        {"distance_m": "480.25", "course_length_m": "30", "rests": "1", "height_cm": "152"},
        {"distance_m": 480.3},
    ),
    ("30s-sts", {"repetitions": "14", "chair_height_cm": "43"}, {"repetitions": 14}),
    ("tug", {"seconds": "6.25", "pace": "fast"}, {"seconds": 6.3}),
    (
        "single-leg-stance",
        {"left_s": "30", "right_s": "12.45", "eyes": "open", "cap_s": "30"},
        {"left_s": 30.0, "right_s": 12.5},
    ),
    (
        "grip",
        {
            "left_kg_1": "12.3",
            "left_kg_2": "14.55",
            "left_kg_3": "13",
            "right_kg_1": "20.04",
            "dynamometer": "Jamar",
            "handle_position": "2",
        },
        {"left_kg": 14.6, "right_kg": 20.0},
    ),
]


@pytest.mark.parametrize(("test_id", "typed", "values"), KINDS, ids=[k[0] for k in KINDS])
def test_the_pt_records_each_test_and_the_core_scores_it(
    as_user, pat, maya, referred, test_id, typed, values
):
    response = post(as_user(pat), referred, test_id, note="Tried hard", **typed)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"] == url(referred, test=test_id)
    saved = FunctionalTest.objects.get()
    assert (saved.episode, saved.test_id, saved.recorded_by, saved.note) == (
        referred,
        test_id,
        pat,
        "Tried hard",
    )
    assert saved.day == TODAY - timedelta(days=1)
    assert saved.result["values"] == values
    assert saved.result["engine_version"] == "1.0.0" == saved.engine_version
    # Traceable: the stored inputs, given to the core again, give the stored result.
    assert score_functional_test(test_id, saved.inputs).as_dict() == saved.result
    page = as_user(pat).get(url(referred)).content.decode()
    assert f"{values[next(iter(values))]}" in page
    assert "Pat PT" in page and "no reference: " in page


def test_the_6mwt_takes_age_on_the_day_and_sex_from_the_record(pat, maya, record):
    walk = record("6mwt", 2, distance_m=Decimal("480"), height_cm=Decimal("152"))
    day = TODAY - timedelta(weeks=2)
    assert walk.inputs == {
        "distance_m": 480,
        "height_cm": 152,
        "age_years": float(age_in_years(maya, day)),
        "sex": "female",
    }
    assert 13 <= walk.inputs["age_years"] < 14  # Maya is 13 and about a month
    assert walk.result["percent_predicted"] is None
    assert walk.result["no_reference"] == NO_6MWT_EQUATION


def test_a_child_whose_sex_is_not_recorded_is_tested_without_it(pat, maya, record):
    maya.sex = "unknown"
    maya.save()
    assert "sex" not in record("6mwt", 1, distance_m=Decimal("400")).inputs


@pytest.mark.parametrize(
    ("born", "day", "age"),
    [
        (date(2013, 6, 16), date(2026, 6, 16), Decimal("13.00")),  # the birthday itself
        (date(2013, 6, 16), date(2026, 6, 15), Decimal("12.99")),  # the day before: cut, not 13
        (date(2013, 6, 16), date(2026, 12, 16), Decimal("13.50")),  # 183 of 365 days: 13.501…
        (date(2012, 2, 29), date(2026, 2, 28), Decimal("13.99")),  # born on 29 February
        (date(2012, 2, 29), date(2026, 3, 1), Decimal("14.00")),
    ],
)
def test_age_in_years_counts_completed_years_and_the_part_since_the_birthday(born, day, age):
    assert age_in_years(Patient(date_of_birth=born), day) == age


def test_tug_at_each_pace_is_its_own_series(as_user, pat, record, referred):
    record("tug", 4, seconds=Decimal("9"), pace="comfortable")
    record("tug", 3, seconds=Decimal("6"), pace="fast")
    record("tug", 1, seconds=Decimal("7.5"), pace="comfortable")
    page = as_user(pat).get(url(referred)).content.decode()
    assert "Timed up and go, comfortable pace" in page
    assert "Timed up and go, fast pace" in page
    # The comfortable pace's trend joins its own two results only; the fast pace has one.
    assert page.count("<svg viewBox=") == 1


def test_a_walk_on_another_course_and_a_grip_on_another_dynamometer_are_series_of_their_own(
    as_user, pat, record, referred
):
    record("6mwt", 4, distance_m=Decimal("400"), course_length_m=30)
    record("6mwt", 2, distance_m=Decimal("380"), course_length_m=20)  # more turns: not comparable
    record("6mwt", 1, distance_m=Decimal("450"), course_length_m=30)
    record("6mwt", 1, distance_m=Decimal("420"))  # course not recorded: never assumed the same
    record("grip", 3, right_kg=[Decimal("18")], dynamometer="Jamar", handle_position=2)
    record("grip", 1, right_kg=[Decimal("20")], dynamometer="Baseline", handle_position=2)
    page = as_user(pat).get(url(referred)).content.decode()
    for title in (
        "6-minute walk test, 30 m course",
        "6-minute walk test, 20 m course",
        "Grip strength, Jamar, handle 2",
        "Grip strength, Baseline, handle 2",
    ):
        assert title in page
    # Only the 30 m course has two results to draw a trend from.
    assert page.count("<svg viewBox=") == 1


# --- Validation: the field named, nothing saved ------------------------------------------------


@pytest.mark.parametrize(
    ("test_id", "typed", "field", "words"),
    [
        (
            "6mwt",
            {"distance_m": "1300"},
            "Distance walked (m)",
            "1300 is not allowed: metres walked in 6 minutes, 0 to 1200",
        ),
        (
            "6mwt",
            {"distance_m": "-5"},
            "Distance walked (m)",
            "-5 is not allowed: metres walked in 6 minutes, 0 to 1200",
        ),
        ("6mwt", {}, "Distance walked (m)", "Required; allowed: metres walked"),
        ("6mwt", {"distance_m": "far"}, "Distance walked (m)", "Enter a number."),
        ("tug", {"seconds": "7"}, "Pace the child was asked to walk at", "Required"),
        (
            "single-leg-stance",
            {"left_s": "45", "cap_s": "30", "eyes": "open"},
            "Standing on the left leg (seconds)",
            "45 is above the cap of 30 s",
        ),
        (
            "single-leg-stance",
            {"cap_s": "30", "eyes": "open"},
            "Standing on the left leg (seconds)",
            "Give the seconds for at least one leg",
        ),
        (
            "grip",
            {"left_kg_1": "20", "left_kg_2": "120"},
            "Left hand, trial 2 (kg)",
            "Trial 2: 120 is not allowed: kg, 0 to 100",
        ),
        ("30s-sts", {"repetitions": "12.5"}, "Full stands in 30 seconds", "whole number"),
    ],
)
def test_an_invalid_value_is_refused_naming_its_field_and_nothing_is_saved(
    as_user, pat, referred, test_id, typed, field, words
):
    response = post(as_user(pat), referred, test_id, **typed)
    assert response.status_code == 200
    page = response.content.decode()
    assert "The test was not saved" in page
    summary = page[page.index("The test was not saved") :]
    summary = summary[: summary.index("</ul>")]
    assert f">{field}</a>: " in summary and words in summary, summary
    assert not FunctionalTest.objects.exists()
    assert not AuditEvent.objects.filter(object_type="functionaltest", action="create").exists()


def test_the_action_keys_its_errors_by_the_cores_field(pat, referred):
    with pytest.raises(ValidationError) as refused:
        functional_test_record(
            by=pat, episode=referred, test_id="grip", day=TODAY, inputs={"right_kg": [1, 2, 3, 4]}
        )
    assert list(refused.value.message_dict) == ["right_kg"]
    assert not FunctionalTest.objects.exists()


def test_a_day_in_the_future_or_before_the_referral_is_refused(as_user, pat, referred):
    client = as_user(pat)
    tomorrow = post(
        client,
        referred,
        "tug",
        seconds="7",
        pace="fast",
        day=(TODAY + timedelta(days=1)).isoformat(),
    )
    assert "The day tested is today or before." in tomorrow.content.decode()
    early = post(
        client,
        referred,
        "tug",
        seconds="7",
        pace="fast",
        day=(REFERRED - timedelta(days=1)).isoformat(),
    )
    assert "on or after its referral" in early.content.decode()
    assert not FunctionalTest.objects.exists()
    assert (
        post(client, referred, "tug", seconds="7", pace="fast", day=TODAY.isoformat()).status_code
        == 302
    )


def test_a_test_the_page_does_not_send_is_a_bad_request(as_user, pat, referred):
    client = as_user(pat)
    assert client.get(url(referred, test="marathon")).status_code == 400
    assert client.post(url(referred), {"distance_m": "400"}).status_code == 400
    assert post(client, referred, "marathon", distance_m="400").status_code == 400
    assert not FunctionalTest.objects.exists()


def test_the_chosen_tests_form_is_shown(as_user, pat, referred):
    page = as_user(pat).get(url(referred, test="grip")).content.decode()
    assert 'name="test" value="grip"' in page
    assert "Left hand, trial 3 (kg)" in page and "Handle position" in page
    assert "Distance walked" not in page


# --- The audit log ------------------------------------------------------------------------------


def test_recording_writes_one_event_with_the_child_and_no_value_or_name(
    as_user, pat, maya, referred
):
    post(as_user(pat), referred, "6mwt", distance_m="512", note="Maya walked well")
    saved = FunctionalTest.objects.get()
    event = AuditEvent.objects.get(action="create", object_type="functionaltest")
    assert (event.object_id, event.patient_id, event.actor_id) == (str(saved.pk), maya.pk, pat.pk)
    assert event.detail == "6mwt"  # the test, never a value, a note or a name


def test_reading_the_page_is_audited(as_user, pat, maya, referred):
    as_user(pat).get(url(referred))
    assert AuditEvent.objects.filter(
        action="view", object_type="episode", patient_id=maya.pk, detail="functional_tests"
    ).exists()


# --- Who may see and record -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "get", "post_status"),
    [
        ("pat", 200, 302),  # a PT on the care team records
        ("olive", 404, 404),  # a PT of the clinic, off the team: the record does not exist
        ("elsa", 404, 404),  # a PT at another clinic
        ("phil", 404, 404),  # a physician off the team
        ("cora", 200, 403),  # the coordinator reads the exam; she does not examine
        ("ada", 403, 403),  # the clinic admin: not a clinical role
        ("gina", 403, 403),  # Maya's mother: staff only in this slice
        ("maya_teen", 403, 403),  # Maya herself
        ("otto", 404, 404),  # another family
    ],
)
def test_who_may_see_and_record(request, as_user, referred, persona, get, post_status):
    user = request.getfixturevalue(persona)
    client = as_user(user)
    assert client.get(url(referred)).status_code == get
    response = post(client, referred, "30s-sts", repetitions="12")
    assert response.status_code == post_status
    assert FunctionalTest.objects.exists() == (post_status == 302)


def test_a_counselor_on_the_team_reads_but_does_not_record(as_user, clinic, cora, referred):
    counselor = make_user(clinic, "connie", roles=("counselor",))
    patients.care_team_add(
        by=cora, episode=referred, clinician=counselor, discipline=Discipline.COUNSELING
    )
    client = as_user(counselor)
    page = client.get(url(referred))
    assert page.status_code == 200 and b"Record a test" not in page.content
    assert post(client, referred, "30s-sts", repetitions="12").status_code == 403
    assert AuditEvent.objects.filter(action="permission_denied", detail="403 exam_record").exists()


def test_a_physician_on_the_team_records(as_user, cora, phil, referred):
    patients.care_team_add(
        by=cora, episode=referred, clinician=phil, discipline=Discipline.MEDICINE
    )
    assert post(as_user(phil), referred, "grip", right_kg_1="18").status_code == 302


# --- The overview card ------------------------------------------------------------------------


def test_the_overview_shows_the_latest_of_each_test_and_its_change(
    as_user, pat, maya, record, referred
):
    record("6mwt", 8, distance_m=Decimal("350"))
    record("6mwt", 4, distance_m=Decimal("420"))
    record("6mwt", 1, distance_m=Decimal("480.5"))
    record("tug", 8, seconds=Decimal("9.2"), pace="comfortable")
    record("tug", 1, seconds=Decimal("7"), pace="comfortable")
    record("grip", 1, right_kg=Decimal("18"))
    page = as_user(pat).get(reverse("patient_overview", args=[maya.pk])).content.decode()
    card = page[page.index('id="functional-tests-summary"') :]
    card = card[: card.index("</section>")]
    assert "Distance 480.5 m" in card and "Distance +130.5 m, better" in card
    assert "(from 350.0)" in card
    assert "Time -2.2 s, better" in card  # a shorter TUG is better
    assert "Right hand 18.0 kg" in card and "needs a second result" in card
    assert url(referred) in card


def test_the_overview_card_is_for_those_who_see_the_exam(as_user, ada, gina, maya, record):
    record("6mwt", 1, distance_m=Decimal("480"))
    for user in (ada, gina):
        page = as_user(user).get(reverse("patient_overview", args=[maya.pk])).content.decode()
        assert "functional-tests-summary" not in page


# --- The page's cost does not grow with the results ------------------------------------------


def test_the_page_reads_in_a_fixed_number_of_queries(as_user, pat, record, referred):
    client = as_user(pat)
    record("6mwt", 9, distance_m=Decimal("300"))
    record("grip", 9, left_kg=Decimal("10"))
    client.get(url(referred))  # the session and the user, warmed
    with CaptureQueriesContext(connection) as few:
        assert client.get(url(referred)).status_code == 200
    for weeks in range(1, 9):
        record("6mwt", weeks, distance_m=Decimal(300 + 10 * weeks))
        record("grip", weeks, left_kg=Decimal(10 + weeks), right_kg=Decimal(12))
        record("tug", weeks, seconds=Decimal(9), pace="fast" if weeks % 2 else "comfortable")
        record("single-leg-stance", weeks, left_s=Decimal(weeks), eyes="closed")
        record("30s-sts", weeks, repetitions=10 + weeks)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url(referred))
    assert response.status_code == 200 and response.content.count(b"<tr>") >= 42
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]
    assert len(few) <= 8, len(few)  # 7: session, user, roles, episode, scope, audit, tests

"""The physician letter and the discharge summary show health care before and after the
program, from the healthcare-use questionnaire as it was scored (issue 25)."""

from datetime import datetime, time, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from backto.access.patients.actions import episode_transition
from backto.capabilities.careplan.actions import episode_discharge
from backto.capabilities.measures.actions import administration_answer, mark_due
from backto.capabilities.measures.healthcare import before_after
from backto.capabilities.measures.models import Administration
from backto.readers.progress.reports import REPORTS, render_report, report_context
from tests.conftest import TODAY, spanish

pytestmark = pytest.mark.django_db

BEFORE = {
    "emergency": 2,
    "urgent_care": 1,
    "specialist": 4,
    "imaging_tests": 2,
    "hospital_nights": 1,
    "school_nurse": 6,
    "work_days_missed": 5,
}
AFTER = {**dict.fromkeys(BEFORE, 0), "specialist": 1, "school_nurse": 1}


def answer(by, episode, timepoint, counts, day=TODAY):
    mark_due(day)  # the daily sweep opens the forms due on `day`
    form = Administration.objects.get(
        episode=episode, instrument_id="healthcare-use", timepoint=timepoint
    )
    return administration_answer(by=by, administration=form, answers=counts, finish=True)


def run_program(clock, pat, gina, episode, before, after):
    """Maya's program: the baseline form answered on its first day; discharged 92 days later,
    the discharge form answered that day (3.0 months: 92 days / 30.4375)."""
    episode_transition(by=pat, episode=episode, target="intake")
    episode_transition(by=pat, episode=episode, target="active")
    answer(gina, episode, "baseline", before)
    # 92 days later in the clinic's days, at noon: whatever the suite's clock, a daylight-saving
    # change between the two does not move the discharge to a 93rd day
    discharged_on = TODAY + timedelta(days=92)
    clock.move_to(timezone.make_aware(datetime.combine(discharged_on, time(12))), tick=False)
    episode_discharge(
        by=pat,
        episode=episode,
        discharged_on=discharged_on,
        reason="program_completed",
        summary="Back at school full time.",
    )
    answer(gina, episode, "discharge", after, discharged_on)
    episode.refresh_from_db()
    return episode


@pytest.fixture
def program(clock, pat, gina, episode):
    return run_program(clock, pat, gina, episode, BEFORE, AFTER)


def test_before_and_after_are_the_forms_scores_per_3_months(program):
    found = before_after([program.pk])[program.pk]
    assert found.before.months == Decimal("3.0") and found.after.months == Decimal("3.0")
    rows = {row.key: (row.before, row.after, row.change) for row in found.rows()}
    assert rows["visits"] == (Decimal("7.0"), Decimal("1.0"), Decimal("-6.0"))
    assert rows["emergency"] == (Decimal("2.0"), Decimal("0.0"), Decimal("-2.0"))
    assert rows["work_days_missed"] == (Decimal("5.0"), Decimal("0.0"), Decimal("-5.0"))


@pytest.mark.parametrize("kind", ["physician", "discharge"])
def test_the_letters_show_health_care_before_and_after_with_its_rule(program, kind):
    report = REPORTS[kind]
    context = report_context(report, program)
    html, _ = render_report(report, context)
    text = " ".join(html.split())
    assert "Health care before and after the program" in text
    assert "<td>Emergency visits</td><td>2.0</td><td>0.0</td><td>-2.0</td>" in text
    assert "healthcare-use 1.0.0, scoring engine" in text  # the rule, in the sources
    # its total is not also tabled as a standardized measure
    assert all(s.instrument_id != "healthcare-use" for s in context["measures"])


def test_a_letter_before_any_after_form_says_when_the_family_answers_again(
    clock, pat, gina, episode
):
    episode_transition(by=pat, episode=episode, target="intake")
    episode_transition(by=pat, episode=episode, target="active")
    answer(gina, episode, "baseline", BEFORE)
    report = REPORTS["physician"]
    html, _ = render_report(report, report_context(report, episode))
    text = " ".join(html.split())
    assert "answers again at discharge and at each follow-up" in text
    assert "<td>Emergency visits</td><td>2.0</td></tr>" in text


def test_a_letter_without_the_form_has_no_health_care_section(pat, episode):
    episode_transition(by=pat, episode=episode, target="intake")
    episode_transition(by=pat, episode=episode, target="active")
    report = REPORTS["physician"]
    html, _ = render_report(report, report_context(report, episode))
    assert "Health care before and after" not in html


def page_text(client, episode):
    html = client.get(reverse("progress", args=[episode.pk])).content.decode()
    return " ".join(html.split())


def test_a_parent_reads_the_visits_in_their_own_counts_without_rates(as_user, gina, program):
    text = page_text(as_user(gina), program)
    assert "Visits to doctors and hospitals" in text
    assert (
        "In the 3 months before the program: 2 emergency visits, 1 urgent-care visit, "
        "4 visits to specialists, 2 scans or tests, 1 night in hospital, "
        "6 visits to the school nurse, 5 days of work missed." in text
    )
    assert (
        "Discharge (the 3 months before it): 1 visit to a specialist, "
        "1 visit to the school nurse." in text
    )
    assert "Fewer visits to doctors than before the program" in text
    assert "Talk with your doctor or the care team." in text
    assert "per 3 months" not in text  # rates are the care team's


def test_more_visits_after_are_said_plainly_never_judged(clock, as_user, pat, gina, episode):
    none = dict.fromkeys(BEFORE, 0)
    run_program(clock, pat, gina, episode, none, {**none, "emergency": 1})
    text = page_text(as_user(gina), episode)
    assert "no visits and no days of work missed" in text and "1 emergency visit." in text
    assert "Fewer visits" not in text


def test_the_child_and_the_care_team_do_not_get_the_parents_card(as_user, pat, maya_teen, program):
    assert "Visits to doctors and hospitals" not in page_text(as_user(maya_teen), program)
    assert "Visits to doctors and hospitals" not in page_text(as_user(pat), program)


def test_a_spanish_reading_parent_reads_the_visits_in_spanish(as_user, gina, program):
    text = page_text(as_user(spanish(gina)), program)
    assert "Visitas a médicos y hospitales" in text
    assert (
        "En los 3 meses antes del programa: 2 visitas a urgencias, 1 visita a atención inmediata"
        in text
    )
    assert "Al terminar el programa (los 3 meses anteriores): 1 visita a un especialista" in text


def test_the_letters_list_the_medicines_and_those_stopped_in_the_program(clock, pat, gina, program):
    from backto.capabilities.medicines.actions import medicine_add

    start = program.discharge.discharged_on - timedelta(days=92)
    medicine_add(by=gina, patient=program.patient, name="Melatonin", purpose="Sleep")
    medicine_add(
        by=gina,
        patient=program.patient,
        name="Gabapentin",
        purpose="Foot pain",
        started_on=start - timedelta(days=200),
        stopped_on=start + timedelta(days=30),
        helped="Not really, made her sleepy",
    )
    medicine_add(
        by=gina,
        patient=program.patient,
        name="Amitriptyline",
        how_often="Some nights",
        started_on=start - timedelta(days=100),
        reduced_on=start + timedelta(days=40),
    )
    medicine_add(
        by=gina,
        patient=program.patient,
        name="Ibuprofen",
        stopped_on=start - timedelta(days=60),  # stopped before the program: not in the letter
    )
    for kind in ("physician", "discharge"):
        report = REPORTS[kind]
        context = report_context(report, program)
        assert [m.name for m in context["medicines"].current] == ["Amitriptyline", "Melatonin"]
        assert [m.name for m in context["medicines"].reduced_in_program] == ["Amitriptyline"]
        assert [m.name for m in context["medicines"].stopped_in_program] == ["Gabapentin"]
        text = " ".join(render_report(report, context)[0].split())
        assert "Stopped during the program" in text and "Not really, made her sleepy" in text
        assert "3 entries have not yet been confirmed by a physician." in text
        assert "1 medicine was cut down during the program." in text
        assert "Ibuprofen" not in text
        assert "BackTo records no doses and gives no advice about medicines." in text

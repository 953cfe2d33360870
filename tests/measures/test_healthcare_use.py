"""The parent's health care visits (healthcare-use): asked at baseline, discharge and each
follow-up but never during the program, and its months covered filled in by BackTo when the form
is finished, never asked of the family (CLINICAL.md, "Medicines and healthcare use")."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from backto.capabilities.careplan import actions as care
from backto.capabilities.measures import actions
from backto.capabilities.measures.actions import clinic_template_set, mark_due
from backto.capabilities.measures.models import Administration, ClinicMeasure
from backto.capabilities.measures.queries import clinic_template, last_asked_on
from backto.capabilities.measures.results import result_record
from backto.capabilities.measures.schedule import (
    DEFAULT_TEMPLATE,
    TemplateRow,
    discharge_schedule,
    program_schedule,
)
from backto.clinical.instrument_registry import instrument_registry
from backto.clinical.scoring import score
from tests.conftest import TODAY
from tests.measures.conftest import baseline

COUNTS = {
    "emergency": 2,
    "urgent_care": 0,
    "specialist": 1,
    "imaging_tests": 1,
    "hospital_nights": 0,
    "school_nurse": 4,
    "work_days_missed": 3,
}
FOLLOW_UPS = [
    (1, date(2026, 4, 2)),
    (3, date(2026, 6, 2)),
    (6, date(2026, 9, 2)),
    (12, date(2027, 3, 2)),
]


def healthcare(planned: list) -> list[tuple[str, str]]:
    return [(p.timepoint, p.label) for p in planned if p.instrument_id == "healthcare-use"]


def test_the_default_template_asks_the_parent_at_the_points_only():
    [row] = [r for r in DEFAULT_TEMPLATE if r.instrument_id == "healthcare-use"]
    assert row == TemplateRow("healthcare-use", "parent", 0, at_follow_up=True)
    assert row.follows_up and row.at_baseline


def test_it_is_asked_at_baseline_and_never_during_the_program():
    planned = program_schedule(date(2026, 1, 5), 8)
    assert healthcare(planned) == [("baseline", "Baseline")]
    assert any(p.timepoint == "program" for p in planned)  # the others still repeat


def test_it_is_asked_at_discharge_and_each_follow_up():
    planned = discharge_schedule(date(2026, 3, 2), FOLLOW_UPS)
    assert healthcare(planned) == [
        ("discharge", "Discharge"),
        ("follow_up", "1 month"),
        ("follow_up", "3 months"),
        ("follow_up", "6 months"),
        ("follow_up", "12 months"),
    ]
    # a row asked at baseline and discharge only is still not asked at follow-ups
    assert ("follow_up", "1 month") not in [
        (p.timepoint, p.label) for p in planned if p.instrument_id == "pcs-c"
    ]


def test_a_clinics_own_template_keeps_it_at_the_points(ada, clinic):
    rows = [TemplateRow("fdi-child", "child", 2), TemplateRow("healthcare-use", "parent")]
    clinic_template_set(by=ada, clinic=clinic, rows=rows)
    assert ClinicMeasure.objects.get(clinic=clinic, instrument_id="healthcare-use").every_weeks == 0
    stored = {r.instrument_id: r for r in clinic_template(clinic)}
    assert stored["healthcare-use"].at_follow_up and not stored["fdi-child"].at_follow_up
    planned = discharge_schedule(date(2026, 3, 2), FOLLOW_UPS, list(stored.values()))
    assert len(healthcare(planned)) == 5


def test_a_clinic_cannot_repeat_it_during_the_program(ada, clinic):
    with pytest.raises(ValidationError, match="cannot be repeated during the program"):
        clinic_template_set(
            by=ada, clinic=clinic, rows=[TemplateRow("healthcare-use", "parent", 2)]
        )
    assert not ClinicMeasure.objects.filter(clinic=clinic).exists()


def test_the_questionnaires_page_offers_no_other_frequency(as_user, ada):
    page = as_user(ada).get(reverse("instrument_admin")).content.decode()
    assert "At baseline, discharge and each follow-up (never during the program)" in page
    assert '<input type="hidden" name="every-healthcare-use" value="0">' in page
    assert 'id="every-healthcare-use"' not in page


def finish(by, administration: Administration, answers=COUNTS) -> Administration:
    return actions.administration_answer(
        by=by, administration=administration, answers=answers, finish=True
    ).administration


def test_the_first_form_covers_3_months_filled_in_by_backto(gina, active):
    adm = finish(gina, baseline(active, "healthcare-use"))
    adm.refresh_from_db()
    assert adm.state == "completed"
    assert adm.answers == {**COUNTS, "months_covered": 3.0}
    assert adm.result["total"] == "3.0"  # (2 + 0 + 1) x 3 / 3
    assert adm.result["subscales"]["school_nurse"] == "4.0"
    assert adm.score_total is not None and str(adm.score_total) == "3.0"
    assert "x 3 / months_covered" in adm.result["rule"]


def test_discharge_covers_the_time_since_the_baseline(as_user, gina, pat, active, clock):
    finish(gina, baseline(active, "healthcare-use"))
    clock.shift(timedelta(days=21))  # a 3-week program
    discharged = TODAY + timedelta(days=21)
    care.episode_discharge(
        by=pat, episode=active, discharged_on=discharged, reason="goals_met", summary="Done."
    )
    mark_due(discharged)
    at_discharge = Administration.objects.get(
        episode=active, instrument_id="healthcare-use", timepoint="discharge"
    )
    assert last_asked_on(at_discharge) == TODAY
    page = as_user(gina).get(reverse("administration", args=[at_discharge.pk])).content.decode()
    since = f"{TODAY.day} {TODAY:%B} {TODAY.year}"
    assert f"Think about the time since {since}, when these questions were last answered." in page
    adm = finish(gina, at_discharge, {**dict.fromkeys(COUNTS, 0), "emergency": 1})
    adm.refresh_from_db()
    assert adm.answers["months_covered"] == 0.7  # 21 days / 30.4375 = 0.69 -> 0.7
    assert adm.result["total"] == "4.3"  # 1 x 3 / 0.7 = 4.2857...
    # a stored score is recomputed from the stored answers alone
    instrument = instrument_registry().get("healthcare-use", adm.instrument_version)
    assert result_record(score(instrument, adm.answers)) == adm.result
    # and the baseline's period is still the 3 months before it
    assert last_asked_on(baseline(active, "healthcare-use")) is None
    result = as_user(pat).get(reverse("administration", args=[adm.pk])).content.decode()
    assert "<strong>4.3</strong> per 3 months" in result
    assert "<dt>Months covered</dt><dd>0.7 (filled in by BackTo" in result
    # the care team's chart runs to just above the highest count, not to the range's 9000
    measures = as_user(pat).get(reverse("episode_measures", args=[active.pk])).content.decode()
    assert "Counts per 3 months from 0 to 5; lower is better." in measures


def test_the_family_is_never_asked_the_months(as_user, gina, active):
    adm = baseline(active, "healthcare-use")
    page = as_user(gina).get(reverse("administration", args=[adm.pk])).content.decode()
    assert "Think about the last 3 months." in page
    assert 'name="emergency"' in page and 'name="work_days_missed"' in page
    assert "months_covered" not in page and "Months these answers cover" not in page


def test_the_whole_form_finishes_and_fills_the_months(as_user, gina, active):
    adm = baseline(active, "healthcare-use")
    posted = {name: str(value) for name, value in COUNTS.items()}
    response = as_user(gina).post(
        reverse("administration", args=[adm.pk]), {**posted, "nav": "finish"}
    )
    assert response.status_code == 302
    adm.refresh_from_db()
    assert adm.state == "completed" and adm.answers["months_covered"] == 3.0


def test_a_posted_months_covered_is_ignored_by_the_form(as_user, gina, active):
    adm = baseline(active, "healthcare-use")
    posted = {name: str(value) for name, value in COUNTS.items()}
    as_user(gina).post(
        reverse("administration", args=[adm.pk]),
        {**posted, "months_covered": "0.5", "nav": "finish"},
    )
    adm.refresh_from_db()
    assert adm.answers["months_covered"] == 3.0


def test_the_action_refuses_an_answer_to_the_months(gina, active):
    adm = baseline(active, "healthcare-use")
    with pytest.raises(ValidationError, match="filled in by BackTo"):
        actions.administration_answer(
            by=gina,
            administration=adm,
            answers={**COUNTS, "months_covered": 1.0},
            finish=True,
        )
    adm.refresh_from_db()
    assert adm.state == "due" and adm.answers == {}


def test_a_saved_form_has_no_months_until_it_is_finished(gina, active):
    adm = actions.administration_answer(
        by=gina, administration=baseline(active, "healthcare-use"), answers=COUNTS, finish=False
    ).administration
    adm.refresh_from_db()
    assert adm.state == "in_progress" and "months_covered" not in adm.answers
    adm = finish(gina, adm, {})
    adm.refresh_from_db()
    assert adm.answers["months_covered"] == 3.0 and adm.result["total"] == "3.0"


def test_other_questionnaires_get_no_system_answers(gina, active):
    adm = finish(gina, baseline(active, "school"), {"mon": 2, "tue": 2})
    adm.refresh_from_db()
    assert "months_covered" not in adm.answers


def test_a_spanish_parent_is_asked_in_spanish(as_user, gina, active):
    gina.language = "es"
    gina.save(update_fields=["language"])
    adm = baseline(active, "healthcare-use")
    page = as_user(gina).get(reverse("administration", args=[adm.pk])).content.decode()
    assert "Visitas de atención médica" in page and "Piense en los últimos 3 meses." in page
    assert "sala de emergencias" in page and 'lang="en"' not in page
    assert "months_covered" not in page and "lo completa BackTo" not in page


def test_finishing_it_asks_the_parent_to_look_at_the_medicine_list(as_user, gina, active):
    """The form is asked at the program's start, its end and each follow-up: the points at
    which the family looks at the medicine list again (issue 25)."""
    adm = finish(gina, baseline(active, "healthcare-use"))
    page = as_user(gina).get(reverse("administration", args=[adm.pk])).content.decode()
    assert "is the medicine list still right?" in page
    assert reverse("medicine_list", args=[active.patient_id]) in page
    school = finish(gina, baseline(active, "school"), {"mon": 2, "tue": 2})
    other = as_user(gina).get(reverse("administration", args=[school.pk])).content.decode()
    assert "medicine list" not in other

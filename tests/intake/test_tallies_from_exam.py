"""The intake's tallies from the body map and the exam (issue #19): the painful-region count, the
ACR widespread pain index and regions with pain from the baseline body map, the Budapest signs
from the intake's sensory exam (the episode's first, never a later one); typed values only while the exam has none, kept in the record when
the exam takes over; each number says where it came from; never a diagnosis."""

import re
import uuid
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from backto.access.patients import actions as patients
from backto.capabilities.exam.intake_queries import (
    BaselinePainMap,
    ExamSigns,
    baseline_pain_map,
    baseline_pain_maps,
    intake_sensory_exam,
)
from backto.capabilities.exam.models import SensoryExam, SensoryFinding
from backto.capabilities.intake import actions
from backto.capabilities.intake.models import Intake
from backto.capabilities.intake.queries import TallySources, tally_sources
from backto.capabilities.intake.summary import intake_summary, merged_signs
from backto.clinical.body_map import generalized_pain_regions, widespread_pain_index
from backto.clinical.criteria_tallies import BUDAPEST_CATEGORIES
from tests.conftest import TODAY, ZONE
from tests.exam.exam_rows import RIGHT_LOWER_LEG_AND_FOOT, pain_map
from tests.intake.test_intake import family_answers
from tests.intake.test_wording import DIAGNOSTIC

# Six ACR areas, three of the 2016 criteria's five regions (left upper, right upper, axial), and
# six painful body regions: diffuse.
WIDESPREAD = (
    "shoulder-left-front",
    "upper-arm-left-front",
    "shoulder-right-front",
    "forearm-right-front",
    "neck-back",
    "lower-back",
)
ALL_NO = {f: "no" for features in BUDAPEST_CATEGORIES.values() for f in features}
SIGNS_ALL_NO = {f: v for f, v in ALL_NO.items() if f != "temperature_asymmetry"}


def url(episode: Any) -> str:
    return reverse("intake", args=[episode.pk])


def exam(
    episode: Any, by: Any, days_ago: int, signs: dict[str, str] | None, difference: str | None
) -> SensoryExam:
    """A sensory exam as the exam's action keeps it: `result` holds the Budapest signs and the
    measured temperature difference (`backto.clinical.sensory_exam.SensoryExamResult.as_dict`);
    `signs=None`: a result without Budapest signs."""
    result: dict[str, Any] = {"temperature_difference_c": difference}
    if signs is not None:
        result["budapest_signs"] = signs
    return SensoryExam.objects.create(
        episode=episode,
        day=TODAY - timedelta(days=days_ago),
        age_years=Decimal("12.50"),
        result=result,
        submission_key=uuid.uuid4(),
        recorded_by=by,
    )


def the_map(episode: Any) -> BaselinePainMap:
    found = baseline_pain_map(episode.pk)
    assert found is not None
    return found


def the_exam(episode: Any) -> ExamSigns:
    found = intake_sensory_exam(episode.pk)
    assert found is not None
    return found


def summary_of(intake: Intake, sources: TallySources | None = None) -> Any:
    """The intake's summary with every tally there (`Any`: the tests read them directly)."""
    return intake_summary(intake, sources=sources)


def typed_intake(episode: Any, by: Any, **acr: Any) -> Intake:
    """An intake typed before any map or exam: 2 painful regions, WPI 2, regions with pain 1, SS
    10, every Budapest sign no and no temperature difference; symptoms in 3 categories, A and D
    yes."""
    budapest = {
        "disproportionate_pain": "yes",
        "no_better_explanation": "yes",
        "temperature_difference_c": None,
        "symptoms": {**ALL_NO, "allodynia": "yes", "colour_change": "yes", "swelling": "yes"},
        "signs": SIGNS_ALL_NO,
    }
    return actions.intake_save(
        by=by,
        episode=episode,
        history={},
        screening={"distribution": {"answer": "yes", "value": 2}},
        red_flags={},
        budapest=budapest,
        acr={"wpi": 2, "ss": 10, "generalized_regions": 1, "duration_months": 7.0, **acr},
    )


# --- Which body map and which exam count ------------------------------------------------------


def test_there_is_no_baseline_map_or_exam_until_one_is_recorded(episode):
    assert baseline_pain_map(episode.pk) is None
    assert intake_sensory_exam(episode.pk) is None
    assert tally_sources(episode.pk) == TallySources()


def test_a_clinicians_baseline_map_counts_before_the_childs_and_the_childs_before_a_parents(
    episode, pat, gina, maya_teen
):
    day = TODAY - timedelta(days=3)
    pain_map(episode, gina, day, ["lower-back"], respondent="parent")
    assert the_map(episode).respondent == "parent"
    child = pain_map(episode, maya_teen, day, RIGHT_LOWER_LEG_AND_FOOT, respondent="child")
    found = the_map(episode)
    assert (found.pain_map_id, found.marked_by) == (child.pk, "the child")
    clinician = pain_map(episode, pat, day - timedelta(days=1), WIDESPREAD, respondent="clinician")
    found = the_map(episode)
    assert (found.pain_map_id, found.marked_by) == (clinician.pk, "a clinician")


def test_the_latest_baseline_map_of_that_person_counts_and_other_points_do_not(
    episode, maya_teen, leo, pat, clinic
):
    pain_map(episode, maya_teen, TODAY - timedelta(days=9), ["lower-back"])
    later = pain_map(episode, maya_teen, TODAY - timedelta(days=2), WIDESPREAD, label="Baseline 2")
    pain_map(episode, maya_teen, TODAY, ["neck-back"], timepoint="week_2", label="Week 2")
    found = the_map(episode)
    assert found.pain_map_id == later.pk
    assert found.day == TODAY - timedelta(days=2)


def test_the_baseline_maps_numbers_are_the_ones_stored_with_it(episode, maya_teen):
    marked = pain_map(episode, maya_teen, TODAY, WIDESPREAD)
    found = the_map(episode)
    # Worked by hand: shoulder girdle left and right, upper arm left, lower arm right, neck,
    # lower back: WPI 6; regions with pain: left upper, right upper, axial = 3 of 5.
    assert (found.wpi, found.generalized_regions, found.painful_region_count) == (6, 3, 6)
    assert found.wpi == widespread_pain_index(WIDESPREAD)
    assert found.generalized_regions == len(generalized_pain_regions(WIDESPREAD))
    assert found.catalogue_version == marked.result["catalogue_version"]


def test_the_regions_with_pain_are_worked_out_from_the_regions_only(episode, maya_teen):
    """The map's result never holds them (`pain_map_actions`); a stray value there is not read."""
    marked = pain_map(episode, maya_teen, TODAY, WIDESPREAD)
    marked.result["generalized_regions"] = 5
    marked.save(update_fields=["result"])
    assert the_map(episode).generalized_regions == 3  # left upper, right upper, axial


def test_the_intakes_exam_needs_no_key_for_its_signs(episode, pat):
    """Every exam's result holds its Budapest signs; the first one counts however it is kept."""
    first = exam(episode, pat, 3, None, "1.2")
    exam(episode, pat, 1, SIGNS_ALL_NO, None)
    found = the_exam(episode)
    assert (found.exam_id, dict(found.signs)) == (first.pk, {})
    assert found.temperature_difference_c == Decimal("1.2")


def test_each_read_is_one_query(episode, maya_teen, pat, django_assert_num_queries):
    for days_ago in (5, 3, 1):
        pain_map(
            episode, maya_teen, TODAY - timedelta(days=days_ago), WIDESPREAD, label=f"B{days_ago}"
        )
        exam(episode, pat, days_ago, SIGNS_ALL_NO, "0.4")
    with django_assert_num_queries(1):
        baseline_pain_map(episode.pk)
    start_program(episode, pat, 2)
    with django_assert_num_queries(1):
        intake_sensory_exam(episode.pk)


def start_program(episode: Any, by: Any, days_ago: int) -> date:
    """Move the episode to active, its first move `days_ago` clinic days before today."""
    patients.episode_transition(by=by, episode=episode, target="intake")
    began = TODAY - timedelta(days=days_ago)
    at = datetime.combine(began, time(9), tzinfo=ZONE)
    patients.episode_transition(by=by, episode=episode, target="active", at=at)
    return began


def physician_letter(episode: Any) -> str:
    """The physician letter's HTML (no PDF), whitespace folded: it prints the intake's summary
    under "Screening at intake"."""
    from django.template.loader import render_to_string

    from backto.readers.progress.reports import REPORTS, report_context

    report = REPORTS["physician"]
    episode.refresh_from_db()
    html = render_to_string(report.template, report_context(report, episode))
    return re.sub(r"\s+", " ", html)


def test_the_intakes_exam_is_the_first_one_on_or_before_the_program_start(episode, pat):
    first = exam(episode, pat, 50, {**SIGNS_ALL_NO, "allodynia": "yes"}, "1.6")
    exam(episode, pat, 46, {"allodynia": "no", "swelling": "yes"}, None)  # still before the start
    began = start_program(episode, pat, 45)
    exam(episode, pat, 3, SIGNS_ALL_NO, "0.2")  # week 6
    found = the_exam(episode)
    assert (found.exam_id, found.day) == (first.pk, TODAY - timedelta(days=50))
    assert dict(found.signs) == {**SIGNS_ALL_NO, "allodynia": "yes"}
    assert found.temperature_difference_c == Decimal("1.6")
    assert (found.program_start, found.after_program_start) == (began, False)


def test_an_exam_on_the_day_the_program_starts_belongs_to_the_intake(episode, pat):
    began = start_program(episode, pat, 10)
    on_the_day = exam(episode, pat, 10, SIGNS_ALL_NO, None)
    exam(episode, pat, 2, {**SIGNS_ALL_NO, "swelling": "yes"}, None)
    found = the_exam(episode)
    assert (found.exam_id, found.program_start, found.after_program_start) == (
        on_the_day.pk,
        began,
        False,
    )


def test_without_an_exam_before_the_start_the_episodes_first_exam_counts_and_says_so(episode, pat):
    began = start_program(episode, pat, 20)
    first = exam(episode, pat, 12, {**SIGNS_ALL_NO, "allodynia": "yes"}, None)
    exam(episode, pat, 1, SIGNS_ALL_NO, None)
    found = the_exam(episode)
    assert (found.exam_id, found.program_start, found.after_program_start) == (
        first.pk,
        began,
        True,
    )
    summary = summary_of(typed_intake(episode, pat))
    assert summary.budapest_source == (
        f"Signs from the exam of {found.day.isoformat()}, the episode's first, done after the "
        f"program started on {began.isoformat()} (temperature difference: none measured); "
        "symptoms, A and D from the intake history."
    )


def test_before_the_program_starts_the_first_exam_counts(episode, pat):
    first = exam(episode, pat, 4, {**SIGNS_ALL_NO, "allodynia": "yes"}, None)
    exam(episode, pat, 1, SIGNS_ALL_NO, None)
    found = the_exam(episode)
    assert (found.exam_id, found.program_start, found.after_program_start) == (
        first.pk,
        None,
        False,
    )


def test_an_exam_at_week_6_does_not_rewrite_the_intakes_tally_or_the_physician_letter(episode, pat):
    """Issue #19's review: the latest exam used to rewrite the signs 'at intake'."""
    intake = typed_intake(episode, pat)
    intake_day = TODAY - timedelta(days=44)
    exam(episode, pat, 44, {**SIGNS_ALL_NO, "allodynia": "yes"}, "1.4")
    start_program(episode, pat, 43)
    exam(episode, pat, 1, SIGNS_ALL_NO, "0.1")  # week 6: better
    summary = summary_of(intake)
    assert summary.budapest.c_signs == "met"  # allodynia and 1.4 °C, as at intake
    source = (
        f"Signs from the exam of {intake_day.isoformat()} (temperature difference: 1.4 °C); "
        "symptoms, A and D from the intake history."
    )
    assert summary.budapest_source == source
    letter = physician_letter(episode)
    assert "<h2>Screening at intake</h2>" in letter
    assert "Budapest clinical criteria tally: met " + source in letter


def test_the_exams_temperature_is_its_measured_difference_never_a_typed_sign(episode, pat):
    exam(episode, pat, 2, {"temperature_asymmetry": "yes", "allodynia": "yes"}, "-1.2")
    found = the_exam(episode)
    assert dict(found.signs) == {"allodynia": "yes"}
    assert found.temperature_difference_c == Decimal("-1.2")


# --- The summary: which source each number came from -------------------------------------------


def test_without_map_or_exam_the_typed_values_are_used_and_said_to_be(episode, pat):
    summary = summary_of(typed_intake(episode, pat))
    assert "Distribution: localized (2 painful regions, as typed in the intake)." in (
        summary.screening.clinician_lines
    )
    assert summary.acr_2010.text == "ACR 2010 criteria tally: not met (WPI 2, SS 10)"
    assert summary.acr_source == (
        "WPI, SS, regions with pain and symptom duration as typed in the intake."
    )
    # Typed signs all no: C not met.
    assert summary.budapest.c_signs == "not met"
    assert summary.budapest_source.startswith(
        "Signs and temperature difference as typed in the intake (no sensory exam yet)"
    )


def test_the_baseline_map_gives_the_region_count_wpi_and_regions_with_pain(episode, pat, maya_teen):
    intake = typed_intake(episode, pat)
    day = TODAY - timedelta(days=4)
    pain_map(episode, maya_teen, day, WIDESPREAD)
    summary = summary_of(intake)
    assert summary.screening.distribution == "diffuse"
    assert summary.screening.region_count == 6
    assert (
        f"Distribution: diffuse (6 painful regions, from the body map marked on "
        f"{day.isoformat()} by the child)." in summary.screening.clinician_lines
    )
    # WPI 6 from the map, SS 10 typed: ACR 2010 (WPI 3-6 and SS >= 9) met; ACR 2016 needs 4 of 5
    # regions with pain and the map has 3.
    assert summary.acr_2010.text == "ACR 2010 criteria tally: met (WPI 6, SS 10)"
    assert summary.acr_2016.generalized_pain == "not met"
    assert summary.acr_source == (
        f"WPI 6 and regions with pain 3 of 5 from the body map marked on {day.isoformat()} by "
        "the child; SS and symptom duration as typed in the intake."
    )
    # The typed values stay in the record.
    intake.refresh_from_db()
    assert intake.screening["distribution"]["value"] == 2
    assert (intake.acr["wpi"], intake.acr["generalized_regions"]) == (2, 1)


def test_a_map_marked_nowhere_gives_no_distribution_and_a_wpi_of_zero(episode, pat, gina):
    intake = typed_intake(episode, pat)
    pain_map(episode, gina, TODAY, [], respondent="parent")
    summary = summary_of(intake)
    assert summary.screening.distribution is None
    assert (
        f"Distribution: no painful region marked, from the body map marked on "
        f"{TODAY.isoformat()} by a parent." in summary.screening.clinician_lines
    )
    assert summary.acr_2010.wpi == 0


FOUR_AREAS = ("shoulder-left-front", "upper-arm-left-front", "neck-back", "lower-back")  # WPI 4


def test_the_childs_nowhere_counts_and_the_parents_map_is_shown_beside_it(
    as_user, pat, gina, maya_teen, episode
):
    """The trial on PostgreSQL: the child's "Nowhere right now" counts (clinician, else child,
    else parent), and the clinician now sees the parent's 4 areas beside it."""
    intake = typed_intake(episode, pat)
    child_day, parent_day = TODAY - timedelta(days=2), TODAY - timedelta(days=3)
    pain_map(episode, maya_teen, child_day, [])
    pain_map(episode, gina, parent_day - timedelta(days=7), ["lower-back"], respondent="parent")
    parent = pain_map(episode, gina, parent_day, FOUR_AREAS, respondent="parent", label="B2")
    sources = tally_sources(episode.pk)
    assert sources.pain_map is not None and sources.pain_map.marked_by == "the child"
    assert [m.pain_map_id for m in sources.other_maps] == [parent.pk]  # the parent's latest
    also = (
        "Also marked at baseline, not counted: a parent marked 4 painful regions (WPI 4) on "
        f"{parent_day.isoformat()}."
    )
    lines = summary_of(intake).screening.clinician_lines
    distribution = (
        f"Distribution: no painful region marked, from the body map marked on "
        f"{child_day.isoformat()} by the child."
    )
    assert lines[lines.index(distribution) + 1] == also
    assert summary_of(intake).acr_2010.wpi == 0  # the rule is kept: the child's map counts
    page = page_text(as_user(pat).get(url(episode)))
    assert page.count(also) == 2  # the summary and, on the form, beside the map's count
    family = page_text(as_user(gina).get(url(episode)))
    assert "Also marked at baseline" not in family
    assert f"<li>{also}</li>" in physician_letter(episode)


def test_beside_a_clinicians_map_both_family_maps_are_shown(episode, pat, gina, maya_teen):
    day = TODAY - timedelta(days=1)
    pain_map(episode, gina, day, FOUR_AREAS, respondent="parent")
    pain_map(episode, maya_teen, day, [])
    pain_map(episode, pat, day, WIDESPREAD, respondent="clinician")
    sources = tally_sources(episode.pk)
    assert sources.pain_map is not None and sources.pain_map.marked_by == "a clinician"
    assert sources.other_maps_line == (
        f"Also marked at baseline, not counted: the child marked nowhere right now on "
        f"{day.isoformat()}; a parent marked 4 painful regions (WPI 4) on {day.isoformat()}."
    )


def test_a_single_baseline_map_has_nothing_beside_it(episode, pat, maya_teen):
    intake = typed_intake(episode, pat)
    pain_map(episode, maya_teen, TODAY, WIDESPREAD)
    pain_map(episode, maya_teen, TODAY, WIDESPREAD, label="B2")  # the same child, again
    pain_map(episode, maya_teen, TODAY, FOUR_AREAS, timepoint="week_2", label="Week 2")
    assert tally_sources(episode.pk).other_maps == ()
    lines = summary_of(intake).screening.clinician_lines
    assert not any(line.startswith("Also marked") for line in lines)


def test_the_baseline_maps_are_one_query_however_many_were_marked(
    episode, pat, gina, maya_teen, django_assert_num_queries
):
    for days_ago in range(6, 0, -1):
        day = TODAY - timedelta(days=days_ago)
        pain_map(episode, maya_teen, day, WIDESPREAD, label=f"B{days_ago}")
        pain_map(episode, gina, day, FOUR_AREAS, respondent="parent", label=f"B{days_ago}")
        pain_map(episode, pat, day, [], respondent="clinician", label=f"B{days_ago}")
    with django_assert_num_queries(1):
        maps = baseline_pain_maps(episode.pk)
    assert maps.counting is not None and maps.counting.marked_by == "a clinician"
    assert [m.day for m in (maps.counting, *maps.others)] == [TODAY - timedelta(days=1)] * 3
    assert [m.marked_by for m in maps.others] == ["the child", "a parent"]


def test_the_distribution_line_stays_before_the_pattern(episode, pat, maya_teen):
    actions.intake_save(
        by=pat,
        episode=episode,
        history={},
        screening={"pattern": {"answer": "yes", "value": "constant"}},
        red_flags={},
    )
    pain_map(episode, maya_teen, TODAY, RIGHT_LOWER_LEG_AND_FOOT)
    lines = intake_summary(Intake.objects.get()).screening.clinician_lines
    assert lines[-2].startswith("Distribution: localized (2 painful regions, from the body map")
    assert lines[-1] == "Pattern: constant."


def test_the_budapest_signs_come_from_the_intakes_exam(episode, pat):
    intake = typed_intake(episode, pat)
    day = TODAY - timedelta(days=2)
    exam(episode, pat, 2, {**SIGNS_ALL_NO, "allodynia": "yes"}, "1.4")
    summary = summary_of(intake)
    # Exam: allodynia (sensory) and 1.4 °C > 1.0 °C (vasomotor) = 2 categories; symptoms in 3
    # categories, A and D yes from the history.
    assert summary.budapest.c_signs == "met"
    assert summary.budapest.text == "Budapest clinical criteria tally: met"
    assert summary.budapest_source == (
        f"Signs from the exam of {day.isoformat()} (temperature difference: 1.4 °C); "
        "symptoms, A and D from the intake history."
    )
    assert Intake.objects.get().budapest["signs"] == SIGNS_ALL_NO  # typed, kept


# An exam that tested allodynia only and found it (the rest left unknown, no temperature).
ALLODYNIA_ONLY = dict.fromkeys(SIGNS_ALL_NO, "unknown") | {"allodynia": "yes"}


def intake_with_typed_signs(episode: Any, by: Any, difference: str | None = "1.3") -> Intake:
    """Typed before the exam: tremor and swelling seen, the other signs not, and a measured
    temperature difference; no symptoms, A and D yes."""
    return actions.intake_save(
        by=by,
        episode=episode,
        history={},
        screening={},
        red_flags={},
        budapest={
            "disproportionate_pain": "yes",
            "no_better_explanation": "yes",
            "temperature_difference_c": difference,
            "symptoms": {},
            "signs": {**SIGNS_ALL_NO, "tremor": "yes", "swelling": "yes"},
        },
    )


def test_a_typed_sign_counts_where_the_exam_left_it_unknown_and_the_exam_wins_elsewhere(
    episode, pat
):
    intake = intake_with_typed_signs(episode, pat)
    exam(episode, pat, 1, {**ALLODYNIA_ONLY, "swelling": "no"}, None)
    merged = merged_signs(intake.budapest, tally_sources(episode.pk).exam)
    assert merged.signs == {**SIGNS_ALL_NO, "allodynia": "yes", "tremor": "yes"}  # swelling: exam
    assert set(merged.typed) == set(SIGNS_ALL_NO) - {"allodynia", "swelling"}
    assert (merged.temperature_difference_c, merged.temperature_typed) == (Decimal("1.3"), True)
    summary = summary_of(intake)
    # Allodynia (exam) is sensory, 1.3 °C typed > 1.0 °C is vasomotor, tremor (typed) is motor:
    # three categories. The exam's swelling "no" wins over the typed "yes".
    assert summary.budapest.sign_categories == {
        "sensory": "yes",
        "vasomotor": "yes",
        "sudomotor_edema": "no",
        "motor_trophic": "yes",
    }
    assert summary.budapest.c_signs == "met"
    day = (TODAY - timedelta(days=1)).isoformat()
    assert summary.budapest_source == (
        f"Signs from the exam of {day} (temperature difference: 1.3 °C as typed in the intake, "
        "not measured at that exam); as typed in the intake where that exam left them unknown: "
        "hyperalgesia (pinprick), skin colour change or asymmetry, sweating change or asymmetry, "
        "reduced range of motion, motor weakness, tremor, dystonia, trophic change (hair, nail, "
        "skin); symptoms, A and D from the intake history."
    )


def test_a_typed_sign_the_exam_left_unknown_is_checked_and_refused_when_wrong(episode, pat):
    from django.core.exceptions import ValidationError

    exam(episode, pat, 1, ALLODYNIA_ONLY, None)
    with pytest.raises(ValidationError, match=r"signs\.tremor"):
        actions.intake_save(
            by=pat,
            episode=episode,
            history={},
            screening={},
            red_flags={},
            budapest={"signs": {"tremor": "maybe"}},
        )
    assert not Intake.objects.exists()


def test_the_exams_measured_difference_wins_over_a_typed_one(episode, pat):
    intake = intake_with_typed_signs(episode, pat, difference="1.3")
    exam(episode, pat, 0, SIGNS_ALL_NO, "0.4")
    summary = summary_of(intake)
    assert summary.budapest.sign_categories["vasomotor"] == "no"
    assert "(temperature difference: 0.4 °C); symptoms" in summary.budapest_source
    assert "as typed in the intake where" not in summary.budapest_source


def test_the_clinician_types_only_what_the_exam_left_unknown_and_it_is_kept(as_user, pat, episode):
    intake_with_typed_signs(episode, pat, difference=None)
    exam(episode, pat, 1, {**ALLODYNIA_ONLY, "swelling": "no"}, None)
    client = as_user(pat)
    page = page_text(client.get(url(episode)))
    assert 'name="signs_allodynia"' not in page and 'name="signs_swelling"' not in page
    assert 'name="signs_tremor"' in page and 'name="temperature_difference_c"' in page
    assert "<li>Allodynia: yes</li>" in page and "<li>Swelling (edema): no</li>" in page
    assert "Left unknown at that exam, so typed below where you saw them: Hyperalgesia" in page
    assert "the skin temperature difference (not measured)." in page
    assert "kept in the record, not used: Allodynia no, Swelling (edema) yes." in page
    day = (TODAY - timedelta(days=1)).isoformat()
    assert f"The exam of {day} left this unknown: what is typed here counts." in page
    data = family_answers(
        disproportionate_pain="yes",
        no_better_explanation="yes",
        signs_allodynia="no",  # not in the form: ignored
        signs_dystonia="yes",
        signs_tremor="no",
        temperature_difference_c="1.6",
    )
    assert client.post(url(episode), data).status_code == 302
    budapest = Intake.objects.get().budapest
    assert budapest["signs"]["allodynia"] == "no"  # typed before, kept
    assert budapest["signs"]["swelling"] == "yes"  # typed before, kept (the exam says no)
    assert (budapest["signs"]["dystonia"], budapest["signs"]["tremor"]) == ("yes", "no")
    assert budapest["temperature_difference_c"] == "1.6"
    summary = summary_of(Intake.objects.get())
    assert summary.budapest.sign_categories["motor_trophic"] == "yes"  # dystonia, typed
    assert summary.budapest.sign_categories["vasomotor"] == "yes"  # 1.6 °C, typed


def test_an_exam_without_a_typed_budapest_gives_a_tally_of_signs_only(episode, pat):
    actions.intake_save(by=pat, episode=episode, history={}, screening={}, red_flags={})
    exam(episode, pat, 0, {**SIGNS_ALL_NO, "allodynia": "yes", "swelling": "yes"}, None)
    summary = summary_of(Intake.objects.get())
    assert summary.budapest.c_signs == "met"
    assert summary.budapest.result == "incomplete"  # symptoms, A and D unknown
    assert "temperature difference: none measured" in summary.budapest_source


# --- The pages ----------------------------------------------------------------------------------


def page_text(response: Any) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_the_clinician_reads_the_maps_numbers_instead_of_typing_them(
    as_user, pat, maya_teen, episode
):
    typed_intake(episode, pat)
    day = TODAY - timedelta(days=4)
    pain_map(episode, maya_teen, day, WIDESPREAD)
    page = page_text(as_user(pat).get(url(episode)))
    for name in ("regions", "wpi", "generalized_regions"):
        assert f'name="{name}"' not in page
    assert 'name="ss"' in page
    assert (
        f"Painful body regions: 6</strong>, from the body map marked on {day.isoformat()} by "
        "the child" in page
    )
    assert (
        "Widespread pain index (WPI): 6 of 19</strong> and <strong>regions with pain: 3 of 5 "
        f"(ACR 2016)</strong>, from the body map marked on {day.isoformat()} by the child" in page
    )
    assert "Typed before the map: 2. Kept in the record, not used." in page
    assert "Typed before the map: WPI 2, regions with pain 1. Kept in the record, not used." in page
    assert "ACR 2010 criteria tally: met (WPI 6, SS 10)" in page


def test_saving_the_clinicians_form_keeps_what_was_typed_before_the_map_and_exam(
    as_user, pat, maya_teen, episode
):
    typed_intake(episode, pat)
    pain_map(episode, maya_teen, TODAY, WIDESPREAD)
    exam(episode, pat, 0, {**SIGNS_ALL_NO, "allodynia": "yes"}, "1.4")
    data = family_answers(
        disproportionate_pain="yes", no_better_explanation="yes", ss="11", duration_months="8"
    )
    data.pop("regions")
    for feature in ("allodynia", "colour_change", "swelling"):
        data[f"symptoms_{feature}"] = "yes"
    response = as_user(pat).post(url(episode), data)
    assert response.status_code == 302
    intake = Intake.objects.get()
    assert intake.screening["distribution"] == {"answer": "yes", "value": 2}
    assert intake.acr == {"wpi": 2, "ss": 11, "generalized_regions": 1, "duration_months": 8.0}
    assert intake.budapest["signs"] == SIGNS_ALL_NO
    assert intake.budapest["temperature_difference_c"] is None
    assert intake.budapest["symptoms"]["colour_change"] == "yes"


def test_a_posted_typed_count_is_ignored_once_the_map_gives_it(as_user, pat, maya_teen, episode):
    typed_intake(episode, pat)
    pain_map(episode, maya_teen, TODAY, WIDESPREAD)
    as_user(pat).post(url(episode), family_answers(regions="9", wpi="19", generalized_regions="5"))
    intake = Intake.objects.get()
    assert intake.screening["distribution"]["value"] == 2
    assert (intake.acr["wpi"], intake.acr["generalized_regions"]) == (2, 1)


def test_the_clinician_reads_the_exams_signs_instead_of_typing_them(as_user, pat, episode):
    typed_intake(episode, pat)
    day = TODAY - timedelta(days=1)
    exam(episode, pat, 1, {**SIGNS_ALL_NO, "swelling": "yes"}, "-0.6")
    page = page_text(as_user(pat).get(url(episode)))
    assert 'name="signs_' not in page
    assert 'name="temperature_difference_c"' not in page
    assert 'name="symptoms_allodynia"' in page
    assert f"Signs seen at the exam of {day.isoformat()}</strong>" in page
    assert "<li>Swelling (edema): yes</li>" in page
    assert "affected minus other side: -0.6 °C" in page
    assert f"Signs from the exam of {day.isoformat()} (temperature difference: -0.6 °C)" in page


def test_without_map_or_exam_the_clinician_types_as_before(as_user, pat, episode):
    typed_intake(episode, pat)
    page = page_text(as_user(pat).get(url(episode)))
    for name in ("regions", "wpi", "generalized_regions", "signs_allodynia"):
        assert f'name="{name}"' in page
    assert "from the body map" not in page
    assert "(2 painful regions, as typed in the intake)" in page
    assert "Typed only until a baseline body map is marked: then the map counts it." in page
    assert "Typed only until a sensory exam is recorded" in page


def test_the_family_is_not_asked_to_count_the_areas_once_the_map_is_marked(
    as_user, gina, maya_teen, episode
):
    client = as_user(gina)
    assert "How many areas of the body hurt?" in page_text(client.get(url(episode)))
    client.post(url(episode), family_answers())  # 2 areas typed
    day = TODAY - timedelta(days=1)
    pain_map(episode, maya_teen, day, RIGHT_LOWER_LEG_AND_FOOT)
    page = page_text(client.get(url(episode)))
    assert "How many areas of the body hurt?" not in page
    assert 'name="regions"' not in page
    assert f"Where it hurts was marked on the body map on {day:%-d %B %Y}" in page
    answers = family_answers()
    answers.pop("regions")
    assert client.post(url(episode), answers).status_code == 302
    assert Intake.objects.get().screening["distribution"]["value"] == 2  # kept


def test_the_physician_letters_summary_reads_the_exam_itself(episode, pat, maya_teen):
    """The progress reader calls intake_summary(intake) without sources."""
    intake = typed_intake(episode, pat)
    pain_map(episode, maya_teen, TODAY, WIDESPREAD)
    assert intake_summary(intake).screening.region_count == 6
    assert intake_summary(intake, sources=TallySources()).screening.region_count == 2


def test_no_page_says_a_child_has_the_condition(as_user, pat, gina, maya_teen, episode):
    typed_intake(episode, pat)
    pain_map(episode, maya_teen, TODAY, WIDESPREAD)
    exam(episode, pat, 0, {**SIGNS_ALL_NO, "allodynia": "yes"}, "1.4")
    for user in (pat, gina):
        page = page_text(as_user(user).get(url(episode)))
        assert not DIAGNOSTIC.search(page)
        assert "fibromyalgia criteria tally" not in page.lower()
    clinician = page_text(as_user(pat).get(url(episode)))
    assert "Budapest clinical criteria tally: met" in clinician
    assert "Tallies of published criteria, not diagnoses" in clinician


@pytest.mark.parametrize("user", ["pat", "gina"])
def test_the_intake_page_reads_a_fixed_number_of_queries(
    user, request, as_user, pat, maya_teen, episode
):
    typed_intake(episode, pat)
    client = as_user(request.getfixturevalue(user))

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url(episode)).status_code == 200
        return len(queries)

    pain_map(episode, maya_teen, TODAY - timedelta(days=6), WIDESPREAD)
    first = exam(episode, pat, 6, SIGNS_ALL_NO, "0.2")
    SensoryFinding.objects.create(
        exam=first, kind="allodynia", stimulus="brush", regions=["foot-right-front"], percent=1
    )
    few = count()
    for days_ago in range(5, 0, -1):
        pain_map(
            episode, maya_teen, TODAY - timedelta(days=days_ago), WIDESPREAD, label=f"B{days_ago}"
        )
        pain_map(
            episode,
            pat,
            TODAY - timedelta(days=days_ago),
            WIDESPREAD,
            respondent="clinician",
            label=f"B{days_ago}",
        )
        later = exam(episode, pat, days_ago, SIGNS_ALL_NO, "0.3")
        SensoryFinding.objects.create(
            exam=later, kind="allodynia", stimulus="brush", regions=["foot-right-front"], percent=1
        )
    assert count() == few


def test_an_exam_recorded_by_the_exams_own_action_fills_the_signs(episode, pat):
    """The real shape of the exam's result (`sensory_actions.sensory_exam_record`), end to end."""
    from backto.capabilities.exam.sensory_actions import sensory_exam_record

    intake = typed_intake(episode, pat)
    sensory_exam_record(
        by=pat,
        episode=episode,
        day=TODAY,
        findings=[{"stimulus": "brush", "regions": ["foot-right-front"], "evoked_pain": 6}],
        signs={
            "affected_side": "right",
            "temperatures": [{"site": "Back of the foot", "affected_c": "30.1", "other_c": "31.6"}],
            "tremor": "no",
        },
        submission_key=uuid.uuid4(),
    )
    found = the_exam(episode)
    assert found.signs["allodynia"] == "yes"
    assert found.temperature_difference_c == Decimal("-1.5")
    summary = summary_of(intake)
    # Sensory (brush allodynia) and vasomotor (|-1.5| > 1.0 °C): C met; A, B and D from history.
    assert summary.budapest.sign_categories["vasomotor"] == "yes"
    assert summary.budapest.text == "Budapest clinical criteria tally: met"
    assert "(temperature difference: -1.5 °C)" in summary.budapest_source


def test_the_care_team_is_linked_to_the_body_map_and_the_admin_is_not(
    as_user, pat, ada, maya_teen, episode
):
    typed_intake(episode, pat)
    pain_map(episode, maya_teen, TODAY, WIDESPREAD)
    link = f'href="{reverse("pain_map_episode", args=[episode.pk])}"'
    assert link in page_text(as_user(pat).get(url(episode)))
    admin = page_text(as_user(ada).get(url(episode)))  # reads the intake, not the exam
    assert "from the body map marked on" in admin
    assert link not in admin


def test_a_family_whose_baseline_map_is_due_marks_it_instead_of_counting(
    as_user, gina, maya, episode
):
    """The exam's rule (`pain_map_queries.due_in_episode`): a map is due where the family has a
    questionnaire open at the point. Here a clinic asks the parent's baseline before the program."""
    from backto.capabilities.exam.pain_map_actions import pain_map_record
    from backto.capabilities.measures.models import Administration

    Administration.objects.create(
        episode=episode,
        instrument_id="fdi-parent",
        respondent="parent",
        timepoint="baseline",
        label="Baseline",
        due_on=TODAY,
        state="due",
    )
    client = as_user(gina)
    page = page_text(client.get(url(episode)))
    assert "How many areas of the body hurt?" not in page
    mark = reverse("pain_map_mark", args=[episode.pk])
    assert f'<a href="{mark}?for=parent">Mark where it hurts on the body map</a>' in page
    assert client.get(f"{mark}?for=parent").status_code == 200  # the family may open it
    pain_map_record(
        by=gina,
        episode=episode,
        respondent="parent",
        timepoint="baseline",
        label="Baseline",
        regions=list(WIDESPREAD),
        day=TODAY,
        submission_key=uuid.uuid4(),
    )
    page = page_text(client.get(url(episode)))
    assert "Mark where it hurts" not in page
    assert f"Where it hurts was marked on the body map on {TODAY:%-d %B %Y}" in page
    answers = family_answers()
    answers.pop("regions")
    assert client.post(url(episode), answers).status_code == 302
    summary = summary_of(Intake.objects.get())
    assert summary.screening.region_count == 6
    assert summary.sources.pain_map.marked_by == "a parent"


def test_a_clinicians_baseline_map_recorded_by_its_action_counts_first_end_to_end(
    as_user, pat, gina, maya_teen, episode
):
    """The care team's own map (`pain_map_actions.pain_map_record`, respondent "clinician"),
    recorded at the baseline point beside the child's and the parent's: the intake's tallies
    take it, and show the family's two maps beside it."""
    from backto.capabilities.exam.pain_map_actions import pain_map_record
    from backto.capabilities.measures.models import Administration

    for respondent in ("child", "parent"):
        Administration.objects.create(
            episode=episode,
            instrument_id=f"fdi-{respondent}",
            respondent=respondent,
            timepoint="baseline",
            label="Baseline",
            due_on=TODAY,
            state="due",
        )
    intake = typed_intake(episode, pat)
    for by, respondent, regions in (
        (maya_teen, "child", []),
        (gina, "parent", FOUR_AREAS),
        (pat, "clinician", WIDESPREAD),
    ):
        pain_map_record(
            by=by,
            episode=episode,
            respondent=respondent,
            timepoint="baseline",
            label="Baseline",
            regions=list(regions),
            day=TODAY,
            submission_key=uuid.uuid4(),
        )
    summary = summary_of(intake)
    assert summary.sources.pain_map.marked_by == "a clinician"
    day = TODAY.isoformat()
    assert (
        f"Distribution: diffuse (6 painful regions, from the body map marked on {day} by a "
        "clinician)." in summary.screening.clinician_lines
    )
    also = (
        f"Also marked at baseline, not counted: the child marked nowhere right now on {day}; "
        f"a parent marked 4 painful regions (WPI 4) on {day}."
    )
    assert also in summary.screening.clinician_lines
    # WPI 6 from the clinician's map with the typed SS 10: the ACR 2010 tally is met.
    assert summary.acr_2010.text == "ACR 2010 criteria tally: met (WPI 6, SS 10)"
    assert summary.acr_source.startswith(
        f"WPI 6 and regions with pain 3 of 5 from the body map marked on {day} by a clinician;"
    )
    page = page_text(as_user(pat).get(url(episode)))
    assert f"from the body map marked on {day} by a clinician" in page
    assert also in page

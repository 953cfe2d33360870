"""Answering questionnaires: one question per screen for a child, the whole form for a parent,
paper entry by the care team; scores stored as the clinical core computes them."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from backto.capabilities.measures import actions
from backto.capabilities.measures.models import Administration
from backto.clinical.instrument_registry import instrument_registry
from backto.clinical.scoring import ENGINE_VERSION, score
from tests.conftest import audited
from tests.measures.conftest import baseline

FDI_ANSWERS = {str(n): n % 5 for n in range(1, 16)}


def url(administration, **query):
    query_string = "&".join(f"{k}={v}" for k, v in query.items())
    return reverse("administration", args=[administration.pk]) + (
        "?" + query_string if query else ""
    )


def step(client, administration, number, value, nav="next"):
    data = {"q": str(number), "nav": nav}
    if value is not None:
        data[str(number)] = str(value)
    return client.post(url(administration), data)


def test_a_teen_answers_the_fdi_one_question_per_screen_and_can_resume(
    worded, as_user, maya_teen, maya, active
):
    fdi = baseline(active, "fdi-child")
    client = as_user(maya_teen)
    page = client.get(url(fdi)).content.decode()
    assert "Question 1 of 15" in page and 'max="15" value="1"' in page
    for number in range(1, 6):
        response = step(client, fdi, number, FDI_ANSWERS[str(number)])
        assert response.status_code == 302 and response.url.endswith(f"?q={number + 1}")
    fdi.refresh_from_db()
    assert fdi.state == "in_progress" and len(fdi.answers) == 5
    # Leaving and coming back resumes at the first unanswered question.
    assert "Question 6 of 15" in client.get(url(fdi)).content.decode()
    # Back keeps the answer given on this screen and shows the previous one, answer kept.
    response = step(client, fdi, 6, 4, nav="back")
    assert response.url.endswith("?q=5")
    page = client.get(url(fdi, q=5)).content.decode()
    assert "Question 5 of 15" in page and 'value="0" id="id_5_0" checked' in page
    fdi.refresh_from_db()
    assert fdi.answers["6"] == 4
    for number in range(6, 15):
        step(client, fdi, number, FDI_ANSWERS[str(number)])
    response = step(client, fdi, 15, FDI_ANSWERS["15"], nav="finish")
    assert response.status_code == 302
    fdi.refresh_from_db()
    assert fdi.state == "completed" and not fdi.on_behalf and fdi.completed_by == maya_teen
    expected = score(instrument_registry().get("fdi-child"), FDI_ANSWERS)
    assert fdi.result["total"] == str(expected.total) and fdi.result["band"] == expected.band
    assert fdi.engine_version == ENGINE_VERSION and fdi.instrument_version == "1.0.0"
    assert fdi.answers == FDI_ANSWERS
    assert audited("update", object_type="administration", patient_id=maya.pk)
    done = client.get(response.url).content.decode()
    assert "All done" in done and str(expected.total) not in done  # no score for the child


def test_a_parent_fills_the_whole_form_at_once(worded, as_user, gina, maya, maya_teen, active):
    fdi = baseline(active, "fdi-parent")
    client = as_user(gina)
    page = client.get(url(fdi)).content.decode()
    assert page.count('type="radio"') == 15 * 5
    response = client.post(url(fdi), {**FDI_ANSWERS, "nav": "finish"})
    assert response.status_code == 302
    fdi.refresh_from_db()
    expected = score(instrument_registry().get("fdi-parent"), FDI_ANSWERS)
    assert fdi.state == "completed" and Decimal(fdi.result["total"]) == expected.total


def test_save_and_finish_later_keeps_the_answers(worded, as_user, gina, maya, active):
    fdi = baseline(active, "fdi-parent")
    client = as_user(gina)
    client.post(url(fdi), {"1": "2", "2": "3", "nav": "save"})
    fdi.refresh_from_db()
    assert fdi.state == "in_progress" and fdi.answers == {"1": 2, "2": 3}
    assert 'value="3" id="id_2_3" checked' in client.get(url(fdi)).content.decode()


def test_finishing_with_gaps_asks_once_then_prorates(worded, as_user, gina, maya, active):
    fdi = baseline(active, "fdi-parent")
    client = as_user(gina)
    answers = {k: v for k, v in FDI_ANSWERS.items() if k not in ("4", "9")}
    page = client.post(url(fdi), {**answers, "nav": "finish"}).content.decode()
    assert "2 questions are not answered: FDI item 4, FDI item 9" in page
    assert 'name="confirm_missing"' in page
    fdi.refresh_from_db()
    assert fdi.state == "due"
    client.post(url(fdi), {**answers, "nav": "finish", "confirm_missing": "1"})
    fdi.refresh_from_db()
    assert fdi.state == "completed" and fdi.result["prorated"] and fdi.result["missing"] == 2
    assert fdi.result["total"] == str(score(instrument_registry().get("fdi-parent"), answers).total)


def test_an_answer_outside_the_options_is_refused_naming_the_item(
    worded, as_user, gina, maya, active
):
    fdi = baseline(active, "fdi-parent")
    page = as_user(gina).post(url(fdi), {"1": "7", "nav": "finish"}).content.decode()
    assert "FDI item 1: 7 is not allowed; choose one of the answers shown." in page
    fdi.refresh_from_db()
    assert fdi.state == "due" and fdi.answers == {}
    with pytest.raises(ValidationError) as error:
        actions.administration_answer(by=gina, administration=fdi, answers={"1": 7}, finish=True)
    assert "item '1'" in str(error.value) and "0, 1, 2, 3, 4" in str(error.value)


def test_a_completed_questionnaire_sent_again_changes_nothing(worded, as_user, gina, maya, active):
    fdi = baseline(active, "fdi-parent")
    client = as_user(gina)
    client.post(url(fdi), {**FDI_ANSWERS, "nav": "finish"})
    again = client.post(url(fdi), {**dict.fromkeys(FDI_ANSWERS, "4"), "nav": "finish"})
    assert again.status_code == 409
    assert "already completed" in again.content.decode()
    fdi.refresh_from_db()
    assert fdi.answers == FDI_ANSWERS


def test_the_care_team_enters_a_paper_form_marked_as_such(as_user, pat, maya, active):
    fdi = baseline(active, "fdi-child")
    client = as_user(pat)
    page = client.get(url(fdi)).content.decode()
    assert "on the family's behalf" in page and page.count('type="radio"') == 75
    client.post(url(fdi), {**FDI_ANSWERS, "nav": "finish"})
    fdi.refresh_from_db()
    assert fdi.state == "completed" and fdi.on_behalf and fdi.completed_by == pat
    result = client.get(url(fdi)).content.decode()
    assert "entered from paper" in result and fdi.result["total"] in result
    assert "scoring engine " + ENGINE_VERSION in result


def test_who_may_answer_what(as_user, client, gina, otto, olive, ada, maya, maya_teen, active):
    child_form = baseline(active, "fdi-child")
    parent_form = baseline(active, "fdi-parent")
    # Maya has her own account: her mother answers the parent form, not Maya's.
    assert as_user(gina).get(url(child_form)).status_code == 403
    assert as_user(maya_teen).get(url(parent_form)).status_code == 403
    assert as_user(otto).get(url(parent_form)).status_code == 404
    assert as_user(olive).get(url(parent_form)).status_code == 404
    assert as_user(ada).get(url(parent_form)).status_code == 403
    assert audited("permission_denied", object_type="administration", detail="403 measure_answer")
    with pytest.raises(PermissionDenied):
        actions.administration_answer(
            by=gina, administration=child_form, answers={"1": 1}, finish=False
        )


def test_a_guardian_answers_the_child_form_with_a_child_without_an_account(
    worded, as_user, otto, leo, cora, pat
):
    from backto.access.patients import actions as patients

    episode = patients.episode_open(by=cora, patient=leo, referral_date=leo.created_at.date())
    patients.care_team_add(by=cora, episode=episode, clinician=pat, discipline="pt", lead=True)
    patients.episode_transition(by=pat, episode=episode, target="intake")
    patients.episode_transition(by=pat, episode=episode, target="active")
    actions.mark_due(leo.created_at.date())
    fdi = baseline(episode, "fdi-child")
    assert "Question 1 of 15" in as_user(otto).get(url(fdi)).content.decode()


def test_a_scheduled_questionnaire_opens_on_its_day(worded, as_user, gina, maya, active):
    later = Administration.objects.filter(
        episode=active, instrument_id="fdi-parent", timepoint="program"
    ).first()
    page = as_user(gina).get(url(later)).content.decode()
    assert "opens on" in page and 'type="radio"' not in page


def test_the_family_home_lists_what_each_person_answers(
    worded, as_user, client, gina, maya_teen, maya, active
):
    teen_home = as_user(maya_teen).get(reverse("family_home")).content.decode()
    assert (
        "Today for you" in teen_home and "Functional Disability Inventory, child form" in teen_home
    )
    assert url(baseline(active, "fdi-child")) in teen_home
    assert url(baseline(active, "fdi-parent")) not in teen_home
    client.logout()
    parent_home = as_user(gina).get(reverse("family_home")).content.decode()
    assert url(baseline(active, "fdi-parent")) in parent_home
    assert url(baseline(active, "fdi-child")) not in parent_home


def test_questions_an_answer_switches_off_are_neither_gaps_nor_kept(as_user, gina, maya, active):
    school = baseline(active, "school")
    full_days = dict.fromkeys(("mon", "tue", "wed", "thu", "fri"), "2")
    response = as_user(gina).post(
        url(school), {**full_days, "missed_4wk": "0", "mon_hours": "3", "nav": "finish"}
    )
    assert response.status_code == 302  # no "not answered" for the hours of part days
    school.refresh_from_db()
    assert school.state == "completed" and "mon_hours" not in school.answers


def test_a_safety_answer_on_a_multiple_choice_item_is_found(instrument_files):
    from backto.clinical.instrument_registry import instrument_registry

    def mark_coping(data):
        coping = next(i for i in data["items"] if i["linkId"] == "coping")
        coping["answerOption"][0]["safety_alert"] = True

    instrument_files("daily-diary", "1.0.1", mark_coping)
    instrument = instrument_registry().get("daily-diary", "1.0.1")
    first = instrument.item("coping").answerOption[0].value
    assert score(instrument, {"coping": [first, first + 1]}).alerts == ("coping",)
    assert score(instrument, {"coping": [first + 1]}).alerts == ()

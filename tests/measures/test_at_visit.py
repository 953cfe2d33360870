"""A family is never shown a questionnaire without its words: an instrument whose licensed
wording the clinic has not installed (or one asked in clinic) waits for the next visit, where the
care team enters it from the paper form."""

import importlib

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.urls import reverse

from backto.capabilities.instruments.actions import instrument_pack_install
from backto.capabilities.instruments.models import InstrumentPack
from backto.capabilities.measures import actions
from backto.capabilities.measures.models import Administration
from backto.capabilities.measures.queries import AT_VISIT, due_counts, due_for_family
from tests.conftest import install_test_wording
from tests.measures.conftest import baseline

ALL = [str(n) for n in range(1, 16)]


def url(administration: Administration) -> str:
    return reverse("administration", args=[administration.pk])


def test_the_family_home_says_the_care_team_will_go_through_it_at_the_next_visit(
    as_user, gina, maya, active
):
    home = as_user(gina).get(reverse("family_home")).content.decode()
    assert (
        "Your care team will go through a short questionnaire with you at your next visit" in home
    )
    # the forms that ship their words are there to fill in; the licensed ones are not
    assert url(baseline(active, "school")) in home and url(baseline(active, "nrs-pain")) in home
    for instrument_id in ("fdi-parent", "fdi-child", "pcs-p", "pcs-c", "fopq-c-sf"):
        assert url(baseline(active, instrument_id)) not in home
    due = due_for_family(gina, [maya.pk])
    assert [a.instrument_id for a in due.to_fill_in[maya.pk]] == [
        "healthcare-use",
        "nrs-pain",
        "school",
    ]
    assert due.at_visit[maya.pk] == 5
    assert due_counts(teen=False, patient_ids=[maya.pk], clinic=maya.clinic) == {maya.pk: 3}


def test_opening_one_shows_the_sentence_and_nothing_else(as_user, gina, maya, active):
    fdi = baseline(active, "fdi-parent")
    client = as_user(gina)
    page = client.get(url(fdi)).content.decode()
    assert AT_VISIT in page
    assert 'type="radio"' not in page and "FDI item" not in page and "licensed" not in page
    response = client.post(url(fdi), {"1": "2", "nav": "finish"})
    assert response.status_code == 409 and AT_VISIT in response.content.decode()
    fdi.refresh_from_db()
    assert fdi.state == "due" and fdi.answers == {}


def test_the_action_refuses_a_familys_answers_too(gina, maya_teen, active):
    for person, instrument_id in ((gina, "fdi-parent"), (maya_teen, "fdi-child")):
        with pytest.raises(ValidationError) as refused:
            actions.administration_answer(
                by=person,
                administration=baseline(active, instrument_id),
                answers={"1": 1},
                finish=False,
            )
        assert refused.value.code == "at_visit"


def test_staff_enter_it_from_the_paper_form_marked_as_such(as_user, pat, maya, active):
    fdi = baseline(active, "fdi-parent")
    client = as_user(pat)
    page = client.get(url(fdi)).content.decode()
    assert "Enter from your licensed paper form." in page
    assert "Item 1 of the licensed paper form." in page and page.count('type="radio"') == 15 * 5
    assert "Think about" not in page and "as printed on the licensed form" not in page
    response = client.post(url(fdi), {**dict.fromkeys(ALL, "1"), "nav": "finish"})
    assert response.status_code == 302
    fdi.refresh_from_db()
    assert fdi.state == "completed" and fdi.on_behalf and fdi.result["total"] == "15.0"
    assert fdi.wording_revision is None
    result = client.get(url(fdi)).content.decode()
    assert "entered from the licensed paper form" in result


def test_the_care_team_sees_them_on_the_caseload_and_the_patient_page(as_user, pat, maya, active):
    client = as_user(pat)
    home = client.get(reverse("clinician_home")).content.decode()
    assert "5 questionnaires to enter at the next visit" in home
    overview = client.get(reverse("patient_overview", args=[maya.pk])).content.decode()
    shown = Administration.objects.filter(
        episode=active, state__in=("scheduled", "due", "in_progress")
    )[:8]
    licensed = [a for a in shown if a.instrument_id not in ("nrs-pain", "school", "healthcare-use")]
    assert overview.count("at the next visit</span>") == len(licensed) >= 5


def test_once_the_clinic_installs_the_wording_the_family_is_given_it(gina, maya, active):
    install_test_wording(maya.clinic, "fdi-parent")
    due = due_for_family(gina, [maya.pk])
    assert "fdi-parent" in [a.instrument_id for a in due.to_fill_in[maya.pk]]
    assert due.at_visit[maya.pk] == 4


def test_answers_keep_the_wording_revision_they_were_given_with(as_user, gina, pat, maya, active):
    install_test_wording(maya.clinic, "fdi-parent")
    fdi = baseline(active, "fdi-parent")
    as_user(gina).post(url(fdi), {"1": "2", "nav": "save"})
    fdi.refresh_from_db()
    assert fdi.wording_revision == 1
    # the clinic then changes the wording: the form already begun keeps its own
    pack = (
        InstrumentPack.objects.get()
        .pack()
        .model_copy(update={"items": {n: f"Revised wording {n}" for n in ALL}})
    )
    instrument_pack_install(clinic=maya.clinic, pack=pack, source_name="revised", username="t")
    client = as_user(gina)
    page = client.get(url(fdi)).content.decode()
    assert "Test wording of fdi-parent item 1" in page and "Revised wording" not in page
    client.post(url(fdi), {**dict.fromkeys(ALL, "1"), "nav": "finish"})
    result = as_user(pat).get(url(fdi)).content.decode()
    assert "Test wording of fdi-parent item 3" in result and "revision 1" in result
    # a form begun after the change is given the new wording
    week = Administration.objects.filter(episode=active, instrument_id="fdi-parent").exclude(
        pk=fdi.pk
    )[0]
    Administration.objects.filter(pk=week.pk).update(state="due")
    assert "Revised wording 1" in as_user(gina).get(url(week)).content.decode()


def test_an_instrument_asked_in_clinic_is_never_sent_even_with_its_words(
    as_user, gina, maya, active, instrument_files
):
    instrument_files("school", "1.0.1", lambda data: data.update(setting="in_clinic"))
    school = baseline(active, "school")
    assert AT_VISIT in as_user(gina).get(url(school)).content.decode()
    assert "school" not in [
        a.instrument_id for a in due_for_family(gina, [maya.pk]).to_fill_in[maya.pk]
    ]


def test_answers_given_before_wording_was_versioned_are_pinned_to_its_first_revision(
    gina, maya, active
):
    migration = importlib.import_module(
        "backto.capabilities.measures.migrations.0008_pin_wording_revision_one"
    )
    install_test_wording(maya.clinic, "fdi-parent")
    Administration.objects.filter(
        episode=active, instrument_id__in=("fdi-parent", "school")
    ).update(instrument_version="1.0.0")
    migration.pin(apps, None)
    pinned = dict(
        Administration.objects.filter(episode=active, timepoint="baseline").values_list(
            "instrument_id", "wording_revision"
        )
    )
    assert pinned["fdi-parent"] == 1 and pinned["school"] is None and pinned["fdi-child"] is None


def test_a_form_pinned_to_a_version_without_wording_waits_for_the_visit(
    as_user, pat, gina, maya, active, instrument_files
):
    # Staff began the parent FDI from paper on 1.0.0; a 1.0.1 then ships and the clinic installs
    # its wording: the form begun on 1.0.0 still has no words, so it is not the family's.
    fdi = baseline(active, "fdi-parent")
    actions.administration_answer(by=pat, administration=fdi, answers={"1": 2}, finish=False)
    instrument_files("fdi-parent", "1.0.1", lambda data: None)
    install_test_wording(maya.clinic, "fdi-parent")
    assert AT_VISIT in as_user(gina).get(url(fdi)).content.decode()
    due = due_for_family(gina, [maya.pk])
    assert fdi.pk not in [a.pk for a in due.to_fill_in.get(maya.pk, [])]
    # while a questionnaire not yet begun is given the new version, with its words
    week = Administration.objects.filter(episode=active, instrument_id="fdi-parent").exclude(
        pk=fdi.pk
    )[0]
    Administration.objects.filter(pk=week.pk).update(state="due")
    page = as_user(gina).get(url(week)).content.decode()
    assert "Test wording of fdi-parent item 1" in page


def test_a_paper_form_finished_by_the_family_once_wording_is_installed_is_pinned(
    as_user, pat, gina, maya, active
):
    fdi = baseline(active, "fdi-parent")
    actions.administration_answer(by=pat, administration=fdi, answers={"1": 2}, finish=False)
    fdi.refresh_from_db()
    assert fdi.wording_revision is None  # begun from paper, without words
    install_test_wording(maya.clinic, "fdi-parent")
    as_user(gina).post(url(fdi), {**dict.fromkeys(ALL, "1"), "nav": "finish"})
    fdi.refresh_from_db()
    assert fdi.state == "completed" and fdi.wording_revision == 1

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, connection
from django.urls import reverse

from backto.access.patients.actions import episode_transition
from backto.audit.models import AuditEvent
from backto.capabilities.intake import actions
from backto.capabilities.intake.models import Intake
from tests.conftest import PINNED_AT, TODAY, audited


def url(episode):
    return reverse("intake", args=[episode.pk])


def family_answers(**overrides):
    data = {
        "onset_date": (TODAY - timedelta(days=200)).isoformat(),
        "trigger": "injury",
        "trigger_note": "Sprained ankle at soccer",
        "prior_treatments": "Rest, a boot",
        "medicines": "Ibuprofen",
        "s_allodynia": "yes",
        "s_hyperalgesia": "yes",
        "s_vasomotor": "unknown",
        "s_functional_impact": "yes",
        "regions": "2",
        "pattern": "constant",
    }
    for flag in (
        "fever",
        "weight_loss",
        "night_pain",
        "joint_swelling",
        "neurological_deficit",
        "abnormal_labs",
        "focal_bone_pain",
    ):
        data[f"r_{flag}"] = "no"
    data.update(overrides)
    return data


def test_a_family_answers_from_home_in_plain_words(as_user, gina, episode):
    client = as_user(gina)
    page = client.get(url(episode)).content.decode()
    assert "Does light touch hurt" in page
    assert "Allodynia" not in page
    response = client.post(url(episode), family_answers())
    assert response.status_code == 302
    intake = Intake.objects.get(episode=episode)
    assert intake.family_submitted_by == gina and intake.confirmed_at is None
    assert intake.screening["allodynia"]["answer"] == "yes"
    assert audited("create", object_type="intake", detail="by family")
    summary = client.get(url(episode)).content.decode()
    # Onset 200 days ago answers item 1 (3 months or more): 4 features.
    assert (
        "4 features often seen in amplified pain — a clinician must examine your child." in summary
    )
    assert "A doctor still needs to check" not in summary


def test_red_flags_come_first_and_route_to_a_doctor(as_user, client, gina, pat, episode):
    as_user(gina).post(url(episode), family_answers(r_night_pain="yes", r_fever="unknown"))
    family = as_user(gina).get(url(episode)).content.decode()
    first = family.index("Please arrange a medical evaluation first")
    assert first < family.index("often seen in amplified pain")
    assert "pain that wakes your child at night" in family
    client.logout()
    team = as_user(pat).get(url(episode)).content.decode()
    assert team.index("Red flags present: Night pain that wakes the child") < team.index(
        "Features often seen"
    )
    assert "Red flags not yet checked: Fever" in team


def test_the_clinician_reviews_adds_criteria_and_confirms(as_user, gina, pat, episode):
    as_user(gina).post(url(episode), family_answers())
    client = as_user(pat)
    data = family_answers(
        workup="Normal bloods and X-ray",
        n_allodynia="Brush on the dorsum",
        disproportionate_pain="yes",
        no_better_explanation="yes",
        temperature_difference_c="1.4",
        wpi="2",
        ss="4",
        duration_months="7",
    )
    for feature in ("allodynia", "colour_change", "swelling", "reduced_range_of_motion"):
        data[f"symptoms_{feature}"] = "yes"
    for feature in ("allodynia", "swelling"):
        data[f"signs_{feature}"] = "yes"
    response = client.post(url(episode), data)
    assert response.status_code == 302
    page = client.get(url(episode)).content.decode()
    # Symptoms in all 4 categories, signs in 2 (sensory, sudomotor), A and D yes.
    assert "Budapest clinical criteria tally: met" in page
    assert "ACR 2010 criteria tally: not met (WPI 2, SS 4)" in page
    client.post(reverse("intake_confirm", args=[episode.pk]))
    intake = Intake.objects.get()
    assert intake.confirmed_by == pat
    assert audited("update", object_type="intake", detail="confirmed")


def test_the_budapest_tally_is_met_with_every_category_answered(as_user, pat, episode):
    data = family_answers(
        disproportionate_pain="yes", no_better_explanation="yes", temperature_difference_c="1.4"
    )
    from backto.clinical.criteria_tallies import BUDAPEST_CATEGORIES

    for features in BUDAPEST_CATEGORIES.values():
        for feature in features:
            data[f"symptoms_{feature}"] = "no"
            data[f"signs_{feature}"] = "no"
    for feature in ("allodynia", "colour_change", "swelling"):
        data[f"symptoms_{feature}"] = "yes"
    data["signs_allodynia"] = "yes"
    as_user(pat).post(url(episode), data)
    page = as_user(pat).get(url(episode)).content.decode()
    # Signs: sensory (allodynia) and vasomotor (1.4 °C > 1.0 °C) = 2 categories.
    assert "Budapest clinical criteria tally: met" in page


def test_it_names_the_field_for_bad_input(as_user, pat, episode):
    tomorrow = (TODAY + timedelta(days=1)).isoformat()
    response = as_user(pat).post(
        url(episode), family_answers(onset_date=tomorrow, wpi="25", s_allodynia="maybe")
    )
    body = response.content.decode()
    assert "cannot be in the future" in body
    assert "less than or equal to 19" in body
    assert "Select a valid choice" in body
    assert not Intake.objects.exists()


def test_families_cannot_change_the_intake_once_the_program_runs(as_user, gina, pat, episode):
    episode_transition(by=pat, episode=episode, target="intake")
    episode_transition(by=pat, episode=episode, target="active")
    response = as_user(gina).post(url(episode), family_answers())
    assert response.status_code == 403
    assert not Intake.objects.exists()


def test_it_returns_404_to_another_family(as_user, otto, episode):
    assert as_user(otto).get(url(episode)).status_code == 404
    assert audited("permission_denied", actor_id=otto.pk)


def test_it_returns_403_to_the_admin_recording_an_intake(as_user, ada, episode):
    assert as_user(ada).get(url(episode)).status_code == 200  # the admin may read
    assert as_user(ada).post(url(episode), family_answers()).status_code == 403


def test_a_teen_reads_but_does_not_fill_the_intake(as_user, maya_teen, episode):
    assert as_user(maya_teen).post(url(episode), family_answers()).status_code == 403


def test_a_family_saving_again_keeps_the_clinicians_notes_and_needs_a_new_confirmation(
    gina, pat, episode
):
    answers = {"allodynia": {"answer": "yes"}}
    actions.intake_save(by=gina, episode=episode, history={}, screening=answers, red_flags={})
    actions.intake_save(
        by=pat,
        episode=episode,
        history={},
        screening={"allodynia": {"answer": "yes", "note": "Light touch on the right foot"}},
        red_flags={},
    )
    Intake.objects.filter(episode=episode).update(confirmed_by=pat, confirmed_at=PINNED_AT)
    actions.intake_save(by=gina, episode=episode, history={}, screening=answers, red_flags={})
    intake = Intake.objects.get(episode=episode)
    assert intake.screening["allodynia"] == {
        "answer": "yes",
        "note": "Light touch on the right foot",
    }
    assert intake.confirmed_at is None


def test_a_clinician_clears_an_answer_and_it_is_gone(pat, episode):
    regions = {
        "distribution": {"answer": "yes", "value": 6},
        "pattern": {"answer": "yes", "value": "constant"},
    }
    actions.intake_save(by=pat, episode=episode, history={}, screening=regions, red_flags={})
    actions.intake_save(by=pat, episode=episode, history={}, screening={}, red_flags={})
    assert Intake.objects.get(episode=episode).screening == {}


def refuse_audit_inserts(execute, sql, params, many, context):
    """The database refuses to write to the audit log, as when its disk is full."""
    if sql.lstrip().upper().startswith("INSERT") and "audit_auditevent" in sql:
        raise DatabaseError("the audit log is down")
    return execute(sql, params, many, context)


@pytest.mark.django_db(transaction=True)
def test_an_intake_and_its_audit_event_are_saved_together(gina, episode):
    with connection.execute_wrapper(refuse_audit_inserts), pytest.raises(DatabaseError):
        actions.intake_save(by=gina, episode=episode, history={}, screening={}, red_flags={})
    assert not Intake.objects.exists()
    assert not AuditEvent.objects.filter(object_type="intake").exists()


def test_the_save_refuses_a_family_once_the_program_runs(gina, pat, episode):
    episode_transition(by=pat, episode=episode, target="intake")
    episode = episode_transition(by=pat, episode=episode, target="active")
    with pytest.raises(PermissionDenied):
        actions.intake_save(by=gina, episode=episode, history={}, screening={}, red_flags={})
    assert not Intake.objects.exists()


def test_the_save_refuses_a_teen(maya_teen, episode):
    with pytest.raises(PermissionDenied):
        actions.intake_save(by=maya_teen, episode=episode, history={}, screening={}, red_flags={})


def test_only_the_care_team_confirms_an_intake(gina, pat, episode):
    intake = actions.intake_save(by=gina, episode=episode, history={}, screening={}, red_flags={})
    with pytest.raises(PermissionDenied):
        actions.intake_confirm(by=gina, intake=intake)
    with pytest.raises(PermissionDenied):
        actions.intake_confirm(by=pat, intake=Intake(episode=episode))  # nothing saved to confirm
    intake.refresh_from_db()
    assert intake.confirmed_at is None


def test_a_guardian_posting_a_confirmation_is_refused(as_user, gina, episode):
    actions.intake_save(by=gina, episode=episode, history={}, screening={}, red_flags={})
    response = as_user(gina).post(reverse("intake_confirm", args=[episode.pk]))
    assert response.status_code == 403
    assert Intake.objects.get().confirmed_at is None


def test_the_intake_sends_each_medicine_to_the_medicine_list(as_user, gina, pat, episode):
    """The intake keeps its words about medicines tried; each one goes on the medicine list,
    which the physician confirms (issue 25)."""
    link = reverse("medicine_list", args=[episode.patient_id])
    for person in (gina, pat):
        page = as_user(person).get(url(episode)).content.decode()
        assert "also goes on the medicine list" in page and link in page

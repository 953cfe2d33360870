"""A guardian or teen turns questionnaire reminders off (or on again) for a child, from the family's
home: a POST with one switch, audited, for the family in the child's circle only."""

from django.urls import reverse

from backto.capabilities.questionnairereminders.models import QuestionnaireEmails
from tests.conftest import audited
from tests.questionnairereminders.conftest import sweep

HOME = reverse("family_home")


def url(patient):
    return reverse("questionnaire_emails", args=[patient.pk])


def test_a_guardian_turns_the_emails_off_and_on_again_from_the_home_page(
    as_user, clinic, gina, maya, active
):
    client = as_user(gina)
    page = client.get(HOME).content.decode()
    assert f'action="{url(maya)}"' in page and "Turn off questionnaire reminders" in page
    response = client.post(url(maya), {"emails": "0"})
    assert response.status_code == 302 and response["Location"] == f"{HOME}#child-{maya.pk}"
    assert not QuestionnaireEmails.objects.get(user=gina, patient=maya).enabled
    assert audited("update", object_type="questionnaireemails", patient_id=maya.pk)
    page = client.get(HOME).content.decode()
    assert "Questionnaire reminders about Maya are off." in page
    assert "Turn on questionnaire reminders" in page
    assert sweep(clinic) == 0
    client.post(url(maya), {"emails": "1"})
    assert QuestionnaireEmails.objects.get(user=gina, patient=maya).enabled
    assert sweep(clinic) == 1


def test_a_teens_choice_is_her_own(as_user, clinic, gina, maya, maya_teen, active):
    client = as_user(maya_teen)
    page = client.get(HOME).content.decode()
    assert "We remind you when there are questions for you." in page
    assert "Stop these reminders" in page
    client.post(url(maya), {"emails": "0"})
    assert sweep(clinic) == 1  # her mother still hears of her own forms
    assert not QuestionnaireEmails.objects.get(user=maya_teen).enabled
    assert not QuestionnaireEmails.objects.filter(user=gina).exists()
    assert "Remind me again" in client.get(HOME).content.decode()


def test_another_family_gets_a_404_and_changes_nothing(as_user, otto, maya, active):
    assert as_user(otto).post(url(maya), {"emails": "0"}).status_code == 404
    assert not QuestionnaireEmails.objects.exists()
    assert audited("permission_denied", detail="404 measure_answer")


def test_the_care_team_cannot_choose_for_the_family(as_user, pat, maya, active):
    assert as_user(pat).post(url(maya), {"emails": "0"}).status_code == 403
    assert not QuestionnaireEmails.objects.exists()


def test_a_value_that_is_neither_on_nor_off_is_refused_naming_the_field(as_user, gina, maya):
    client = as_user(gina)
    response = client.post(url(maya), {"emails": "no"})
    assert response.status_code == 400
    assert "“emails” must be 1 (on) or 0 (off)." in response.content.decode()
    assert not QuestionnaireEmails.objects.exists()
    assert client.get(url(maya)).status_code == 405

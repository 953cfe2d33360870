from django.urls import path

from backto.capabilities.questionnairereminders import views

urlpatterns = [
    path(
        "patients/<int:patient_id>/questionnaire-emails/",
        views.questionnaire_emails,
        name="questionnaire_emails",
    ),
]

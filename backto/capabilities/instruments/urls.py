from django.urls import path

from backto.capabilities.instruments import views

urlpatterns = [
    path(
        "manage/questionnaires/<slug:instrument_id>/wording/",
        views.wording,
        name="instrument_wording",
    ),
    path(
        "manage/questionnaires/<slug:instrument_id>/wording/preview/",
        views.wording_preview,
        name="instrument_wording_preview",
    ),
    path(
        "manage/questionnaires/<slug:instrument_id>/fhir/",
        views.questionnaire_download,
        name="instrument_questionnaire_download",
    ),
]

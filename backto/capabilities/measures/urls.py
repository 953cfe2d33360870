from django.urls import path

from backto.capabilities.measures import template_views, views

urlpatterns = [
    path("questionnaires/<int:administration_id>/", views.administration, name="administration"),
    path("episodes/<int:episode_id>/measures/", views.episode_measures, name="episode_measures"),
    path("manage/questionnaires/", template_views.questionnaires, name="instrument_admin"),
    path(
        "manage/questionnaires/pack/",
        template_views.questionnaire_pack_install,
        name="questionnaire_pack_install",
    ),
]

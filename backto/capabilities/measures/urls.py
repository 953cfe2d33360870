from django.urls import path

from backto.capabilities.measures import views

urlpatterns = [
    path("questionnaires/<int:administration_id>/", views.administration, name="administration"),
    path("episodes/<int:episode_id>/measures/", views.episode_measures, name="episode_measures"),
]

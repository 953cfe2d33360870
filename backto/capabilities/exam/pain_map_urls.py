"""Routes of the exam's pain_map part: the family marks where it bothered at a questionnaire
point; the care team sees every map of an episode with its heat map, and records one (the
family's from paper, or the clinician's own) at its own address."""

from django.urls import path

from backto.capabilities.exam import pain_map_views

urlpatterns: list = [
    path(
        "episodes/<int:episode_id>/where-it-bothered/",
        pain_map_views.pain_map_mark,
        name="pain_map_mark",
    ),
    path(
        "episodes/<int:episode_id>/body-map/",
        pain_map_views.pain_map_episode,
        name="pain_map_episode",
    ),
    path(
        "episodes/<int:episode_id>/body-map/record/",
        pain_map_views.pain_map_staff_record,
        name="pain_map_staff_record",
    ),
]

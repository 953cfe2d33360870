"""Routes of the exam's sensory part: the page, and its own address for recording an exam."""

from django.urls import path

from backto.capabilities.exam import sensory_views

urlpatterns: list = [
    path(
        "episodes/<int:episode_id>/sensory-exam/",
        sensory_views.sensory_exam,
        name="sensory_exam",
    ),
    path(
        "episodes/<int:episode_id>/sensory-exam/record/",
        sensory_views.sensory_exam_record_view,
        name="sensory_exam_record",
    ),
]

"""The exam's pages. Each part of the exam keeps its own routes in its own module."""

from django.urls import path

from backto.capabilities.exam import pain_map_urls, sensory_urls, views

urlpatterns = [
    path(
        "episodes/<int:episode_id>/functional-tests/",
        views.functional_tests,
        name="functional_tests",
    ),
    *pain_map_urls.urlpatterns,
    *sensory_urls.urlpatterns,
]

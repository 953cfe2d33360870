from django.urls import path

from backto.capabilities.exam import views

urlpatterns = [
    path(
        "episodes/<int:episode_id>/functional-tests/",
        views.functional_tests,
        name="functional_tests",
    ),
]

from django.urls import path

from backto.progress import views

urlpatterns = [
    path("episodes/<int:episode_id>/progress/", views.progress_page, name="progress"),
]

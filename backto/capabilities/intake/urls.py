from django.urls import path

from backto.capabilities.intake import views

urlpatterns = [
    path("episodes/<int:episode_id>/intake/", views.intake_page, name="intake"),
    path("episodes/<int:episode_id>/intake/confirm/", views.intake_confirm, name="intake_confirm"),
]

from django.urls import path

from backto.capabilities.intake import views

urlpatterns = [path("episodes/<int:episode_id>/intake/", views.intake_page, name="intake")]

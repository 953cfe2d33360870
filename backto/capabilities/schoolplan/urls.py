from django.urls import path

from backto.capabilities.schoolplan import views

urlpatterns = [
    path("episodes/<int:episode_id>/school-plan/", views.school_plan, name="school_plan"),
]

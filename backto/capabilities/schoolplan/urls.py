from django.urls import path

from backto.capabilities.schoolplan import views

urlpatterns = [
    path("episodes/<int:episode_id>/school-plan/", views.school_plan, name="school_plan"),
    path(
        "episodes/<int:episode_id>/school-plan/approve/",
        views.school_plan_approval,
        name="school_plan_approve",
    ),
]

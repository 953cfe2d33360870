from django.urls import path

from backto.access.patients import views

urlpatterns = [
    path("patients/new/", views.patient_register, name="patient_register"),
    path("patients/<int:patient_id>/edit/", views.patient_edit, name="patient_edit"),
    path("patients/<int:patient_id>/referral/", views.episode_open, name="episode_open"),
    path(
        "episodes/<int:episode_id>/transition/", views.episode_transition, name="episode_transition"
    ),
    path("episodes/<int:episode_id>/care-team/", views.care_team, name="care_team"),
    path(
        "episodes/<int:episode_id>/care-team/<int:member_id>/lead/",
        views.care_team_lead,
        name="care_team_lead",
    ),
    path(
        "episodes/<int:episode_id>/care-team/<int:member_id>/remove/",
        views.care_team_remove,
        name="care_team_remove",
    ),
]

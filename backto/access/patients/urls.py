from django.urls import path

from backto.access.patients import views

urlpatterns = [
    path("clinic/", views.clinician_home, name="clinician_home"),
    path("family/", views.family_home, name="family_home"),
    path("patients/new/", views.patient_register, name="patient_register"),
    path("patients/<int:patient_id>/", views.patient_overview, name="patient_overview"),
    path("patients/<int:patient_id>/edit/", views.patient_edit, name="patient_edit"),
    path("patients/<int:patient_id>/referral/", views.episode_open, name="episode_open"),
    path("patients/<int:patient_id>/access-log/", views.access_log, name="access_log"),
    path(
        "episodes/<int:episode_id>/transition/", views.episode_transition, name="episode_transition"
    ),
    path("episodes/<int:episode_id>/care-team/", views.care_team, name="care_team"),
    path(
        "episodes/<int:episode_id>/care-team/<int:member_id>/",
        views.care_team_member,
        name="care_team_member",
    ),
]

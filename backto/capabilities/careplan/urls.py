from django.urls import path

from backto.capabilities.careplan import views

urlpatterns = [
    path("episodes/<int:episode_id>/sessions/", views.session_list, name="session_list"),
    path("sessions/<int:session_id>/", views.session_detail, name="session_detail"),
    path("sessions/<int:session_id>/sign/", views.session_sign, name="session_sign"),
    path("sessions/<int:session_id>/addenda/", views.session_addendum, name="session_addendum"),
    path("episodes/<int:episode_id>/plan/", views.care_plan, name="care_plan"),
    path("episodes/<int:episode_id>/plan/draft/", views.care_plan_draft, name="care_plan_draft"),
    path(
        "episodes/<int:episode_id>/plan/activate/",
        views.care_plan_activate,
        name="care_plan_activate",
    ),
    path("episodes/<int:episode_id>/discharge/", views.discharge, name="discharge"),
]

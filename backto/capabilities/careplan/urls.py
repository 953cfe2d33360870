from django.urls import path

from backto.capabilities.careplan import views

urlpatterns = [
    path("episodes/<int:episode_id>/sessions/", views.session_list, name="session_list"),
    path("sessions/<int:session_id>/", views.session_detail, name="session_detail"),
    path("episodes/<int:episode_id>/plan/", views.care_plan, name="care_plan"),
    path("episodes/<int:episode_id>/discharge/", views.discharge, name="discharge"),
]
